package queries

import "testing"

// TestDeptClueReachesViolations: a clue a unit raised on its console is 核查中 from when it was
// raised, and once verified 属实 it is a violation like any channel's, merged with a patch 100 m
// away in the same village.
func TestDeptClueReachesViolations(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.patch("WP-1", t1, v1, "2023-03-02", 112.30, 36.50, nil)
	f.insert("dept_clues", row{"clue_id": "BM-0001", "unit": "应急", "township": t1, "village": v1, "lon": 112.30, "lat": north(36.50, 100),
		"found_on": "2023-03-05", "description": "夜间有车辆运煤", "raised_by": "yj", "raised_at": "2023-03-06 09:00:00"})
	f.insert("dept_clues", row{"clue_id": "BM-0002", "unit": "应急", "township": t2, "village": v2,
		"found_on": "2023-03-07", "description": "山坡新开挖", "raised_by": "yj", "raised_at": "2023-03-20 09:00:00"})
	f.insert("clue_updates", row{"clue_id": "BM-0001", "verdict": "属实", "note": "现场核实", "updated_by": "ga", "updated_at": "2023-03-10 15:00:00"})
	f.insert("clue_updates", row{"clue_id": "BM-0002", "verdict": "属实", "note": "现场核实", "updated_by": "ga", "updated_at": "2023-03-21 15:00:00"})
	f.run("2023-03-15")
	expect(t, "BM-0001 staged", f.one(`SELECT * FROM stg_clues__clues WHERE clue_id = 'BM-0001'`), row{"source": "部门移送", "unit": "应急", "verdict": "属实"})
	if n := len(f.query(`SELECT * FROM int_violation_records WHERE record_id = 'BM-0002' AND as_of = DATE '2023-03-15'`)); n != 0 {
		t.Errorf("BM-0002 was raised on 03-20: not a record as of 03-15")
	}
	v := f.one(`SELECT * FROM mart_violations WHERE violation_id = 'WP-1'`)
	expect(t, "merged", v, row{"sources": "卫片,线索"})
	f.run("2023-03-31")
	if n := len(f.query(`SELECT * FROM mart_violations WHERE source_refs LIKE '%BM-0002%'`)); n != 1 {
		t.Errorf("BM-0002 verified 03-21 is a violation as of 03-31: %d", n)
	}
}
