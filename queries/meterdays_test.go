package queries

import (
	"fmt"
	"testing"
)

// directMeterDays is int_power_meter_days computed straight from the readings (as the model did
// before the batches' meter-days were kept): what the model must always equal.
const directMeterDays = `SELECT r.meter_id, CAST(r.ts AS DATE) AS day, r.known_from,
    round(sum(r.kwh), 6) AS kwh,
    round(sum(CASE WHEN hour(r.ts) >= p.night_end_hour AND hour(r.ts) < p.night_start_hour THEN r.kwh ELSE 0 END), 6) AS day_part_kwh,
    round(sum(CASE WHEN hour(r.ts) >= p.night_start_hour THEN r.kwh ELSE 0 END), 6) AS night_early_kwh,
    round(sum(CASE WHEN hour(r.ts) < p.night_end_hour THEN r.kwh END), 6) AS night_late_kwh,
    count(*) AS readings
FROM stg_power__readings r
CROSS JOIN stg_config__parameters p
WHERE r.ts < CAST(p.as_of + 1 AS TIMESTAMP) AND r.known_from < CAST(p.as_of + 1 AS TIMESTAMP)
GROUP BY ALL`

const modelMeterDays = `SELECT meter_id, day, known_from, round(kwh, 6), round(day_part_kwh, 6), round(night_early_kwh, 6),
    round(night_late_kwh, 6), readings FROM int_power_meter_days`

// sameAsReadings fails when int_power_meter_days differs from the readings in any row.
func (f *fixture) sameAsReadings(when string, q Querier) {
	f.t.Helper()
	var n int
	err := q.QueryRowContext(f.ctx, `SELECT count(*) FROM ((`+directMeterDays+` EXCEPT ALL `+modelMeterDays+`)
		UNION ALL (`+modelMeterDays+` EXCEPT ALL `+directMeterDays+`))`).Scan(&n)
	if err != nil {
		f.t.Fatal(err)
	}
	if n != 0 {
		f.t.Errorf("%s: int_power_meter_days differs from the readings in %d row(s)", when, n)
	}
}

// meterDayBatches lists the batches agg_power_meter_days holds, with their readings' count.
func (f *fixture) meterDayBatches() string {
	f.t.Helper()
	s := ""
	for _, r := range f.query(`SELECT b.batch_id, b.readings, (SELECT count(*) FROM agg_power_meter_days d WHERE d.batch_id = b.batch_id) AS days
		FROM agg_power_meter_day_batches b ORDER BY 1`) {
		s += fmt.Sprintf("%v:%v/%v ", r["batch_id"], r["readings"], r["days"])
	}
	return s
}

// A batch's meter-days are computed by the first run after it loaded and kept; a new batch is
// added, a withdrawn one dropped, a batch whose readings changed and every batch after the night
// hours changed computed afresh — the model always equals the readings.
func TestMeterDaysIncremental(t *testing.T) {
	f := newFixture(t)
	f.insert("raw_meters", row{"meter_id": "M1", "customer_type": "关闭矿井", "township": t1, "village": v1})
	a := f.newBatch("power")
	for _, ts := range []string{"2023-04-03 10:00:00", "2023-04-03 22:00:00", "2023-04-04 03:00:00"} {
		f.insert("raw_power_readings", row{"meter_id": "M1", "ts": ts, "kwh": 10.0})
	}
	f.run("2023-04-30")
	f.sameAsReadings("first run", f.db)
	if got, want := f.meterDayBatches(), fmt.Sprintf("%d:3/2 ", a); got != want {
		t.Fatalf("kept %q, want %q", got, want)
	}

	// kept, not computed again: a run reads what the first run stored
	f.exec(`UPDATE agg_power_meter_days SET kwh = kwh + 1000 WHERE batch_id = ?`, a)
	f.run("2023-04-30")
	if got := f.one(`SELECT max(kwh) AS kwh FROM int_power_meter_days`); got["kwh"] != 1020.0 {
		t.Fatalf("second run read %v, want the stored 1020: the batch was aggregated again", got["kwh"])
	}
	f.exec(`UPDATE agg_power_meter_days SET kwh = kwh - 1000 WHERE batch_id = ?`, a)

	// a new batch
	b := f.newBatch("power")
	f.insert("raw_power_readings", row{"meter_id": "M1", "ts": "2023-04-05 23:00:00", "kwh": 7.0})
	f.received(b, "2023-04-06 08:00:00")
	f.run("2023-04-30")
	f.sameAsReadings("new batch", f.db)
	if got, want := f.meterDayBatches(), fmt.Sprintf("%d:3/2 %d:1/1 ", a, b); got != want {
		t.Fatalf("kept %q, want %q", got, want)
	}

	// readings added to a batch already kept (only fixtures do this; a loaded batch never changes)
	f.batches["power"] = a
	f.insert("raw_power_readings", row{"meter_id": "M1", "ts": "2023-04-07 05:00:00", "kwh": 4.0})
	f.run("2023-04-30")
	f.sameAsReadings("batch grown", f.db)
	if got, want := f.meterDayBatches(), fmt.Sprintf("%d:4/3 %d:1/1 ", a, b); got != want {
		t.Fatalf("kept %q, want %q", got, want)
	}

	// the night hours change: every batch again
	f.exec(`UPDATE dim_parameters SET num = 23 WHERE key = 'night_start_hour'`)
	f.exec(`UPDATE dim_parameters SET num = 4 WHERE key = 'night_end_hour'`)
	f.run("2023-04-30")
	f.sameAsReadings("night hours", f.db)
	expect(t, "hours", f.one(`SELECT count(*) AS n FROM agg_power_meter_day_batches WHERE night_start_hour = 23 AND night_end_hour = 4`), row{"n": 2})

	// a batch withdrawn
	f.exec(`DELETE FROM raw_power_readings WHERE batch_id = ?`, b)
	f.exec(`DELETE FROM load_batches WHERE batch_id = ?`, b)
	f.run("2023-04-30")
	f.sameAsReadings("withdrawn", f.db)
	if got, want := f.meterDayBatches(), fmt.Sprintf("%d:4/3 ", a); got != want {
		t.Fatalf("kept %q, want %q", got, want)
	}

	// a past day built on the fly sees a batch loaded since the last run, and writes nothing
	c := f.newBatch("power")
	f.insert("raw_power_readings", row{"meter_id": "M1", "ts": "2023-04-02 12:00:00", "kwh": 3.0})
	f.received(c, "2023-04-02 18:00:00")
	err := At(f.ctx, f.db, day(t, "2023-04-16"), func(q Querier) error {
		f.sameAsReadings("past day", q)
		var n int
		if err := q.QueryRowContext(f.ctx, `SELECT count(*) FROM int_power_meter_days WHERE day = DATE '2023-04-02'`).Scan(&n); err != nil {
			return err
		}
		if n != 1 {
			t.Errorf("past day: %d meter-days on 04-02, want the new batch's 1", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := f.meterDayBatches(), fmt.Sprintf("%d:4/3 ", a); got != want {
		t.Fatalf("a past day wrote the warehouse: kept %q, want %q", got, want)
	}
	f.run("2023-04-30")
	f.sameAsReadings("after the past day", f.db)
}
