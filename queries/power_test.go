package queries

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"landwatch/internal/warehousetest"
)

// meter registers a meter in 沁河镇.
func (f *fixture) meter(id, kind string, lon, lat float64) {
	f.t.Helper()
	f.insert("raw_meters", row{"meter_id": id, "customer_type": kind, "township": t1, "village": v1, "lon": lon, "lat": lat})
}

// readings inserts one reading every step minutes from 02-20 00:00 through 04-30 23:xx; kwhPerHour is
// a SQL expression of ts giving the kWh per hour at that time (each reading gets its share).
func (f *fixture) readings(meter string, step int, kwhPerHour string) {
	f.t.Helper()
	b, ok := f.batches["power"]
	if !ok {
		b = f.newBatch("power")
	}
	if err := warehousetest.InsertReadings(f.ctx, f.db, fmt.Sprintf(`SELECT CAST(? AS BIGINT) AS batch_id,
			row_number() OVER (ORDER BY ts) + 1 AS source_row, CAST(? AS VARCHAR) AS meter_id, ts, (%s) * %d / 60.0 AS kwh
		FROM generate_series(TIMESTAMP '2023-02-20 00:00:00', TIMESTAMP '2023-04-30 23:59:00', INTERVAL %d MINUTE) g(ts)`,
		kwhPerHour, step, step), b, meter); err != nil {
		f.t.Fatal(err)
	}
}

// opDayIn is a SQL condition: the reading's operating day (ts − 6 h) is one of the days.
func opDayIn(days ...string) string {
	q := make([]string, len(days))
	for i, d := range days {
		q[i] = "DATE '" + d + "'"
	}
	return "CAST(ts - INTERVAL 6 HOUR AS DATE) IN (" + strings.Join(q, ", ") + ")"
}

// dayIn is a SQL condition: the reading's calendar day is one of the days.
func dayIn(days ...string) string {
	q := make([]string, len(days))
	for i, d := range days {
		q[i] = "DATE '" + d + "'"
	}
	return "CAST(ts AS DATE) IN (" + strings.Join(q, ", ") + ")"
}

// nightDay gives day kWh/h in the day part and night kWh/h (high on the flagged operating days).
func nightDay(day, night, high float64, flagged ...string) string {
	return fmt.Sprintf("CASE WHEN hour(ts) >= 6 AND hour(ts) < 22 THEN %g WHEN %s THEN %g ELSE %g END",
		day, opDayIn(flagged...), high, night)
}

func (f *fixture) alerts() map[string]row {
	f.t.Helper()
	out := map[string]row{}
	for _, a := range f.query(`SELECT * FROM mart_power_alerts`) {
		out[a["alert_id"].(string)] = a
	}
	return out
}

func keys(m map[string]row) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, " ")
}

