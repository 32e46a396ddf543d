package queries

import (
	"strings"
	"testing"
)

// actionRows is mart_violation_actions of one violation, by action (and ref for a second meter).
func (f *fixture) actionRows(violation string) map[string]row {
	f.t.Helper()
	out := map[string]row{}
	for _, r := range f.query(`SELECT * FROM mart_violation_actions WHERE violation_id = ?`, violation) {
		out[r["action"].(string)] = r
	}
	return out
}

// TestActionDeadlineBoundary: an action due on working day D is on time through D and 逾期 on D+1,
// counted on working days (the weekend and 清明 04-05 are skipped); an action done on D is done on
// time, one done on D+1 late. 查处到位率 counts what is done or overdue, and nothing not yet due.
func TestActionDeadlineBoundary(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	// three cases found Wed 03-29: 立案 due 7 working days on — 03-30, 03-31, 04-03, 04-04, (清明), 04-06, 04-07, 04-10
	f.insert("raw_cases", row{"case_id": "C-D", "source": "巡查", "township": t1, "found_on": "2023-03-29", "filed_on": "2023-04-10", "category": "M1"})
	f.insert("raw_cases", row{"case_id": "C-L", "source": "巡查", "township": t1, "found_on": "2023-03-29", "filed_on": "2023-04-11", "category": "M1"})
	f.insert("raw_cases", row{"case_id": "C-N", "source": "巡查", "township": t1, "found_on": "2023-03-29", "category": "L1"})
	at := func(asOf, id, action string) row {
		t.Helper()
		r := f.actionRows(id)[action]
		if r == nil {
			t.Fatalf("as of %s: %s has no action %s", asOf, id, action)
		}
		return r
	}
	f.run("2023-04-10")
	expect(t, "C-D filed on D", at("04-10", "C-D", "filed"), row{"state": "已办", "due_on": "2023-04-10", "done_on": "2023-04-10",
		"late": false, "on_time": true, "counted": true, "unit": "自然资源", "owner_kind": "unit"})
	expect(t, "C-N on D", at("04-10", "C-N", "filed"), row{"state": "待办", "due_on": "2023-04-10", "late": false, "counted": false})
	// 制止 is the township's, due the next working day after first seen (Thu 03-30)
	expect(t, "C-N stop", at("04-10", "C-N", "stop"), row{"state": "逾期", "due_on": "2023-03-30", "unit": t1, "owner_kind": "township"})
	f.run("2023-04-11")
	expect(t, "C-L filed on D+1", at("04-11", "C-L", "filed"), row{"state": "已办", "done_on": "2023-04-11", "late": true, "on_time": false, "counted": true})
	expect(t, "C-N on D+1", at("04-11", "C-N", "filed"), row{"state": "逾期", "late": true, "counted": true, "on_time": false})
	// the one definition of 查处到位率: of 立案 in t1, C-D on time, C-L late, C-N overdue
	var onTime, due int64
	for _, r := range f.query(`SELECT * FROM mart_violation_actions WHERE action = 'filed'`) {
		if r["counted"] == true {
			due++
		}
		if r["on_time"] == true {
			onTime++
		}
	}
	if onTime != 1 || due != 3 {
		t.Errorf("立案 on time %d of %d, want 1 of 3", onTime, due)
	}
	rate := f.one(`SELECT * FROM mart_action_rates WHERE scope = 'township' AND name = ?`, t1)
	rows := f.one(`SELECT count(*) FILTER (WHERE counted) AS due, count(*) FILTER (WHERE on_time) AS on_time FROM mart_violation_actions`)
	expect(t, "township rate", rate, row{"due": rows["due"], "on_time": rows["on_time"]})
}

