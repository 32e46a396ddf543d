package queries

import "testing"

// TestCaseUpdates: progress recorded in the portal overrides the cases file field by field, as of
// the run's as-of (a date after it, or an amount recorded after it, does not count yet).
func TestCaseUpdates(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.insert("raw_cases", row{"case_id": "C-1", "source": "巡查", "township": t1, "village": v1, "found_on": "2023-03-20",
		"filed_on": "2023-03-22", "fine_yuan": 1000, "status": "调查中"})
	f.insert("raw_cases", row{"case_id": "C-2", "source": "举报", "township": t1, "found_on": "2023-03-21"})
	f.run("2023-04-30")
	expect(t, "C-1 before updates", f.one(`SELECT * FROM mart_cases_pipeline WHERE case_id = 'C-1'`),
		row{"stage": "已立案", "fine_yuan": "1000", "status": "调查中"})

	upd := func(r row) {
		f.t.Helper()
		r["updated_by"] = "gongan1"
		f.insert("case_updates", r)
	}
	upd(row{"case_id": "C-1", "to_police_on": "2023-04-10", "fine_yuan": 50000, "updated_at": "2023-04-11 09:00:00"})
	upd(row{"case_id": "C-1", "fine_yuan": 60000, "status": "已移送", "updated_at": "2023-04-20 09:00:00"})
	upd(row{"case_id": "C-1", "to_procuratorate_on": "2023-05-10", "updated_at": "2023-05-10 09:00:00"}) // after 04-30
	upd(row{"case_id": "C-1", "confiscated_yuan": 7000, "updated_at": "2023-05-12 09:00:00"})            // recorded after 04-30
	upd(row{"case_id": "C-2", "filed_on": "2023-03-25", "updated_at": "2023-03-26 09:00:00"})
	upd(row{"case_id": "C-2", "filed_on": "2023-03-24", "updated_at": "2023-03-27 09:00:00"}) // a correction: the latest wins
	upd(row{"case_id": "C-GONE", "filed_on": "2023-03-24", "updated_at": "2023-03-27 09:00:00"})

	f.run("2023-04-30")
	expect(t, "C-1 as of 04-30", f.one(`SELECT * FROM mart_cases_pipeline WHERE case_id = 'C-1'`),
		row{"stage": "移送公安", "filed_on": "2023-03-22", "to_police_on": "2023-04-10", "to_procuratorate_on": nil,
			"fine_yuan": "60000", "confiscated_yuan": nil, "status": "已移送"})
	expect(t, "C-2 as of 04-30", f.one(`SELECT * FROM mart_cases_pipeline WHERE case_id = 'C-2'`),
		row{"stage": "已立案", "filed_on": "2023-03-24"})
	if n := len(f.query(`SELECT * FROM mart_cases_pipeline WHERE case_id = 'C-GONE'`)); n != 0 {
		t.Errorf("an update of a case no file holds made %d rows", n)
	}
	f.run("2023-04-15")
	expect(t, "C-1 as of 04-15", f.one(`SELECT * FROM mart_cases_pipeline WHERE case_id = 'C-1'`),
		row{"stage": "移送公安", "fine_yuan": "50000", "status": "调查中"})
	f.run("2023-05-31")
	expect(t, "C-1 as of 05-31", f.one(`SELECT * FROM mart_cases_pipeline WHERE case_id = 'C-1'`),
		row{"stage": "移送检察院", "to_procuratorate_on": "2023-05-10", "confiscated_yuan": "7000"})
}

// TestClueUpdates: a clue verified 属实 in the portal becomes a violation from the day of the
// update; before that it is not one.
func TestClueUpdates(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.insert("raw_clues", row{"clue_id": "X-1", "source": "媒体曝光", "township": t1, "village": v1, "found_on": "2023-03-20",
		"verdict": "核查中", "lon": 112.30, "lat": 36.50})
	f.run("2023-04-30")
	if n := len(f.query(`SELECT * FROM mart_violations WHERE source_refs LIKE '%X-1%'`)); n != 0 {
		t.Fatalf("a clue 核查中 is a violation (%d rows)", n)
	}
	f.insert("clue_updates", row{"clue_id": "X-1", "verdict": "属实", "note": "现场核实", "updated_by": "gongan1",
		"updated_at": "2023-04-05 10:00:00"})
	f.run("2023-04-30")
	expect(t, "X-1 verified", f.one(`SELECT * FROM mart_violations WHERE source_refs = 'X-1'`),
		row{"sources": "线索", "first_seen": "2023-03-20", "township": t1})
	f.run("2023-04-04")
	if n := len(f.query(`SELECT * FROM mart_violations WHERE source_refs LIKE '%X-1%'`)); n != 0 {
		t.Errorf("a verdict recorded after the as-of counts (%d rows)", n)
	}
	f.insert("clue_updates", row{"clue_id": "X-1", "verdict": "不属实", "note": "复核", "updated_by": "gongan1",
		"updated_at": "2023-04-20 10:00:00"})
	f.run("2023-04-30")
	if n := len(f.query(`SELECT * FROM mart_violations WHERE source_refs LIKE '%X-1%'`)); n != 0 {
		t.Errorf("the latest verdict 不属实 does not win (%d rows)", n)
	}
}
