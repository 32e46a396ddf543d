package queries

import "testing"

// The restoration ledger as of a day: each item in the version known by then, its state, and the
// only land counted restored — the area accepted by then (mart_campaign_weekly.area_restored_mu,
// which the public page and the briefing read). An acceptance whose file arrived after the as-of
// changes nothing for it; a violation's patch area never counts.
func TestRestorationAcceptedOnly(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	// a rectified violation with a patch: its area is not restored land
	f.patch("WP-R1", t1, v1, "2023-03-20", 112.3, 36.5, row{"area_mu": 9.5})
	f.rectified("WP-R1", "2023-04-05")
	f.received(f.newBatch("restoration"), "2023-04-10 09:00")
	f.insert("raw_restoration", row{"item_id": "WP-R1", "party": "违法者", "area_mu": 2.5, "restored_mu": 1, "due_on": "2023-05-31",
		"cost_yuan": 30000, "paid_yuan": 10000, "payer": "违法者", "note": "复垦耕地"})
	f.insert("raw_restoration", row{"item_id": "AJ-X", "party": "县财政兜底", "area_mu": 1.2, "due_on": "2023-04-20", "cost_yuan": 12000})
	f.insert("raw_restoration", row{"item_id": "AJ-Y", "party": "责任单位", "area_mu": 0.8, "due_on": "2023-06-30"})
	// 自然资源 accepted WP-R1 on Saturday 05-06; the ledger saying so reached the county on 05-08
	f.received(f.newBatch("restoration"), "2023-05-08 10:00")
	f.insert("raw_restoration", row{"item_id": "WP-R1", "party": "违法者", "area_mu": 2.5, "restored_mu": 2.5, "due_on": "2023-05-31",
		"accepted_on": "2023-05-06", "cost_yuan": 30000, "paid_yuan": 30000, "payer": "违法者", "note": "复垦耕地"})
	area := func() float64 {
		t.Helper()
		r := f.one(`SELECT CAST(coalesce(sum(area_restored_mu), 0) AS DOUBLE) AS mu FROM mart_campaign_weekly`)
		return r["mu"].(float64)
	}
	state := func(id string) row {
		t.Helper()
		return f.one(`SELECT * FROM mart_restoration WHERE item_id = ?`, id)
	}
	f.run("2023-04-30")
	if r := f.one(`SELECT status_as_of FROM mart_ledger WHERE item_id = 'WP-R1'`); r["status_as_of"] != "已整改" {
		t.Fatalf("the violation is not rectified: %v", r)
	}
	expect(t, "WP-R1 as of 04-30", state("WP-R1"), row{"state": "进行中", "accepted_mu": "0", "accepted_on": nil, "outstanding_yuan": "20000"})
	expect(t, "AJ-X as of 04-30", state("AJ-X"), row{"state": "逾期", "late": true, "party": "县财政兜底"})
	expect(t, "AJ-Y as of 04-30", state("AJ-Y"), row{"state": "未开始", "late": false})
	if mu := area(); mu != 0 {
		t.Errorf("restored land as of 04-30: %v, want 0 (nothing accepted; never the patch area)", mu)
	}
	f.run("2023-05-07")
	expect(t, "WP-R1 as of 05-07 (accepted 05-06, known 05-08)", state("WP-R1"), row{"state": "进行中", "accepted_mu": "0"})
	if mu := area(); mu != 0 {
		t.Errorf("restored land as of 05-07: %v, want 0", mu)
	}
	f.run("2023-05-08")
	expect(t, "WP-R1 as of 05-08", state("WP-R1"), row{"state": "已验收", "accepted_on": "2023-05-06", "accepted_mu": "2.5",
		"late": false, "outstanding_yuan": "0"})
	if mu := area(); mu != 2.5 {
		t.Errorf("restored land as of 05-08: %v, want 2.5", mu)
	}
	w := f.one(`SELECT area_restored_mu FROM mart_campaign_weekly WHERE week_start = DATE '2023-05-01'`)
	expect(t, "week of the acceptance", w, row{"area_restored_mu": "2.5"})
}
