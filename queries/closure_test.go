package queries

import "testing"

// A case may end without transfer: 处罚决定 (文号, fine) → 执行完毕 → 结案, entered by 自然资源 or stated
// by the register's 状态 alone (已结案, dated the day the first version stating it arrived). A closed
// case owes nothing more — its open 处罚决定 drops out — unless it went to 公安, whose stages go on;
// the register's stage reads 已结案, so the look-back counts it handled. 公安, 检察院 and 法院 owe
// nothing for a case never transferred to them.
func TestAdministrativeClosure(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.received(f.newBatch("cases"), "2023-03-06 09:00")
	for _, id := range []string{"C-U", "C-R"} {
		f.insert("raw_cases", row{"case_id": id, "source": "巡查", "township": t1, "found_on": "2023-03-01", "filed_on": "2023-03-02",
			"fine_yuan": 65000, "status": "已立案"})
	}
	// the next week's register: C-R 已结案 (no date column says when), C-E closed with its stages entered
	f.received(f.newBatch("cases"), "2023-03-20 10:00")
	for _, id := range []string{"C-U", "C-R", "C-E"} {
		status := "已结案"
		if id == "C-U" {
			status = "已立案"
		}
		f.insert("raw_cases", row{"case_id": id, "source": "巡查", "township": t1, "found_on": "2023-03-01", "filed_on": "2023-03-02",
			"fine_yuan": 65000, "status": status})
	}
	for _, e := range []row{
		{"stage": "penalty", "stage_on": "2023-03-10", "doc_no": "沁自然资罚〔2023〕7号", "fine_yuan": 65000},
		{"stage": "executed", "stage_on": "2023-03-15"}, {"stage": "closed", "stage_on": "2023-03-17"},
	} {
		e["case_id"], e["unit"], e["entered_by"], e["entered_at"] = "C-E", "自然资源", "zr", e["stage_on"].(string)+" 18:00:00"
		f.insert("case_stage_entries", e)
	}
	// C-P went to 公安 and was also closed by 自然资源: 公安's stages go on
	f.insert("raw_cases", row{"case_id": "C-P", "source": "巡查", "township": t1, "found_on": "2023-03-01", "filed_on": "2023-03-02",
		"to_police_on": "2023-03-03", "status": "已结案"})

	f.run("2023-03-17")
	r := f.stageRows("C-R")
	if r["closed"] != nil {
		t.Errorf("C-R closed before the register saying so arrived: %v", r["closed"])
	}
	expect(t, "C-R penalty open", r["penalty"], row{"unit": "自然资源", "done_on": nil, "started_on": "2023-03-02"})
	expect(t, "C-R in the register", f.one(`SELECT * FROM mart_cases_pipeline WHERE case_id = 'C-R'`), row{"stage": "已立案", "closed_on": nil})

	f.run("2023-03-31")
	r = f.stageRows("C-R")
	expect(t, "C-R closed by its 状态", r["closed"], row{"unit": "自然资源", "done_on": "2023-03-20", "origin": "案件状态"})
	if r["penalty"] != nil || r["executed"] != nil {
		t.Errorf("a closed case still owes: %v", keys(r))
	}
	expect(t, "C-R in the register", f.one(`SELECT * FROM mart_cases_pipeline WHERE case_id = 'C-R'`), row{"stage": "已结案", "closed_on": "2023-03-20"})
	e := f.stageRows("C-E")
	expect(t, "C-E penalty", e["penalty"], row{"done_on": "2023-03-10", "doc_no": "沁自然资罚〔2023〕7号", "fine_yuan": "65000", "overdue": false})
	expect(t, "C-E executed", e["executed"], row{"started_on": "2023-03-10", "done_on": "2023-03-15"})
	// the entered 结案 wins over the register's 状态 (which arrived later)
	expect(t, "C-E closed", e["closed"], row{"started_on": "2023-03-15", "done_on": "2023-03-17", "origin": "控制台", "overdue": false})
	expect(t, "C-E in the register", f.one(`SELECT * FROM mart_cases_pipeline WHERE case_id = 'C-E'`),
		row{"stage": "已结案", "penalty_on": "2023-03-10", "penalty_doc_no": "沁自然资罚〔2023〕7号", "penalty_fine_yuan": "65000", "closed_on": "2023-03-17"})
	// the look-back lists cases still 未立案 or 已立案 (reports/lookback.go): C-U only
	stale := f.query(`SELECT case_id FROM mart_cases_pipeline WHERE stage IN ('未立案', '已立案') ORDER BY case_id`)
	if len(stale) != 1 || stale[0]["case_id"] != "C-U" {
		t.Errorf("not handled: %v", stale)
	}
	for _, id := range []string{"C-U", "C-R", "C-E"} {
		for st, x := range f.stageRows(id) {
			if u := x["unit"]; u == "公安" || u == "检察院" || u == "法院" {
				t.Errorf("%s never transferred, yet %s owes %s: %v", id, u, st, x)
			}
		}
	}
	p := f.stageRows("C-P")
	expect(t, "C-P 公安 goes on", p["police_filed"], row{"unit": "公安", "done_on": nil, "started_on": "2023-03-03"})
	if p["penalty"] != nil {
		t.Errorf("C-P closed: its 处罚决定 is no longer owed: %v", p["penalty"])
	}
	expect(t, "C-P in the register", f.one(`SELECT * FROM mart_cases_pipeline WHERE case_id = 'C-P'`), row{"stage": "移送公安"})
}

