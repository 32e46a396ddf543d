package queries

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"landwatch/internal/warehousetest"
)

// ruleDaysSQL is int_power_rule_days's SQL as the model file has it.
func ruleDaysSQL(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("intermediate/int_power_rule_days.sql")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// ruleDaysPerDate is int_power_rule_days with every earlier date its own input: the rules evaluated
// for each date and meter alone, the straightforward evaluation the shared inputs must equal.
func ruleDaysPerDate(t *testing.T) string {
	t.Helper()
	const group = "min(r.as_of) OVER (PARTITION BY r.meter_id,"
	q := ruleDaysSQL(t)
	if strings.Count(q, group) != 1 {
		t.Fatalf("int_power_rule_days.sql: no single %q to make each date its own input", group)
	}
	return strings.Replace(q, group, "min(r.as_of) OVER (PARTITION BY r.as_of, r.meter_id,", 1)
}

// ruleDaysInputs is the model's CTE past_inputs: each earlier date and checked meter with the first
// date of its input (rep).
func ruleDaysInputs(t *testing.T) string {
	t.Helper()
	q := ruleDaysSQL(t)
	i := strings.Index(q, "\ndays AS (")
	if i < 0 || !strings.Contains(q[:i], "past_inputs AS (") {
		t.Fatal("int_power_rule_days.sql: no CTE past_inputs before days")
	}
	return strings.TrimSuffix(strings.TrimSpace(q[:i]), ",") + "\nSELECT as_of, meter_id, rep FROM past_inputs"
}

// sameAsPerDate fails the test unless int_power_rule_days, as the run built it, has exactly the rows
// of the per-date evaluation; it returns how many rows of earlier dates there are.
func (f *fixture) sameAsPerDate(when string) int64 {
	f.t.Helper()
	per := ruleDaysPerDate(f.t)
	r := f.one(fmt.Sprintf(`SELECT
		(SELECT count(*) FROM (SELECT * FROM int_power_rule_days EXCEPT ALL SELECT * FROM (%s))) AS extra,
		(SELECT count(*) FROM (SELECT * FROM (%s) EXCEPT ALL SELECT * FROM int_power_rule_days)) AS missing,
		(SELECT count(*) FROM int_power_rule_days WHERE as_of < (SELECT as_of FROM run_parameters)) AS earlier`, per, per))
	if r["extra"] != int64(0) || r["missing"] != int64(0) {
		f.t.Errorf("%s: int_power_rule_days has %v rows the per-date evaluation has not, and lacks %v of its rows", when, r["extra"], r["missing"])
	}
	return r["earlier"].(int64)
}

// The tiny county as of 2024-03-31: the Sundays between its last readings of 2023 (05-07) and its
// first of 2024 see the same readings, so they share inputs; the rule days are those of each date
// evaluated alone.
func TestRuleDaysSharedInputsTiny(t *testing.T) {
	t.Parallel()
	f := loadedFixture(t, tinyDir)
	f.run("2024-03-31")
	if n := f.sameAsPerDate("tiny 2024-03-31"); n == 0 {
		t.Fatal("no rule days of an earlier date: the comparison shows nothing")
	}
	r := f.one(`SELECT count(*) AS pairs, count(DISTINCT (rep, meter_id)) AS inputs FROM (` + ruleDaysInputs(t) + `)`)
	if r["inputs"].(int64) >= r["pairs"].(int64) {
		t.Errorf("%v inputs for %v earlier dates and meters: none shared", r["inputs"], r["pairs"])
	}
}

// readingsFrom inserts a new readings batch, received at the time given, with one reading an hour
// of kwh for the meter on the days from … to.
func (f *fixture) readingsFrom(meter, from, to, received string, kwh float64) {
	f.t.Helper()
	b := f.newBatch("power")
	f.received(b, received)
	if err := warehousetest.InsertReadings(f.ctx, f.db, fmt.Sprintf(`SELECT CAST(? AS BIGINT) AS batch_id,
			row_number() OVER (ORDER BY ts) + 1 AS source_row, CAST(? AS VARCHAR) AS meter_id, ts, %g AS kwh
		FROM generate_series(CAST(? AS TIMESTAMP), CAST(? AS TIMESTAMP) + INTERVAL 23 HOUR, INTERVAL 1 HOUR) g(ts)`, kwh),
		b, meter, from, to); err != nil {
		f.t.Fatal(err)
	}
}

// Two earlier dates share their rule days only when every input is the same: a late batch (known
// later, same last day), a cut-off confirmed between them, a new meter version and a day of an
// arrived file reached only by the later date each split them; Sundays with nothing new share.
func TestRuleDaysSharedInputs(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	// a closed mine checked on 03-01; from 04-05 the registry lists it as a coal mine
	f.meter("M", "关闭矿井", 112.30, 36.50)
	f.insert("raw_power_checks", row{"meter_id": "M", "checked_on": "2023-03-01", "result": "非法采矿"})
	f.newBatch("meters")
	f.received(f.batches["meters"], "2023-04-05 10:00")
	f.meter("M", "煤矿", 112.30, 36.50)
	// 02-20 … 03-15 arrive 03-16; a late file adds to 03-01 … 03-05 on 03-22; 03-16 … 04-20 arrive
	// 04-14 (days after the arrival: 04-16 sees them up to 04-16, 04-23 and 04-30 up to 04-20)
	f.readingsFrom("M", "2023-02-20", "2023-03-15", "2023-03-16 09:00", 1)
	f.readingsFrom("M", "2023-03-01", "2023-03-05", "2023-03-22 09:00", 1)
	f.readingsFrom("M", "2023-03-16", "2023-04-20", "2023-04-14 09:00", 1)
	// supply ended 03-10, confirmed 03-29
	f.cutoff("M", "done", "2023-03-10", "2023-03-29 16:00:00")
	f.run("2023-05-07")
	f.sameAsPerDate("2023-05-07")

	reps := map[string]string{}
	for _, r := range f.query(`SELECT as_of, rep FROM (` + ruleDaysInputs(t) + `) WHERE meter_id = 'M'`) {
		reps[r["as_of"].(string)] = r["rep"].(string)
	}
	want := map[string]string{
		"2023-03-05": "2023-03-05", "2023-03-12": "2023-03-05", // no readings yet
		"2023-03-19": "2023-03-19",                             // the first file
		"2023-03-26": "2023-03-26",                             // the late file
		"2023-04-02": "2023-04-02",                             // the cut-off
		"2023-04-09": "2023-04-09",                             // the coal mine
		"2023-04-16": "2023-04-16",                             // the third file, up to 04-16
		"2023-04-23": "2023-04-23", "2023-04-30": "2023-04-23", // the third file, up to 04-20
	}
	if fmt.Sprint(reps) != fmt.Sprint(want) {
		t.Errorf("inputs of M (date: its first date with the same input)\n got %v\nwant %v", reps, want)
	}

	// what each date holds: closed_mine on every day with readings while M is a closed mine (03-01 …
	// 03-05 twice the kWh once the late file is known), supply_after_cutoff after 03-10 once confirmed
	got := map[string]string{}
	for _, r := range f.query(`SELECT as_of, rule, count(*) AS n, sum(amount) AS kwh FROM int_power_rule_days
		WHERE meter_id = 'M' AND as_of < DATE '2023-05-07' GROUP BY ALL ORDER BY ALL`) {
		got[r["as_of"].(string)] += fmt.Sprintf("%s %v %v; ", r["rule"], r["n"], r["kwh"])
	}
	wantDays := map[string]string{
		"2023-03-19": "closed_mine 24 576; ",
		"2023-03-26": "closed_mine 24 696; ",
		"2023-04-02": "closed_mine 24 696; supply_after_cutoff 5 120; ",
		"2023-04-09": "supply_after_cutoff 5 120; ",
		"2023-04-16": "supply_after_cutoff 37 888; ",
		"2023-04-23": "supply_after_cutoff 41 984; ",
		"2023-04-30": "supply_after_cutoff 41 984; ",
	}
	if fmt.Sprint(got) != fmt.Sprint(wantDays) {
		t.Errorf("rule days of M by date\n got %v\nwant %v", got, wantDays)
	}
}
