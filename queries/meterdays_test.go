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

// Readings written without a load (as these fixtures write them) are aggregated by the next run and
// kept; a new batch is added, a withdrawn one dropped, a batch whose readings changed and every
// batch after the night hours changed computed afresh — the model always equals the readings.
func TestMeterDaysIncremental(t *testing.T) {
	t.Parallel()
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

// rawMeterDays is agg_power_meter_days computed here from the readings with the night hours of
// dim_parameters, written independently of aggregates/agg_power_meter_days.sql.
const rawMeterDays = `WITH h AS (SELECT CAST(max(num) FILTER (WHERE key = 'night_end_hour') AS INTEGER) AS e,
        CAST(max(num) FILTER (WHERE key = 'night_start_hour') AS INTEGER) AS s FROM dim_parameters)
SELECT r.batch_id, k.meter_id, CAST(r.ts AS DATE) AS day, round(sum(r.kwh), 6),
    round(sum(CASE WHEN hour(r.ts) >= h.e AND hour(r.ts) < h.s THEN r.kwh ELSE 0 END), 6),
    round(sum(CASE WHEN hour(r.ts) >= h.s THEN r.kwh ELSE 0 END), 6),
    round(sum(CASE WHEN hour(r.ts) < h.e THEN r.kwh END), 6),
    count(*)
FROM raw_power_readings r JOIN power_meter_keys k USING (meter_key) CROSS JOIN h
GROUP BY ALL`

const keptMeterDays = `SELECT batch_id, meter_id, day, round(kwh, 6), round(day_part_kwh, 6), round(night_early_kwh, 6),
    round(night_late_kwh, 6), readings FROM agg_power_meter_days`

// A readings batch's meter-days are kept when it loads, before any models run, so the first run
// after the load aggregates nothing; the alerts are the same whether the load or the run computed
// them.
func TestMeterDaysAtLoad(t *testing.T) {
	t.Parallel()
	f := loadedFixture(t, tinyDir)
	// every readings batch is covered with its readings' count, and the rows are the readings'
	covered := f.one(`SELECT count(*) AS batches, count(k.batch_id) AS kept, count(*) FILTER (WHERE k.readings = r.n) AS full
		FROM (SELECT batch_id, count(*) AS n FROM raw_power_readings GROUP BY batch_id) r
		LEFT JOIN agg_power_meter_day_batches k USING (batch_id)`)
	if covered["batches"].(int64) == 0 || covered["kept"] != covered["batches"] || covered["full"] != covered["batches"] {
		t.Fatalf("after the load: %v readings batches, %v kept, %v with all their readings", covered["batches"], covered["kept"], covered["full"])
	}
	differ := func(when string) {
		t.Helper()
		expect(t, when, f.one(`SELECT count(*) AS n FROM ((SELECT * FROM (`+rawMeterDays+`) EXCEPT ALL SELECT * FROM (`+keptMeterDays+`))
			UNION ALL (SELECT * FROM (`+keptMeterDays+`) EXCEPT ALL SELECT * FROM (`+rawMeterDays+`)))`), row{"n": 0})
	}
	differ("after the load")

	// the first run reads the kept rows: a change made to them shows in int_power_meter_days
	f.exec(`UPDATE agg_power_meter_days SET kwh = kwh + 100000 WHERE rowid = (SELECT min(rowid) FROM agg_power_meter_days)`)
	f.run("2023-04-30")
	if got := f.one(`SELECT count(*) AS n FROM int_power_meter_days WHERE kwh >= 100000`); got["n"] != int64(1) {
		t.Fatalf("the first run after the load aggregated the readings again (%v tampered meter-days seen)", got["n"])
	}
	f.exec(`UPDATE agg_power_meter_days SET kwh = kwh - 100000 WHERE kwh >= 100000`)
	differ("restored")

	alerts := func() string {
		t.Helper()
		s := ""
		for _, r := range f.query(`SELECT * FROM int_power_alerts_checked ORDER BY as_of, alert_id`) {
			s += fmt.Sprintln(r)
		}
		return s
	}
	f.run("2023-04-30")
	atLoad := alerts()
	if atLoad == "" {
		t.Fatal("no power alerts in the tiny county")
	}
	if n := f.one(`SELECT count(*) AS n FROM mart_power_alerts`); n["n"] == int64(0) {
		t.Fatal("no power alerts as of the run's day in the tiny county")
	}
	// the same warehouse with the kept rows gone: the run computes them, and the alerts agree
	f.exec(`DELETE FROM agg_power_meter_days`)
	f.exec(`DELETE FROM agg_power_meter_day_batches`)
	f.run("2023-04-30")
	if byRun := alerts(); byRun != atLoad {
		t.Errorf("alerts differ:\nmeter-days kept by the load:\n%s\ncomputed by the run:\n%s", atLoad, byRun)
	}
	differ("computed by the run")
}

// Batches that arrived at the same moment add up into one meter-day of that arrival; a batch that
// arrived alone (a file of another kind arriving with it does not count) keeps its own meter-days.
func TestMeterDaysSharedArrival(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.insert("raw_meters", row{"meter_id": "M1", "customer_type": "关闭矿井", "township": t1, "village": v1})
	f.insert("raw_meters", row{"meter_id": "M2", "customer_type": "关闭矿井", "township": t1, "village": v1})
	a := f.newBatch("power")
	f.insert("raw_power_readings", row{"meter_id": "M1", "ts": "2023-04-03 10:00:00", "kwh": 10.0})
	f.insert("raw_power_readings", row{"meter_id": "M1", "ts": "2023-04-03 23:00:00", "kwh": 1.5})
	f.received(a, "2023-04-08 09:00:00")
	b := f.newBatch("power")
	f.insert("raw_power_readings", row{"meter_id": "M1", "ts": "2023-04-03 02:00:00", "kwh": 2.0})
	f.insert("raw_power_readings", row{"meter_id": "M1", "ts": "2023-04-04 02:00:00", "kwh": 3.0})
	f.insert("raw_power_readings", row{"meter_id": "M2", "ts": "2023-04-03 12:00:00", "kwh": 4.0})
	f.received(b, "2023-04-08 09:00:00")
	c := f.newBatch("power")
	f.insert("raw_power_readings", row{"meter_id": "M1", "ts": "2023-04-03 11:00:00", "kwh": 5.0})
	f.received(c, "2023-04-09 09:00:00")
	f.received(f.newBatch("inspection"), "2023-04-09 09:00:00")
	f.run("2023-04-30")
	f.sameAsReadings("shared arrival", f.db)
	got := ""
	for _, r := range f.query(`SELECT meter_id, strftime(day, '%m-%d') AS day, strftime(known_from, '%m-%d') AS known, kwh, night_late_kwh, readings
		FROM int_power_meter_days ORDER BY ALL`) {
		got += fmt.Sprintf("%v %v %v %v %v %v; ", r["meter_id"], r["day"], r["known"], r["kwh"], r["night_late_kwh"], r["readings"])
	}
	want := "M1 04-03 04-08 13.5 2 3; M1 04-03 04-09 5 <nil> 1; M1 04-04 04-08 3 3 1; M2 04-03 04-08 4 <nil> 1; "
	if got != want {
		t.Errorf("meter-days\n got %s\nwant %s", got, want)
	}
}
