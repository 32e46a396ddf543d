package queries

import "testing"

// TestNowViews: the int_*_now views give each record as it stands now, whatever the run's as-of: the
// version no later arrival superseded, every update recorded in the portal so far applied field by
// field (the rule stg_enforcement__cases applies as of the as-of), the latest cut-off entries.
func TestNowViews(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.insert("raw_cases", row{"case_id": "C-1", "source": "巡查", "township": t1, "village": v1, "found_on": "2023-03-20",
		"filed_on": "2023-03-22", "fine_yuan": 1000, "status": "调查中"})
	f.insert("raw_clues", row{"clue_id": "X-1", "source": "媒体曝光", "township": t1, "found_on": "2023-03-20", "verdict": "核查中"})
	f.insert("raw_meters", row{"meter_id": "M1", "customer_type": "居民", "township": t1, "village": v1})
	later := f.newBatch("meters")
	f.received(later, "2023-04-02 09:00:00")
	f.insert("raw_meters", row{"meter_id": "M1", "customer_type": "关闭矿井", "township": t1, "village": v2})
	f.insert("case_updates", row{"case_id": "C-1", "to_police_on": "2023-04-10", "fine_yuan": 50000, "updated_by": "g",
		"updated_at": "2023-04-11 09:00:00"})
	f.insert("case_updates", row{"case_id": "C-1", "status": "已移送", "updated_by": "g", "updated_at": "2023-05-12 09:00:00"})
	f.insert("clue_updates", row{"clue_id": "X-1", "verdict": "属实", "updated_by": "g", "updated_at": "2023-05-01 10:00:00"})
	for _, c := range []row{
		{"kind": "ordered", "cutoff_on": "2023-04-03", "recorded_at": "2023-04-03 10:00:00"},
		{"kind": "done", "cutoff_on": "2023-04-05", "recorded_at": "2023-04-05 10:00:00"},
		{"kind": "done", "cutoff_on": "2023-04-06", "recorded_at": "2023-04-07 10:00:00"}, // a correction: the latest entry wins
		{"kind": "done", "cutoff_on": "2023-04-04", "recorded_at": "2023-04-06 10:00:00"},
	} {
		c["meter_id"], c["entered_by"] = "M1", "office"
		f.insert("power_cutoffs", c)
	}
	f.run("2023-03-31")
	// the run's as-of does not hold the current version back
	expect(t, "case now", f.one(`SELECT * FROM int_cases_now`), row{"case_id": "C-1", "filed_on": "2023-03-22",
		"to_police_on": "2023-04-10", "status": "已移送"})
	if got := f.one(`SELECT CAST(fine_yuan AS VARCHAR) AS fine FROM int_cases_now`)["fine"]; got != "50000.00" {
		t.Errorf("fine now %v, want the update's 50000.00", got)
	}
	expect(t, "case as of 03-31", f.one(`SELECT status, to_police_on FROM stg_enforcement__cases`),
		row{"status": "调查中", "to_police_on": nil})
	expect(t, "clue now", f.one(`SELECT * FROM int_clues_now`), row{"clue_id": "X-1", "verdict": "属实", "verdict_on": "2023-05-01"})
	expect(t, "meter now", f.one(`SELECT * FROM int_meters_now`), row{"meter_id": "M1", "customer_type": "关闭矿井", "village": v2})
	expect(t, "cut-off now", f.one(`SELECT * FROM int_cutoffs_now`), row{"meter_id": "M1", "ordered_on": "2023-04-03", "done_on": "2023-04-06"})
	// a stage the cases file states and one the console enters: the console's, entered later, counts
	f.insert("case_stage_entries", row{"case_id": "C-1", "stage": "filed", "unit": "自然资源局", "stage_on": "2023-03-23",
		"entered_by": "z", "entered_at": "2023-04-01 09:00:00"})
	got := map[string]bool{}
	for _, r := range f.query(`SELECT origin, counts FROM int_case_stages_now WHERE case_id = 'C-1' AND stage = 'filed'`) {
		got[r["origin"].(string)] = r["counts"].(bool)
	}
	if len(got) != 2 || got["案件台账"] || !got["控制台"] {
		t.Errorf("filed entries now %v, want the file's and the console's, the console's counting", got)
	}
}
