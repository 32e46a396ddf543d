package queries

import (
	"fmt"
	"testing"
)

func TestChannelMerge(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	lon, lat := 112.30, 36.50
	// one site seen by five records: the case names the patch, the tip names the case, clue X-1 is
	// 250 m from the patch, clue X-3 250 m beyond X-1 (500 m from the patch: merged through X-1)
	f.patch("WP-101", t1, v1, "2023-03-03", lon, lat, nil)
	f.insert("raw_cases", row{"case_id": "C-1", "source": "卫片", "source_ref": "WP-101", "township": t1, "village": v1, "found_on": "2023-03-01"})
	f.insert("raw_clues", row{"clue_id": "X-1", "source": "媒体曝光", "township": t1, "village": v1, "lon": lon, "lat": north(lat, 250), "found_on": "2023-03-05", "verdict": "属实", "category": "M1"})
	f.insert("raw_clues", row{"clue_id": "X-3", "source": "日常监管", "township": t1, "village": v1, "lon": lon, "lat": north(lat, 500), "found_on": "2023-03-05", "verdict": "属实"})
	f.insert("tips", row{"tip_id": "T20230304001", "received_at": "2023-03-04 09:00:00", "received_on": "2023-03-04", "category": "M4",
		"township": t1, "village": v1, "status": "属实", "verdict": "属实", "verified_on": "2023-03-06", "linked_ref": "C-1",
		"receipt_lookup": "x", "receipt_hash": "x"})
	// 100 m away but in another village: a violation of its own
	f.insert("raw_clues", row{"clue_id": "X-2", "source": "上级督察", "township": t1, "village": v2, "lon": lon, "lat": north(lat, -100), "found_on": "2023-03-05", "verdict": "属实"})
	// not verified: no violation
	f.insert("raw_clues", row{"clue_id": "X-4", "source": "媒体曝光", "township": t1, "village": v1, "lon": lon, "lat": lat, "found_on": "2023-03-05", "verdict": "不属实"})
	// seen the same day by a patch and a clue: the patch (channel order) names the violation
	f.patch("WP-201", t1, v1, "2023-03-02", 112.40, 36.60, nil)
	f.insert("raw_clues", row{"clue_id": "X-201", "source": "日常监管", "township": t1, "village": v1, "lon": 112.40, "lat": north(36.60, 100), "found_on": "2023-03-02", "verdict": "属实", "category": "L3"})

	f.run("2023-04-30")
	got := map[string]row{}
	for _, v := range f.query(`SELECT * FROM mart_violations`) {
		got[v["violation_id"].(string)] = v
	}
	if len(got) != 3 {
		t.Fatalf("%d violations, want 3: %v", len(got), got)
	}
	expect(t, "C-1", got["C-1"], row{"first_seen": "2023-03-01", "category": "M4",
		"sources": "案件,卫片,举报,线索,线索", "source_refs": "C-1,WP-101,T20230304001,X-1,X-3", "lat": nil})
	expect(t, "X-2", got["X-2"], row{"village": v2, "sources": "线索"})
	expect(t, "WP-201", got["WP-201"], row{"sources": "卫片,线索", "source_refs": "WP-201,X-201", "category": "L3", "lon": 112.40})

	// as of 03-05 the tip is not verified yet, and the patch (03-03) is there
	f.run("2023-03-05")
	expect(t, "C-1 at 03-05", f.one(`SELECT * FROM mart_violations WHERE violation_id = 'C-1'`),
		row{"source_refs": "C-1,WP-101,X-1,X-3", "category": "M1"})
	// as of 03-02 the case stands alone and the clues and patch do not exist yet
	f.run("2023-03-02")
	expect(t, "C-1 at 03-02", f.one(`SELECT * FROM mart_violations WHERE violation_id = 'C-1'`), row{"source_refs": "C-1"})
}

