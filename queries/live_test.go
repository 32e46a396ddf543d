package queries

import (
	"testing"

	"landwatch/warehouse"
)

// TestLiveViewsWithoutARun: a warehouse no models run has built has the int_*_now views as soon as
// it is opened, giving the records loaded and the portal's updates; a warehouse an older binary
// built, which lacks them, gets them back at its next open, its run's tables kept.
func TestLiveViewsWithoutARun(t *testing.T) {
	f := newFixture(t)
	f.insert("raw_cases", row{"case_id": "C-1", "source": "巡查", "township": t1, "village": v1, "found_on": "2023-03-20",
		"filed_on": "2023-03-22", "status": "调查中"})
	f.insert("case_updates", row{"case_id": "C-1", "to_police_on": "2023-04-10", "updated_by": "g", "updated_at": "2023-04-11 09:00:00"})
	f.insert("raw_clues", row{"clue_id": "X-1", "source": "媒体曝光", "township": t1, "found_on": "2023-03-20", "verdict": "核查中"})
	f.insert("raw_meters", row{"meter_id": "M1", "customer_type": "居民", "township": t1, "village": v1})
	f.insert("power_cutoffs", row{"meter_id": "M1", "kind": "ordered", "cutoff_on": "2023-04-03", "recorded_at": "2023-04-03 10:00:00",
		"entered_by": "office"})
	if n := f.one(`SELECT count(*) AS n FROM run_parameters`)["n"]; n != int64(0) {
		t.Fatalf("run_parameters has %v rows before any run", n)
	}
	names, err := LiveViews()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"int_cases_now", "int_clues_now", "int_case_stages_now", "int_meters_now", "int_cutoffs_now",
		"int_restoration_now", "int_tip_triage"} {
		found := false
		for _, n := range names {
			found = found || n == want
		}
		if !found {
			t.Errorf("live views %v lack %s", names, want)
		}
	}
	check := func(when string) {
		t.Helper()
		expect(t, "case now "+when, f.one(`SELECT * FROM int_cases_now`), row{"case_id": "C-1", "filed_on": "2023-03-22", "to_police_on": "2023-04-10"})
		expect(t, "clue now "+when, f.one(`SELECT * FROM int_clues_now`), row{"clue_id": "X-1", "verdict": "核查中"})
		expect(t, "meter now "+when, f.one(`SELECT * FROM int_meters_now`), row{"meter_id": "M1", "customer_type": "居民"})
		expect(t, "cut-off now "+when, f.one(`SELECT * FROM int_cutoffs_now`), row{"meter_id": "M1", "ordered_on": "2023-04-03"})
		for _, v := range []string{"int_case_stages_now", "int_restoration_now", "int_tip_triage"} {
			f.query(`SELECT * FROM ` + v)
		}
	}
	check("before any run")

	// an older binary's warehouse: built by a run, without the views
	f.run("2023-03-31")
	for _, v := range names {
		f.exec(`DROP VIEW ` + v)
	}
	path := f.db.Path
	f.db.Close()
	db, err := warehouse.Open(f.ctx, path, warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	f.db = db
	check("reopened")
	if n := f.one(`SELECT count(*) AS n FROM mart_township_scorecard`)["n"]; n == int64(0) {
		t.Error("the run's marts are gone after the reopen")
	}
	if got := f.one(`SELECT as_of FROM stg_config__parameters`)["as_of"]; got != "2023-03-31" {
		t.Errorf("stg_config__parameters as of %v after the reopen, want the run's 2023-03-31", got)
	}
}
