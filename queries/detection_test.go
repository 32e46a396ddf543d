package queries

import "testing"

const (
	t1 = "沁河镇"
	t2 = "郭道镇"
	v1 = "沁河村"
	v2 = "白堡村"
)

// detectionFixture plants, in 沁河镇 unless said otherwise:
//
//	WP-001 referenced by a problem's 备注 (detected, reference)
//	WP-002 with a problem 299 m away (detected, distance)
//	WP-003 with a problem 301 m away (missed; a ledger item of its own, rectified on time)
//	WP-004 matched only by a problem reported after the deadline (missed; that problem is its item)
//	WP-005 referenced only by a problem of 郭道镇 (missed; matched, so no ledger item)
//	WP-006 with a 郭道镇 problem 50 m away (missed; no match across townships)
//	WP-007 imaged after the deadline (not_due)
//	WP-008 imaged 04-20, after the end of rectification (new_after_rectification)
//	WP-009 (郭道镇) imaged 03-01 but verified only on 03-20
func detectionFixture(t *testing.T) *fixture {
	f := newFixture(t)
	f.patch("WP-001", t1, v1, "2023-03-02", 112.30, 36.50, row{"checked_on": "2023-03-05"})
	f.problem("沁河镇-20230310-1", t1, v1, "2023-03-10", row{"remark": "即卫片图斑WP-001，已停工"})

	f.patch("WP-002", t1, v1, "2023-03-01", 112.40, 36.60, nil)
	f.problem("沁河镇-20230310-2", t1, v1, "2023-03-10", row{"lon": 112.40, "lat": north(36.60, 299)})

	f.patch("WP-003", t1, v1, "2023-03-01", 112.45, 36.65, nil)
	f.problem("沁河镇-20230310-3", t1, v1, "2023-03-10", row{"lon": 112.45, "lat": north(36.65, 301)})

	f.patch("WP-004", t1, v2, "2023-03-01", 112.50, 36.70, nil)
	f.problem("沁河镇-20230320-1", t1, v2, "2023-03-20", row{"lon": 112.50, "lat": north(36.70, 100)})

	f.patch("WP-005", t1, v2, "2023-03-01", 112.55, 36.75, nil)
	f.problem("郭道镇-20230310-1", t2, "郭道村", "2023-03-10", row{"remark": "沁河镇WP-005"})

	f.patch("WP-006", t1, v2, "2023-03-01", 112.60, 36.80, nil)
	f.problem("郭道镇-20230310-2", t2, "郭道村", "2023-03-10", row{"lon": 112.60, "lat": north(36.80, 50)})

	f.patch("WP-007", t1, v1, "2023-03-20", 112.20, 36.40, nil)
	f.patch("WP-008", t1, v1, "2023-04-20", 112.10, 36.30, nil)
	f.patch("WP-009", t2, "郭道村", "2023-03-01", 112.00, 36.30, row{"checked_on": "2023-03-20"})
	// a patch found legal is no violation
	f.patch("WP-010", t1, v1, "2023-03-01", 112.05, 36.35, row{"verdict": "合法"})

	f.rectified("沁河镇-20230310-1", "2023-04-10")
	f.insert("raw_rectifications", row{"item_id": "沁河镇-20230310-2", "status": "整改中"})
	f.rectified("沁河镇-20230310-2", "2023-04-20")
	f.rectified("WP-003", "2023-04-12")
	return f
}