func TestMergeRadius(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for i, d := range []float64{299, 301} {
		lon := 112.3 + float64(i)*0.1
		f.patch(fmt.Sprintf("WP-%d", i), t1, v1, "2023-03-02", lon, 36.5, nil)
		f.insert("raw_clues", row{"clue_id": fmt.Sprintf("X-%d", i), "source": "日常监管", "township": t1, "village": v1,
			"lon": lon, "lat": north(36.5, d), "found_on": "2023-03-03", "verdict": "属实"})
	}
	f.run("2023-04-30")
	var ids []string
	for _, v := range f.query(`SELECT violation_id FROM mart_violations ORDER BY 1`) {
		ids = append(ids, v["violation_id"].(string))
	}
	if fmt.Sprint(ids) != "[WP-0 WP-1 X-1]" {
		t.Errorf("violations %v: 299 m merges, 301 m does not", ids)
	}
}

func TestDistanceUsesViolationTownship(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	// the patch in 沁河镇 and a 郭道镇 case naming it merge into one 沁河镇 violation; the case lies
	// 2 km north, across the township line
	f.patch("WP-1", t1, v1, "2023-03-02", 112.30, 36.50, nil)
	f.insert("raw_cases", row{"case_id": "C-1", "source": "卫片", "source_ref": "WP-1", "township": t2, "village": "郭道村",
		"lon": 112.30, "lat": north(36.50, 2000), "found_on": "2023-03-04"})
	// a 沁河镇 problem 100 m from the case matches (the violation's township); a 郭道镇 one does not
	f.problem("沁河镇-1", t1, v1, "2023-03-10", row{"lon": 112.30, "lat": north(36.50, 2100)})
	f.problem("郭道镇-1", t2, "郭道村", "2023-03-10", row{"lon": 112.30, "lat": north(36.50, 1900)})
	f.run("2023-04-30")
	expect(t, "WP-1", f.one(`SELECT * FROM mart_violations`), row{"violation_id": "WP-1", "township": t1,
		"source_refs": "WP-1,C-1", "detection_status": "detected", "detected_by": "沁河镇-1", "match_reason": "距离对应"})
	if n := len(f.query(`SELECT * FROM mart_ledger WHERE kind = 'violation'`)); n != 0 {
		t.Errorf("%d violation items; the matched violation is none", n)
	}
}

func (f *fixture) tip(id, received, verified string, extra row) {
	f.t.Helper()
	r := row{"tip_id": id, "received_at": received + " 09:00:00", "received_on": received, "township": t1, "village": v1,
		"status": "属实", "verdict": "属实", "verified_on": verified, "receipt_lookup": id, "receipt_hash": id}
	for k, v := range extra {
		r[k] = v
	}
	f.insert("tips", r)
}

func TestTipReferences(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	// a tip naming a problem is matched by it (reference), and its duplicate merges into it
	f.tip("T1", "2023-03-02", "2023-03-05", row{"linked_ref": "沁河镇-20230310-1"})
	f.tip("T2", "2023-03-03", "2023-03-06", row{"duplicate_of": "T1", "lon": 112.9, "lat": 36.9})
	f.problem("沁河镇-20230310-1", t1, v1, "2023-03-10", nil)
	// a tip not verified, and one found untrue, are no violations
	f.tip("T3", "2023-03-02", "", row{"status": "核查中", "verdict": nil, "verified_on": nil})
	f.tip("T4", "2023-03-02", "2023-03-04", row{"status": "不属实", "verdict": "不属实"})
	f.run("2023-04-30")
	expect(t, "T1", f.one(`SELECT * FROM mart_violations`), row{"violation_id": "T1", "source_refs": "T1,T2",
		"sources": "举报,举报", "detection_status": "detected", "detected_by": "沁河镇-20230310-1", "match_reason": "编号对应"})
	// as of 03-05 the duplicate is not verified yet
	f.run("2023-03-05")
	expect(t, "T1 at 03-05", f.one(`SELECT * FROM mart_violations`), row{"source_refs": "T1", "detection_status": "not_due"})
}