func TestNightOverDay(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	three := []string{"2023-03-10", "2023-03-12", "2023-03-16"}
	// night 3 kWh/h = exactly 1.5 × day 2 kWh/h, 24 kWh a night: flagged 3 times within 7 days
	f.meter("A", "小工厂", 112.30, 36.50)
	f.readings("A", 60, nightDay(2, 1, 3, three...))
	// 15-minute readings, same story
	f.meter("Q", "小工厂", 112.31, 36.50)
	f.readings("Q", 15, nightDay(2, 1, 3, three...))
	// just below the ratio
	f.meter("B", "小工厂", 112.32, 36.50)
	f.readings("B", 60, nightDay(2, 1, 2.99, three...))
	// three flagged nights spread over 8 days
	f.meter("C", "小工厂", 112.33, 36.50)
	f.readings("C", 60, nightDay(2, 1, 3, "2023-03-10", "2023-03-13", "2023-03-17"))
	// night exactly night_min_kwh (2.5 × 8 = 20) at a high ratio; and just below it
	f.meter("D", "小工厂", 112.34, 36.50)
	f.readings("D", 60, nightDay(1, 0.5, 2.5, three...))
	f.meter("E", "小工厂", 112.35, 36.50)
	f.readings("E", 60, nightDay(1, 0.5, 2.49, three...))
	// flagged 04-01, 04-03, 04-05 and 04-13, 04-15, 04-17: two runs 8 days apart
	f.meter("G", "小工厂", 112.36, 36.50)
	f.readings("G", 60, nightDay(2, 1, 4, "2023-04-01", "2023-04-03", "2023-04-05", "2023-04-13", "2023-04-15", "2023-04-17"))

	f.run("2023-04-30")
	got := f.alerts()
	if k := keys(got); k != "A-NOD-20230310 D-NOD-20230310 G-NOD-20230401 G-NOD-20230413 Q-NOD-20230310" {
		t.Fatalf("alerts %s", k)
	}
	expect(t, "A", got["A-NOD-20230310"], row{"rule": "night_over_day", "first_day": "2023-03-10", "last_day": "2023-03-16",
		"score": 72.0, "township": t1, "customer_type": "小工厂", "check_result": nil})
	expect(t, "Q", got["Q-NOD-20230310"], row{"last_day": "2023-03-16", "score": 72.0})
	expect(t, "G", got["G-NOD-20230401"], row{"last_day": "2023-04-05"})

	// as of 03-14 only two nights are flagged (the night of 03-14 is not over): no alert yet
	f.run("2023-03-14")
	if k := keys(f.alerts()); k != "" {
		t.Errorf("alerts as of 03-14: %s", k)
	}
	f.run("2023-03-16")
	if k := keys(f.alerts()); k != "" {
		t.Errorf("alerts as of 03-16 (its night runs into 03-17): %s", k)
	}
	f.run("2023-03-17")
	if k := keys(f.alerts()); k != "A-NOD-20230310 D-NOD-20230310 Q-NOD-20230310" {
		t.Errorf("alerts as of 03-17: %s", k)
	}
}

func TestSurge(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	surge := func(kwh float64) string {
		return fmt.Sprintf("CASE WHEN CAST(ts AS DATE) BETWEEN DATE '2023-04-01' AND DATE '2023-04-07' THEN %g ELSE 1 END", kwh/24)
	}
	// 24 kWh a day, then 7 days at 96: ≥ 3 × 24 and ≥ 24 + 50
	f.meter("S", "洗煤厂", 112.30, 36.50)
	f.readings("S", 60, surge(96))
	// 74 a day: exactly the baseline + 50 (and ≥ 72); and just below
	f.meter("S2", "洗煤厂", 112.31, 36.50)
	f.readings("S2", 15, surge(74))
	f.meter("S3", "洗煤厂", 112.32, 36.50)
	f.readings("S3", 60, surge(73.9))
	// a baseline day without readings: no surge
	f.meter("S4", "洗煤厂", 112.33, 36.50)
	f.readings("S4", 60, surge(96))
	f.exec(`DELETE FROM raw_power_readings WHERE meter_key = (SELECT meter_key FROM power_meter_keys WHERE meter_id = 'S4')
		AND CAST(ts AS DATE) = DATE '2023-03-20'`)
	// a single high day: the window mean stays low
	f.meter("S5", "洗煤厂", 112.34, 36.50)
	f.readings("S5", 60, "CASE WHEN "+dayIn("2023-04-03")+" THEN 8 ELSE 1 END")

	f.run("2023-04-30")
	got := f.alerts()
	if k := keys(got); k != "S-SRG-20230401 S2-SRG-20230401" {
		t.Fatalf("alerts %s", k)
	}
	expect(t, "S", got["S-SRG-20230401"], row{"rule": "surge", "first_day": "2023-04-01", "last_day": "2023-04-07", "score": 7 * 72.0})
	expect(t, "S2", got["S2-SRG-20230401"], row{"last_day": "2023-04-07", "score": 7 * 50.0})
	// as of 04-05 no 7-day window is high yet (the mean of 03-30 … 04-05 is (2×24 + 5×96) / 7 = 75.4 ≥ 74
	// for S, so S holds on 04-01 … 04-05; S2's mean is below)
	f.run("2023-04-05")
	got = f.alerts()
	if k := keys(got); k != "S-SRG-20230401" {
		t.Fatalf("alerts as of 04-05: %s", k)
	}
	expect(t, "S at 04-05", got["S-SRG-20230401"], row{"last_day": "2023-04-05"})
}

