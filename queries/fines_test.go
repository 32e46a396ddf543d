package queries

import (
	"strconv"
	"testing"
)

// TestFinesDecidedCollected: 罚没款 has one definition (mart_fines): the 处罚决定 entry's fine wins
// over the register's, the register's 没收金额 counts, the court's 罚金 comes from the 判决 entry;
// every case counts judged or not; collections are known from their arrival and paid by the as-of;
// decided = collected + outstanding.
func TestFinesDecidedCollected(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	// C-1: register fine 50000, a 处罚决定 entry of 40000 (it wins), confiscated 10000; never judged.
	f.insert("raw_cases", row{"case_id": "C-1", "source": "巡查", "township": t1, "found_on": "2023-03-20", "filed_on": "2023-03-22",
		"fine_yuan": 50000, "confiscated_yuan": 10000})
	f.insert("raw_case_stages", row{"case_id": "C-1", "stage": "penalty", "stage_on": "2023-04-05", "unit": "自然资源",
		"fine_yuan": 40000, "doc_no": "沁自然资罚〔2023〕1号"})
	// C-2: judged by the court with a 罚金 of 30000; the register's fine 20000 stays 罚款.
	f.insert("raw_cases", row{"case_id": "C-2", "source": "举报", "township": t2, "found_on": "2023-03-01", "filed_on": "2023-03-02",
		"to_police_on": "2023-03-10", "to_procuratorate_on": "2023-03-20", "judged_on": "2023-04-20", "fine_yuan": 20000})
	f.insert("raw_case_stages", row{"case_id": "C-2", "stage": "judged", "stage_on": "2023-04-20", "unit": "法院", "fine_yuan": 30000})
	// collections: one paid 04-10 in a file that arrived 04-12, one paid 04-28 entered on the console 05-02
	b := f.newBatch("collections")
	f.received(b, "2023-04-12 10:00")
	f.insert("raw_collections", row{"case_id": "C-1", "paid_on": "2023-04-10", "amount_yuan": 15000, "receipt_no": "PJ-1", "fine_kind": "罚款"})
	f.insert("raw_collections", row{"case_id": "C-2", "paid_on": "2023-04-11", "amount_yuan": 20000, "receipt_no": "PJ-2", "fine_kind": "罚款"})
	f.insert("collection_entries", row{"case_id": "C-2", "paid_on": "2023-04-28", "amount_yuan": 5000, "receipt_no": "PJ-3", "fine_kind": "罚金",
		"entered_by": "cz", "entered_at": "2023-05-02 09:00:00"})

	f.run("2023-04-11")
	got := map[string]row{}
	for _, r := range f.query(`SELECT * FROM mart_fines`) {
		got[r["case_id"].(string)+"/"+r["fine_kind"].(string)] = r
	}
	if len(got) != 3 {
		t.Fatalf("as of 04-11: %d rows, want 3 (C-1 罚款, C-1 没收, C-2 罚款; no 罚金 before the judgement): %v", len(got), got)
	}
	expect(t, "C-1 罚款 04-11", got["C-1/罚款"], row{"decided_yuan": "40000", "collected_yuan": "0", "outstanding_yuan": "40000",
		"decided_on": "2023-04-05", "doc_no": "沁自然资罚〔2023〕1号", "unit": "自然资源"})
	expect(t, "C-1 没收 04-11", got["C-1/没收违法所得"], row{"decided_yuan": "10000", "decided_on": "2023-04-05"})
	expect(t, "C-2 罚款 04-11", got["C-2/罚款"], row{"decided_yuan": "20000", "collected_yuan": "0", "decided_on": "2023-03-02"})

	f.run("2023-04-30")
	got = map[string]row{}
	for _, r := range f.query(`SELECT * FROM mart_fines`) {
		got[r["case_id"].(string)+"/"+r["fine_kind"].(string)] = r
	}
	expect(t, "C-1 罚款 04-30", got["C-1/罚款"], row{"decided_yuan": "40000", "collected_yuan": "15000", "outstanding_yuan": "25000", "receipts": int64(1)})
	expect(t, "C-2 罚款 04-30", got["C-2/罚款"], row{"collected_yuan": "20000", "outstanding_yuan": "0"})
	expect(t, "C-2 罚金 04-30 (the console entry is not known yet)", got["C-2/罚金"],
		row{"decided_yuan": "30000", "collected_yuan": "0", "unit": "法院", "decided_on": "2023-04-20"})
	tot := f.one(`SELECT sum(fines_yuan) AS fines, sum(confiscated_yuan) AS conf, sum(fines_collected_yuan) AS coll FROM mart_campaign_weekly`)
	expect(t, "weekly totals 04-30", tot, row{"fines": "90000", "conf": "10000", "coll": "35000"})

	months := map[string]row{}
	for _, r := range f.query(`SELECT CAST(month AS VARCHAR) AS m, * FROM mart_finance_monthly`) {
		months[r["m"].(string)+"/"+r["unit"].(string)] = r
	}
	expect(t, "自然资源 2023-03", months["2023-03-01/自然资源"], row{"decided_yuan": "20000", "collected_yuan": "0", "outstanding_yuan": "20000"})
	expect(t, "自然资源 2023-04", months["2023-04-01/自然资源"], row{"decided_yuan": "50000", "collected_yuan": "35000", "outstanding_yuan": "35000"})
	expect(t, "法院 2023-04", months["2023-04-01/法院"], row{"decided_yuan": "30000", "collected_yuan": "0", "outstanding_yuan": "30000"})

	f.run("2023-05-05")
	expect(t, "C-2 罚金 05-05", f.one(`SELECT * FROM mart_fines WHERE case_id = 'C-2' AND fine_kind = '罚金'`),
		row{"collected_yuan": "5000", "outstanding_yuan": "25000", "last_paid_on": "2023-04-28"})
	for _, r := range f.query(`SELECT * FROM mart_fines WHERE decided_yuan <> collected_yuan + outstanding_yuan`) {
		t.Errorf("decided ≠ collected + outstanding: %v", r)
	}
}

