package queries

import "testing"

func (f *fixture) priceCase(id, requested string, done any) {
	f.t.Helper()
	f.insert("raw_cases", row{"case_id": id, "source": "巡查", "township": t1, "village": v1, "found_on": "2023-03-20",
		"filed_on": "2023-03-22", "price_requested_on": requested, "price_done_on": done})
}

func TestPriceDeadlineWorkdays(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.priceCase("C-FRI", "2023-03-31", "2023-04-04")   // Fri → Mon, Tue: due 04-04, on time
	f.priceCase("C-QM", "2023-04-03", "2023-04-07")    // Mon → Tue, (Wed 清明), Thu: due 04-06, late
	f.priceCase("C-QM2", "2023-04-03", "2023-04-06")   // the same, done on the due day
	f.priceCase("C-ADJ", "2023-04-21", nil)            // Fri → Sun 04-23 (调休上班), Mon: due 04-24
	f.priceCase("C-MAY", "2023-04-27", "2023-05-04")   // Thu → Fri, (weekend, 05-01…03): due 05-04
	f.priceCase("C-LATER", "2023-04-27", "2023-05-05") // done after the as-of: not done yet
	f.insert("raw_cases", row{"case_id": "C-NONE", "source": "巡查", "township": t1, "found_on": "2023-03-20"})
	check := func(asOf string, want map[string]row) {
		t.Helper()
		f.run(asOf)
		for id, w := range want {
			expect(t, id+" as of "+asOf, f.one(`SELECT * FROM mart_cases_pipeline WHERE case_id = ?`, id), w)
		}
	}
	check("2023-04-24", map[string]row{
		"C-FRI":   {"price_due_on": "2023-04-04", "price_late": false},
		"C-QM":    {"price_due_on": "2023-04-06", "price_late": true, "price_late_workdays": int64(1)},
		"C-QM2":   {"price_due_on": "2023-04-06", "price_late": false, "price_late_workdays": int64(0)},
		"C-ADJ":   {"price_due_on": "2023-04-24", "price_late": false, "price_done_on": nil},
		"C-NONE":  {"price_due_on": nil, "price_late": false},
		"C-MAY":   {"price_requested_on": nil, "price_due_on": nil, "price_late": false},
		"C-LATER": {"price_requested_on": nil},
	})
	check("2023-04-25", map[string]row{"C-ADJ": {"price_late": true, "price_late_workdays": int64(1)}})
	check("2023-05-04", map[string]row{
		"C-MAY":   {"price_due_on": "2023-05-04", "price_done_on": "2023-05-04", "price_late": false},
		"C-LATER": {"price_due_on": "2023-05-04", "price_done_on": nil, "price_late": false},
	})
	check("2023-05-05", map[string]row{"C-LATER": {"price_done_on": "2023-05-05", "price_late": true, "price_late_workdays": int64(1)}})
	// not done, over a weekend and 劳动节: the working days after the due day (04-25…04-28), not 04-29…05-01
	check("2023-05-01", map[string]row{"C-ADJ": {"price_late": true, "price_late_workdays": int64(4)}})
}

