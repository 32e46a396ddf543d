package queries

import "testing"

// TestPeriodDetection: a violation first seen in a 常态化 period is judged against the period's
// detection deadline (2024-03-15 in the default configuration), on the list as it stood at the end
// of that day — not as 属地新增 after the campaign's rectification — while one of the campaign keeps
// the campaign's deadline.
func TestPeriodDetection(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.patch("WP-P1", t1, v1, "2024-01-10", 112.30, 36.50, nil) // listed on time: detected
	f.patch("WP-P2", t1, v2, "2024-01-10", 112.40, 36.60, nil) // listed, the form arrived after the deadline: missed (迟报)
	f.patch("WP-P3", t1, v1, "2024-03-20", 112.20, 36.40, nil) // first seen after the period's deadline: not due
	f.patch("WP-P4", t1, v2, "2024-01-10", 112.50, 36.70, nil) // never listed: missed
	f.patch("WP-C", t1, v1, "2023-04-20", 112.10, 36.30, nil)  // after the campaign's rectification, outside every period
	onTime := f.newBatch("inspection")
	f.problem("沁河镇-20240301-1", t1, v1, "2024-03-01", row{"remark": "WP-P1"})
	f.received(onTime, "2024-03-15 23:59:59")
	late := f.newBatch("inspection")
	f.problem("沁河镇-20240301-2", t1, v2, "2024-03-01", row{"remark": "WP-P2"})
	f.received(late, "2024-03-16 00:00:00")
	f.run("2024-03-31")

	for id, want := range map[string]row{
		"WP-P1": {"detection_status": "detected", "detected_by": "沁河镇-20240301-1"},
		"WP-P2": {"detection_status": "missed", "late_problem": "沁河镇-20240301-2", "match_reason": "迟报：表上日期 03-01，03-16 才报送，晚于 03-15 截止"},
		"WP-P3": {"detection_status": "not_due"},
		"WP-P4": {"detection_status": "missed", "detected_by": nil},
		"WP-C":  {"detection_status": "new_after_rectification"},
	} {
		expect(t, id, f.one(`SELECT * FROM mart_violations WHERE violation_id = ?`, id), want)
	}
	// the missed ones are on the accountability list as of the period's deadline
	for _, id := range []string{"WP-P2", "WP-P4"} {
		expect(t, id+" on the list", f.one(`SELECT * FROM mart_accountability WHERE item_id = ? AND reason = '应排漏排'`, id),
			row{"item_date": "2024-03-15"})
	}
	// before the deadline nothing of the period is due yet
	f.run("2024-03-10")
	expect(t, "WP-P4 before the deadline", f.one(`SELECT * FROM mart_violations WHERE violation_id = 'WP-P4'`), row{"detection_status": "not_due"})
}