// TestFinanceFund: the reward fund by month against the configured budget; restoration the county
// budget bears.
func TestFinanceFund(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.insert("tips", row{"tip_id": "T1", "received_at": "2023-03-06 10:00:00", "received_on": "2023-03-06", "township": t1,
		"status": "属实", "verdict": "属实", "verified_on": "2023-03-14", "receipt_lookup": "x", "receipt_hash": "x"})
	f.insert("rewards", row{"reward_id": "R1", "tip_id": "T1", "severity": "一般", "amount_yuan": 8000, "approved_on": "2023-03-29",
		"approved_by": "office", "claim_lookup": "x", "claim_hash": "x"})
	f.insert("payouts", row{"payout_id": "Y1", "reward_id": "R1", "amount_yuan": 5000, "voucher_no": "V1", "paid_on": "2023-04-03",
		"recorded_by": "finance", "recorded_at": "2023-04-03 10:00:00"})
	f.problem("P-1", t1, v1, "2023-03-06", nil)
	f.insert("raw_restoration", row{"item_id": "P-1", "party": "县财政兜底", "area_mu": 2, "due_on": "2023-09-30", "cost_yuan": 12000, "paid_yuan": 2000, "payer": "县财政"})
	f.run("2023-04-30")
	budget := f.one(`SELECT num FROM dim_parameters WHERE key = 'reward_budget_yuan'`)["num"].(float64)
	expect(t, "fund 2023-04", f.one(`SELECT * FROM mart_finance_fund WHERE month = DATE '2023-04-01'`),
		row{"approved_yuan": "0", "paid_yuan": "5000", "approved_total_yuan": "8000", "paid_total_yuan": "5000", "owed_yuan": "3000",
			"remaining_yuan": strconv.FormatFloat(budget-8000, 'f', -1, 64)})
	expect(t, "fund 2023-03", f.one(`SELECT * FROM mart_finance_fund WHERE month = DATE '2023-03-01'`),
		row{"approved_yuan": "8000", "paid_yuan": "0", "owed_yuan": "8000"})
	expect(t, "restoration borne", f.one(`SELECT * FROM mart_finance_restoration`),
		row{"item_id": "P-1", "cost_yuan": "12000", "paid_yuan": "2000", "outstanding_yuan": "10000"})
}