func TestCasesFunnel(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.insert("raw_cases", row{"case_id": "C-1", "source": "巡查", "township": t1, "found_on": "2023-03-20", "filed_on": "2023-03-22",
		"to_police_on": "2023-04-10", "to_procuratorate_on": "2023-04-25", "judged_on": "2023-06-01", "fine_yuan": 50000, "confiscated_yuan": 12000.5})
	f.insert("raw_cases", row{"case_id": "C-2", "source": "举报", "township": t1, "found_on": "2023-04-02"})
	f.insert("raw_cases", row{"case_id": "C-3", "source": "卫片", "township": t2, "found_on": "2023-05-02", "filed_on": "2023-05-03"})
	f.run("2023-04-30")
	expect(t, "C-1", f.one(`SELECT * FROM mart_cases_pipeline WHERE case_id = 'C-1'`),
		row{"stage": "移送检察院", "to_police_on": "2023-04-10", "judged_on": nil})
	// 罚没款 decided counts whether or not the case was judged (mart_fines): without a 处罚决定 entry
	// it is dated at filing.
	expect(t, "week of 03-20", f.one(`SELECT * FROM mart_campaign_weekly WHERE week_start = DATE '2023-03-20'`),
		row{"fines_yuan": "50000", "confiscated_yuan": "12000.5"})
	expect(t, "C-2", f.one(`SELECT * FROM mart_cases_pipeline WHERE case_id = 'C-2'`), row{"stage": "未立案"})
	if n := len(f.query(`SELECT * FROM mart_cases_pipeline`)); n != 2 {
		t.Errorf("%d cases as of 04-30, want 2 (C-3 is found later)", n)
	}
	f.run("2023-06-30")
	expect(t, "C-1 judged", f.one(`SELECT * FROM mart_cases_pipeline WHERE case_id = 'C-1'`), row{"stage": "已判决"})
	expect(t, "week of 05-29", f.one(`SELECT * FROM mart_campaign_weekly WHERE week_start = DATE '2023-05-29'`),
		row{"fines_yuan": "0", "confiscated_yuan": "0"})
}

func TestCampaignWeekly(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.patch("WP-1", t1, v1, "2023-03-02", 112.30, 36.50, row{"checked_on": "2023-03-08"})
	f.patch("WP-2", t1, v1, "2023-03-03", 112.40, 36.50, row{"verdict": "合法"})
	f.problem("P-1", t1, v1, "2023-03-06", row{"remark": "WP-1"})
	f.problem("P-2", t1, v1, "2023-03-07", nil)
	f.rectified("P-1", "2023-03-30")
	f.insert("raw_clues", row{"clue_id": "X-1", "source": "媒体曝光", "township": t1, "found_on": "2023-03-07", "verdict": "核查中"})
	f.insert("raw_cases", row{"case_id": "C-1", "source": "巡查", "township": t1, "found_on": "2023-03-07", "filed_on": "2023-03-09", "to_police_on": "2023-03-28"})
	f.insert("tips", row{"tip_id": "T1", "received_at": "2023-03-06 10:00:00", "received_on": "2023-03-06", "township": t1,
		"status": "属实", "verdict": "属实", "verified_on": "2023-03-14", "receipt_lookup": "x", "receipt_hash": "x"})
	f.insert("rewards", row{"reward_id": "R1", "tip_id": "T1", "severity": "一般", "amount_yuan": 8000, "approved_on": "2023-03-29",
		"approved_by": "office", "claim_lookup": "x", "claim_hash": "x"})
	f.insert("payouts", row{"payout_id": "Y1", "reward_id": "R1", "amount_yuan": 8000, "voucher_no": "V1", "paid_on": "2023-04-03",
		"recorded_by": "finance", "recorded_at": "2023-04-03 10:00:00"})
	f.run("2023-04-30")
	weeks := map[string]row{}
	for _, w := range f.query(`SELECT * FROM mart_campaign_weekly`) {
		weeks[w["week_start"].(string)] = w
	}
	if len(weeks) != 10 || weeks["2023-02-20"] == nil || weeks["2023-04-24"] == nil {
		t.Fatalf("weeks %v: want 02-20 … 04-24", keys(weeks))
	}
	expect(t, "week 02-27", weeks["2023-02-27"], row{"iso_week": 9, "new_patches": 2, "violations_verified": 0})
	// WP-1 and the case found 03-07 are one week apart: the case is a violation of its own
	expect(t, "week 03-06", weeks["2023-03-06"], row{"week_end": "2023-03-12", "problems_listed": 2, "new_other_clues": 1,
		"violations_verified": 2, "cases_filed": 1, "tips_received": 1, "tips_verified": 0})
	expect(t, "week 03-13", weeks["2023-03-13"], row{"tips_verified": 1, "violations_verified": 1})
	expect(t, "week 03-27", weeks["2023-03-27"], row{"items_rectified": 1, "cases_to_police": 1, "rewards_approved": 1, "rewards_approved_yuan": "8000"})
	expect(t, "week 04-03", weeks["2023-04-03"], row{"rewards_paid": 1, "rewards_paid_yuan": "8000"})
}