// TestActionNotApplicable: an action the violation does not call for is 不适用 with the reason,
// never due and never counted: no meter checked 非法采矿, a category without 取缔查封, a value below
// the category's criminal threshold, no price determination yet, no damaged land. A value at the
// threshold calls for 移送公安 from the price determination, due 3 working days later.
func TestActionNotApplicable(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.insert("raw_cases", row{"case_id": "C-HI", "source": "巡查", "township": t1, "found_on": "2023-03-20", "filed_on": "2023-03-22",
		"category": "M1", "price_requested_on": "2023-03-23", "price_done_on": "2023-03-31", "value_yuan": 100000})
	f.insert("raw_cases", row{"case_id": "C-LO", "source": "巡查", "township": t1, "found_on": "2023-03-20", "filed_on": "2023-03-22",
		"category": "M2", "price_requested_on": "2023-03-23", "price_done_on": "2023-03-31", "value_yuan": 50000})
	f.insert("raw_cases", row{"case_id": "C-L1", "source": "巡查", "township": t1, "found_on": "2023-03-20", "category": "L1"})
	f.insert("raw_cases", row{"case_id": "C-NP", "source": "巡查", "township": t1, "found_on": "2023-03-20", "category": "M4"})
	f.run("2023-04-07")
	hi, lo, l1, np := f.actionRows("C-HI"), f.actionRows("C-LO"), f.actionRows("C-L1"), f.actionRows("C-NP")
	na := row{"state": "不适用", "due_on": nil, "late": false, "counted": false, "on_time": false}
	with := func(r row, reason string) row {
		out := row{"reason": reason}
		for k, v := range r {
			out[k] = v
		}
		return out
	}
	expect(t, "no meter", hi["cutoff_order"], with(na, "未发现核查为非法采矿的电表"))
	expect(t, "no meter (confirmation)", hi["cutoff_done"], with(na, "未发现核查为非法采矿的电表"))
	expect(t, "below the threshold", lo["transfer"], with(na, "认定价值50000.00元，低于移送标准100000.00元"))
	expect(t, "category without a threshold", l1["transfer"], with(na, "该类别未设移送公安的价值标准"))
	expect(t, "no price determination", np["transfer"], with(na, "尚无价格认定结论"))
	expect(t, "category without 取缔查封", l1["ban"], with(na, "该类别不要求取缔查封"))
	expect(t, "no damaged land", l1["restore"], with(na, "未记录土地损毁"))
	// at the threshold: due Fri 03-31 + 3 working days (04-03, 04-04, 清明, 04-06): overdue on 04-07
	expect(t, "at the threshold", hi["transfer"], row{"state": "逾期", "started_on": "2023-03-31", "due_on": "2023-04-06", "reason": nil, "unit": "自然资源"})
	// M1 calls for 取缔查封 from 立案 (Wed 03-22 + 10 working days: 04-06)
	expect(t, "取缔查封", hi["ban"], row{"state": "逾期", "due_on": "2023-04-06", "unit": "自然资源"})
	for _, r := range f.query(`SELECT * FROM mart_violation_actions WHERE state = '不适用'`) {
		if r["reason"] == nil || strings.TrimSpace(r["reason"].(string)) == "" {
			t.Errorf("不适用 without a reason: %v", r)
		}
	}
}

// TestActionKnownAtAsOf: an entry counts for an as-of only once it was made — a 终止供电 order dated
// on its due day but entered two days later leaves the order overdue for the day between, and is
// done on time from its entry; the power company's confirmation is due 2 working days after the
// order and has no deadline before it.
func TestActionKnownAtAsOf(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	// the night-over-day meter of TestNightOverDay, checked 非法采矿 on Mon 03-20: the order is due Tue 03-21
	f.meter("A", "小工厂", 112.60, 36.60)
	f.readings("A", 60, nightDay(2, 1, 3, "2023-03-10", "2023-03-12", "2023-03-16"))
	f.insert("raw_power_checks", row{"meter_id": "A", "checked_on": "2023-03-20", "result": "非法采矿"})
	f.cutoff("A", "ordered", "2023-03-21", "2023-03-23 09:00:00")
	const v = "A-NOD-20230310"
	f.run("2023-03-21")
	a := f.actionRows(v)
	expect(t, "order on D", a["cutoff_order"], row{"state": "待办", "ref": "A", "started_on": "2023-03-20", "due_on": "2023-03-21", "owner_kind": "office", "unit": "办公室"})
	expect(t, "no order yet", a["cutoff_done"], row{"state": "待办", "due_on": nil, "unit": "供电公司"})
	f.run("2023-03-22")
	expect(t, "order dated 03-21, entered 03-23", f.actionRows(v)["cutoff_order"], row{"state": "逾期", "done_on": nil, "late": true})
	f.run("2023-03-23")
	a = f.actionRows(v)
	expect(t, "order known", a["cutoff_order"], row{"state": "已办", "done_on": "2023-03-21", "late": false, "on_time": true})
	expect(t, "confirmation due", a["cutoff_done"], row{"state": "待办", "started_on": "2023-03-21", "due_on": "2023-03-23"})
	// the violation at a 小工厂 is M3: 取缔查封 is called for, 立案 not yet (no case)
	expect(t, "立案", a["filed"], row{"state": "逾期", "records": nil})
}