// 检察院受理 is owed only once 公安 has sent the case on (移送审查起诉, the register's 移送检察日期):
// sent Friday 03-17, it is due 3 working days later, Wednesday 03-22 — entered that day it is on
// time, a day later it is late; left open it is overdue from 03-23, not on 03-22.
func TestProsecutorateDueOnTransfer(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for _, id := range []string{"C-T", "C-L", "C-O"} {
		f.insert("raw_cases", row{"case_id": id, "source": "巡查", "township": t1, "found_on": "2023-03-01", "filed_on": "2023-03-02",
			"to_police_on": "2023-03-03", "to_procuratorate_on": "2023-03-17", "status": "已移送检察"})
	}
	f.insert("raw_case_stages", row{"case_id": "C-T", "stage": "prosec_accepted", "stage_on": "2023-03-22", "unit": "检察院"})
	f.insert("raw_case_stages", row{"case_id": "C-L", "stage": "prosec_accepted", "stage_on": "2023-03-23", "unit": "检察院"})
	f.insert("raw_cases", row{"case_id": "C-N", "source": "巡查", "township": t1, "found_on": "2023-03-01", "filed_on": "2023-03-02",
		"to_police_on": "2023-03-03", "status": "已移送公安"})
	f.run("2023-03-16")
	if s := f.stageRows("C-O"); s["prosec_accepted"] != nil {
		t.Errorf("检察院 owes before the transfer: %v", s["prosec_accepted"])
	}
	f.run("2023-03-22")
	expect(t, "C-O on its due day", f.stageRows("C-O")["prosec_accepted"],
		row{"unit": "检察院", "started_on": "2023-03-17", "due_on": "2023-03-22", "done_on": nil, "overdue": false})
	expect(t, "C-T on time", f.stageRows("C-T")["prosec_accepted"], row{"done_on": "2023-03-22", "overdue": false})
	f.run("2023-03-23")
	expect(t, "C-O a day late", f.stageRows("C-O")["prosec_accepted"], row{"due_on": "2023-03-22", "done_on": nil, "overdue": true})
	expect(t, "C-L late", f.stageRows("C-L")["prosec_accepted"], row{"done_on": "2023-03-23", "overdue": true})
	for st, x := range f.stageRows("C-N") {
		if u := x["unit"]; u == "检察院" || u == "法院" {
			t.Errorf("C-N is still with 公安, yet %s owes %s: %v", u, st, x)
		}
	}
}
