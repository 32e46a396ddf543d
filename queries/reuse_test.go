package queries

import (
	"strings"
	"testing"
)

// keptModels lists the models a run kept (reuse.go).
func keptModels(res *RunResult) string {
	var out []string
	for _, m := range res.Models {
		if m.Kept {
			out = append(out, m.Name)
		}
	}
	return strings.Join(out, " ")
}

// sameAsBuilt fails when the table of model differs in any row from its SQL evaluated now.
func (f *fixture) sameAsBuilt(when, model string) {
	f.t.Helper()
	models, err := Models()
	if err != nil {
		f.t.Fatal(err)
	}
	for _, m := range models {
		if m.Name != model {
			continue
		}
		body := strings.TrimRight(strings.TrimSpace(m.SQL), ";")
		n := f.one(`SELECT count(*) AS n FROM ((SELECT * FROM ` + model + ` EXCEPT ALL (` + body + `))
			UNION ALL ((` + body + `) EXCEPT ALL SELECT * FROM ` + model + `))`)
		if n["n"] != int64(0) {
			f.t.Errorf("%s: %s differs from its SQL in %v row(s)", when, model, n["n"])
		}
		return
	}
	f.t.Fatalf("no model %s", model)
}

// A run keeps the power models' tables while nothing they are computed from changed, and builds
// them again on any change: the as-of, a meter-day, a cut-off entered on the console (a table no
// load batch holds), a table whose rows were removed. Kept or built, each equals its SQL.
func TestReuseUnchanged(t *testing.T) {
	f := newFixture(t)
	f.insert("raw_meters", row{"meter_id": "M1", "customer_type": "关闭矿井", "township": t1, "village": v1})
	for _, ts := range []string{"2023-04-03 10:00:00", "2023-04-04 10:00:00", "2023-04-05 10:00:00", "2023-04-06 10:00:00"} {
		f.insert("raw_power_readings", row{"meter_id": "M1", "ts": ts, "kwh": 500.0})
	}
	// in the run's order: int_power_rule_days reads the batches' meter-days, not int_power_meter_days
	power := "int_power_rule_days int_power_alerts int_power_meter_days"
	check := func(when string, res *RunResult, want string) {
		t.Helper()
		if got := keptModels(res); got != want {
			t.Errorf("%s: kept %q, want %q", when, got, want)
		}
		for _, m := range strings.Fields(power) {
			f.sameAsBuilt(when, m)
		}
	}
	check("first run", f.run("2023-04-30"), "")
	check("same inputs", f.run("2023-04-30"), power)
	if n := f.one(`SELECT count(*) AS n FROM int_power_rule_days WHERE rule = 'closed_mine'`); n["n"] != int64(4) {
		t.Fatalf("closed_mine days %v, want 4", n["n"])
	}

	check("another as-of", f.run("2023-04-29"), "")
	check("same again", f.run("2023-04-29"), power)

	// a cut-off entered on the console: the rule days change, the meter-days do not
	f.exec(`INSERT INTO power_cutoffs (meter_id, kind, cutoff_on, entered_by, recorded_at) VALUES ('M1', 'done', DATE '2023-04-04', 'test', TIMESTAMP '2023-04-04 18:00:00')`)
	check("cut-off", f.run("2023-04-29"), "int_power_meter_days")
	if n := f.one(`SELECT count(*) AS n FROM int_power_rule_days WHERE rule = 'supply_after_cutoff'`); n["n"] != int64(2) {
		t.Fatalf("supply_after_cutoff days %v, want 2", n["n"])
	}

	// a kept meter-day changed (only a repair does this)
	f.exec(`UPDATE agg_power_meter_days SET kwh = kwh + 1 WHERE day = DATE '2023-04-05'`)
	check("meter-day changed", f.run("2023-04-29"), "")

	// a model's table lost rows: built again
	f.exec(`DELETE FROM int_power_alerts`)
	check("table emptied", f.run("2023-04-29"), "int_power_rule_days int_power_meter_days")
}

// Models refuses "reuse" on a model that reads, itself or through a model it reads, what differs
// from run to run: the run's id or start, the clock, random numbers.
func TestReuseRefused(t *testing.T) {
	for _, c := range []struct{ name, dep string }{
		{"run id", "SELECT run_id FROM run_parameters"},
		{"started", "SELECT started_at AS t FROM run_parameters"},
		{"clock", "SELECT now() AS t"},
		{"today", "SELECT current_date AS t"},
		{"random", "SELECT random() AS t"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dep, err := parseModel("int_dep", "intermediate", "intermediate/int_dep.sql", "-- not_null: t\n"+c.dep+"\n")
			if err != nil {
				t.Fatal(err)
			}
			m, err := parseModel("int_m", "intermediate", "intermediate/int_m.sql", "-- reuse: unchanged\n-- not_null: t\nSELECT t FROM int_dep\n")
			if err != nil {
				t.Fatal(err)
			}
			m.Deps = []string{"int_dep"}
			byName := map[string]*Model{"int_dep": dep, "int_m": m}
			if err := checkReuse([]*Model{dep, m}, byName); err == nil || !strings.Contains(err.Error(), "int_dep") {
				t.Errorf("reuse over %q: %v, want a refusal naming int_dep", c.dep, err)
			}
			m.Reuse = false
			if err := checkReuse([]*Model{dep, m}, byName); err != nil {
				t.Errorf("without reuse: %v", err)
			}
		})
	}
	if _, err := parseModel("v", "staging", "staging/v.sql", "-- reuse: unchanged\n-- not_null: a\nSELECT 1 AS a\n"); err != nil {
		t.Fatal(err)
	}
	v, _ := parseModel("v", "staging", "staging/v.sql", "-- reuse: unchanged\n-- not_null: a\nSELECT 1 AS a\n")
	if err := checkReuse([]*Model{v}, map[string]*Model{"v": v}); err == nil {
		t.Error("reuse on a view accepted")
	}
	if _, err := parseModel("x", "marts", "marts/x.sql", "-- reuse: always\nSELECT 1\n"); err == nil {
		t.Error("reuse: always accepted")
	}
}