func TestClosedMineAndChecks(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.meter("K", "关闭矿井", 112.30, 36.50)
	// used on 04-10, 04-16 (6 days later: same alert) and 04-23 (7 days later: a new alert)
	f.readings("K", 60, "CASE WHEN hour(ts) = 2 AND "+dayIn("2023-04-10", "2023-04-16", "2023-04-23")+" THEN 0.5 ELSE 0 END")
	f.meter("K2", "关闭矿井", 112.40, 36.50)
	f.readings("K2", 60, "0")
	// a coal mine in use is no closed mine
	f.meter("K3", "煤矿", 112.50, 36.50)
	f.readings("K3", 60, "10")
	// the night-over-day meter of TestNightOverDay, checked 03-20 without naming the alert
	f.meter("A", "小工厂", 112.60, 36.60)
	f.readings("A", 60, nightDay(2, 1, 3, "2023-03-10", "2023-03-12", "2023-03-16"))
	f.insert("raw_power_checks", row{"meter_id": "A", "checked_on": "2023-03-20", "result": "非法采矿"})
	// K: a check naming the second alert says 正常; one without a name on 04-20 applies to the first
	f.insert("raw_power_checks", row{"meter_id": "K", "alert_id": "K-CLM-20230423", "checked_on": "2023-04-25", "result": "正常"})
	f.insert("raw_power_checks", row{"meter_id": "K", "checked_on": "2023-04-20", "result": "非法采矿"})
	// a check naming an alert that does not exist applies to none (not to the meter's latest)
	f.meter("K4", "关闭矿井", 112.70, 36.50)
	f.readings("K4", 60, "CASE WHEN "+dayIn("2023-04-10")+" THEN 1 ELSE 0 END")
	f.insert("raw_power_checks", row{"meter_id": "K4", "alert_id": "K4-CLM-20230401", "checked_on": "2023-04-20", "result": "非法采矿"})

	f.run("2023-04-30")
	got := f.alerts()
	if k := keys(got); k != "A-NOD-20230310 K-CLM-20230410 K-CLM-20230423 K4-CLM-20230410" {
		t.Fatalf("alerts %s", k)
	}
	expect(t, "K1", got["K-CLM-20230410"], row{"rule": "closed_mine", "last_day": "2023-04-16", "score": 1.0, "check_result": "非法采矿"})
	expect(t, "K2", got["K-CLM-20230423"], row{"last_day": "2023-04-23", "check_result": "正常"})
	expect(t, "A", got["A-NOD-20230310"], row{"check_result": "非法采矿"})
	expect(t, "K4", got["K4-CLM-20230410"], row{"check_result": nil})

	v := map[string]row{}
	for _, r := range f.query(`SELECT * FROM mart_violations`) {
		v[r["violation_id"].(string)] = r
	}
	if k := keys(v); k != "A-NOD-20230310 K-CLM-20230410" {
		t.Fatalf("violations %s", k)
	}
	expect(t, "A violation", v["A-NOD-20230310"], row{"first_seen": "2023-03-10", "sources": "用电", "lon": 112.60, "detection_status": "missed", "category": "M3"})
	expect(t, "K violation", v["K-CLM-20230410"], row{"first_seen": "2023-04-10", "detection_status": "not_due", "category": "M4"})
	// the weekly series sees A's violation from its check on 03-20
	expect(t, "03-19", f.card("2023-03-19", t1), row{"violations_due": 0})
	expect(t, "03-26", f.card("2023-03-26", t1), row{"violations_due": 1, "missed": 1})
}