func TestDetectionAndLedger(t *testing.T) {
	t.Parallel()
	f := detectionFixture(t)
	f.run("2023-04-30")

	status := map[string]row{}
	for _, v := range f.query(`SELECT * FROM mart_violations`) {
		status[v["violation_id"].(string)] = v
	}
	want := map[string]row{
		"WP-001": {"detection_status": "detected", "detected_by": "沁河镇-20230310-1", "match_reason": "编号对应", "first_seen": "2023-03-02"},
		"WP-002": {"detection_status": "detected", "detected_by": "沁河镇-20230310-2", "match_reason": "距离对应"},
		"WP-003": {"detection_status": "missed", "detected_by": nil, "match_reason": nil},
		"WP-004": {"detection_status": "missed", "detected_by": nil, "match_reason": "补报：表上日期 03-20，晚于 03-14 截止", "late_problem": "沁河镇-20230320-1"},
		"WP-005": {"detection_status": "missed", "detected_by": nil, "match_reason": "编号对应", "late_problem": nil},
		"WP-006": {"detection_status": "missed", "detected_by": nil, "match_reason": nil},
		"WP-007": {"detection_status": "not_due"},
		"WP-008": {"detection_status": "new_after_rectification"},
		"WP-009": {"detection_status": "missed", "township": t2, "first_seen": "2023-03-01"},
	}
	if len(status) != len(want) {
		t.Errorf("%d violations, want %d: %v", len(status), len(want), status)
	}
	for id, w := range want {
		expect(t, id, status[id], w)
	}

	ledger := map[string]row{}
	for _, l := range f.query(`SELECT * FROM mart_ledger`) {
		ledger[l["item_id"].(string)] = l
	}
	// problems, plus the violations no problem matches: WP-003, WP-006, WP-007, WP-008, WP-009
	for _, id := range []string{"沁河镇-20230310-1", "沁河镇-20230310-2", "沁河镇-20230310-3", "沁河镇-20230320-1",
		"郭道镇-20230310-1", "郭道镇-20230310-2", "WP-003", "WP-006", "WP-007", "WP-008", "WP-009"} {
		if ledger[id] == nil {
			t.Errorf("ledger lacks %s", id)
		}
	}
	if len(ledger) != 11 {
		t.Errorf("ledger has %d items, want 11", len(ledger))
	}
	expect(t, "p1", ledger["沁河镇-20230310-1"], row{"kind": "problem", "deadline": "2023-04-15", "status_as_of": "已整改", "rectified_on": "2023-04-10", "on_time": true, "overdue": false})
	expect(t, "p2", ledger["沁河镇-20230310-2"], row{"status_as_of": "已整改", "rectified_on": "2023-04-20", "on_time": false, "overdue": false})
	expect(t, "WP-003", ledger["WP-003"], row{"kind": "violation", "deadline": "2023-04-15", "on_time": true})
	expect(t, "WP-008", ledger["WP-008"], row{"kind": "violation", "deadline": "2023-05-20", "overdue": false})
	expect(t, "late problem", ledger["沁河镇-20230320-1"], row{"deadline": "2023-04-15", "overdue": true, "status_as_of": "未整改"})

	// 沁河镇: due WP-001…006 (6), detected 2, missed 4; ledger due 7 (4 problems, WP-003, -006, -007),
	// on time 2 (p1, WP-003), open past deadline 4; WP-008 new; no patrol in 9 weeks.
	expect(t, "沁河镇 04-30", f.card("2023-04-30", t1), row{
		"violations_due": 6, "detected": 2, "missed": 4, "missed_detection_rate": 4.0 / 6,
		"ledger_due": 7, "rectified_on_time": 2, "rectification_rate": 2.0 / 7, "overdue_open": 4,
		"new_after_rectification": 1, "patrol_weeks": 9, "patrol_weeks_done": 0, "patrol_compliance": 0.0,
		"level": "red", "reasons": "应排漏排4处；整改不到位4项；属地新增1处；巡查缺9周"})
	// as of 04-16: WP-008 not imaged yet, p2 still open (rectified 04-20)
	expect(t, "沁河镇 04-16", f.card("2023-04-16", t1), row{
		"violations_due": 6, "missed": 4, "ledger_due": 7, "rectified_on_time": 2, "overdue_open": 5,
		"new_after_rectification": 0, "patrol_weeks": 7})
	// before the deadline nothing is missed
	expect(t, "沁河镇 03-12", f.card("2023-03-12", t1), row{
		"violations_due": 0, "detected": 0, "missed": 0, "missed_detection_rate": nil,
		"ledger_due": 0, "rectification_rate": nil, "overdue_open": 0, "patrol_weeks": 2})
	// WP-009 counts from its verification on 03-20
	expect(t, "郭道镇 03-19", f.card("2023-03-19", t2), row{"violations_due": 0, "missed_detection_rate": nil})
	expect(t, "郭道镇 03-26", f.card("2023-03-26", t2), row{"violations_due": 1, "missed": 1, "missed_detection_rate": 1.0})

	// the ledger status as of 04-16: the 整改中 row shows, the 04-20 completion does not exist yet
	f.run("2023-04-16")
	expect(t, "p2 at 04-16", f.one(`SELECT * FROM mart_ledger WHERE item_id = '沁河镇-20230310-2'`),
		row{"status_as_of": "整改中", "rectified_on": nil, "overdue": true, "on_time": false})
	if n := len(f.query(`SELECT * FROM mart_violations WHERE violation_id = 'WP-008'`)); n != 0 {
		t.Error("WP-008, imaged 04-20, is a violation as of 04-16")
	}
	expect(t, "WP-007 at 03-12", f.one(`SELECT detection_status FROM int_violations_classified WHERE violation_id = 'WP-007' AND as_of = DATE '2023-04-16'`),
		row{"detection_status": "not_due"})
}

func TestReplacedBatchIgnored(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.patch("WP-1", t1, v1, "2023-03-01", 112.30, 36.50, nil)
	f.problem("沁河镇-20230310-1", t1, v1, "2023-03-10", row{"remark": "WP-1"})
	f.rectified("沁河镇-20230310-1", "2023-04-01")
	// the corrected form drops the reference; the corrected ledger drops the completion
	f.replace("inspection")
	f.problem("沁河镇-20230310-1", t1, v1, "2023-03-10", row{"remark": "无"})
	f.replace("rectification")
	f.insert("raw_rectifications", row{"item_id": "沁河镇-20230310-1", "status": "整改中"})
	f.run("2023-04-30")
	expect(t, "WP-1", f.one(`SELECT * FROM mart_violations`), row{"detection_status": "missed"})
	expect(t, "problem", f.one(`SELECT * FROM mart_ledger WHERE kind = 'problem'`), row{"status_as_of": "整改中", "overdue": true})
	expect(t, "card", f.card("2023-04-30", t1), row{"missed": 1, "ledger_due": 2, "rectified_on_time": 0, "overdue_open": 2})
	// staging keeps both versions; the original stopped counting when the correction arrived
	if n := f.one(`SELECT count(*) AS n FROM stg_forms__inspections`)["n"]; !same(n, 2) {
		t.Errorf("staging keeps %v inspection rows, want both versions", n)
	}
	expect(t, "listed", f.one(`SELECT count(*) AS n, any_value(remark) AS remark FROM int_problems_listed WHERE known_on = DATE '2023-04-30'`),
		row{"n": 1, "remark": "无"})
}

func TestProblemDeadlines(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.problem("P-given", t1, v1, "2023-03-10", row{"deadline": "2023-03-31"})
	f.problem("P-default", t1, v1, "2023-03-10", nil)
	f.problem("P-late", t1, v1, "2023-04-20", nil)
	// the same 问题编号 on the township's review form later keeps the village's date
	f.problem("P-default", t1, v1, "2023-03-12", row{"level": "乡镇"})
	f.run("2023-04-30")
	got := map[string]any{}
	for _, r := range f.query(`SELECT item_id, deadline FROM mart_ledger`) {
		got[r["item_id"].(string)] = r["deadline"]
	}
	want := map[string]any{"P-given": "2023-03-31", "P-default": "2023-04-15", "P-late": "2023-05-20"}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s deadline %v, want %v", k, got[k], w)
		}
	}
	if len(got) != 3 {
		t.Errorf("ledger %v", got)
	}
}
