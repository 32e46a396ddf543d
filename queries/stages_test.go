package queries

import (
	"testing"
	"time"

	"landwatch/campaign"
	"landwatch/etl/synth"
)

// stageRows is mart_case_stages of one case, by stage.
func (f *fixture) stageRows(id string) map[string]row {
	f.t.Helper()
	out := map[string]row{}
	for _, r := range f.query(`SELECT * FROM mart_case_stages WHERE case_id = ?`, id) {
		out[r["stage"].(string)] = r
	}
	return out
}

func TestCaseStagesDeadlinesAcrossWeekend(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	// found Thu 03-30: 立案 due 7 working days on, past the weekend and 清明 (04-05): 04-11
	f.insert("raw_cases", row{"case_id": "C-A", "source": "巡查", "township": t1, "village": v1, "found_on": "2023-03-30",
		"filed_on": "2023-04-03", "to_police_on": "2023-04-14"})
	// 发改 enters the price request on Fri 04-14 from its own file while 公安 holds the case
	f.insert("raw_case_stages", row{"case_id": "C-A", "stage": "price_requested", "stage_on": "2023-04-14", "unit": "发改"})
	// 公安 accepted Fri 04-14 (the file's 移送公安): 立案侦查 due 3 working days later, Mon–Wed: 04-19.
	// The console entry dated 04-19 was made on 04-21: as of 04-20 it is not known yet.
	f.insert("case_stage_entries", row{"case_id": "C-A", "stage": "police_filed", "unit": "公安", "stage_on": "2023-04-19",
		"entered_by": "ga", "entered_at": "2023-04-21 09:00:00"})
	// a case accepted by 公安 on Saturday 04-15 counts from Friday: also due 04-19
	f.insert("raw_cases", row{"case_id": "C-S", "source": "巡查", "township": t1, "found_on": "2023-04-03", "filed_on": "2023-04-04",
		"to_police_on": "2023-04-15"})
	check := func(asOf, id string, want map[string]row, absent ...string) {
		t.Helper()
		got := f.stageRows(id)
		for st, w := range want {
			if got[st] == nil {
				t.Errorf("%s as of %s: no %s row in %v", id, asOf, st, keys(got))
				continue
			}
			expect(t, id+" "+st+" as of "+asOf, got[st], w)
		}
		for _, st := range absent {
			if got[st] != nil {
				t.Errorf("%s as of %s: %s should not show: %v", id, asOf, st, got[st])
			}
		}
	}
	f.run("2023-04-18")
	check("04-18", "C-A", map[string]row{
		"filed":           {"unit": "自然资源", "started_on": "2023-03-30", "done_on": "2023-04-03", "due_on": "2023-04-11", "overdue": false, "days": 4},
		"price_requested": {"unit": "发改", "done_on": "2023-04-14", "due_on": nil, "overdue": false},
		"price_done":      {"unit": "发改", "started_on": "2023-04-14", "due_on": "2023-04-18", "done_on": nil, "overdue": false, "days": 4},
		"police_accepted": {"unit": "公安", "done_on": "2023-04-14"},
		"police_filed":    {"started_on": "2023-04-14", "due_on": "2023-04-19", "overdue": false},
	}, "police_referred", "judged")
	check("04-18", "C-S", map[string]row{"police_filed": {"started_on": "2023-04-15", "due_on": "2023-04-19"}})
	f.run("2023-04-19")
	check("04-19", "C-A", map[string]row{"price_done": {"overdue": true}, "police_filed": {"overdue": false, "done_on": nil}})
	f.run("2023-04-20")
	check("04-20", "C-A", map[string]row{"police_filed": {"done_on": nil, "overdue": true, "days": 6}})
	f.run("2023-04-21")
	check("04-21", "C-A", map[string]row{
		"police_filed":    {"done_on": "2023-04-19", "overdue": false, "days": 5},
		"police_referred": {"unit": "公安", "started_on": "2023-04-19", "due_on": "2023-06-15", "overdue": false},
	})
}

func TestCaseStagesNotIndictedAndJudgement(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.insert("raw_cases", row{"case_id": "C-N", "source": "巡查", "township": t1, "found_on": "2023-03-01", "filed_on": "2023-03-02",
		"to_police_on": "2023-03-03", "to_procuratorate_on": "2023-03-10"})
	f.insert("raw_case_stages", row{"case_id": "C-N", "stage": "prosec_accepted", "stage_on": "2023-03-13", "unit": "检察院"})
	f.insert("raw_case_stages", row{"case_id": "C-N", "stage": "not_indicted", "stage_on": "2023-04-03", "unit": "检察院"})
	f.insert("raw_cases", row{"case_id": "C-J", "source": "巡查", "township": t2, "found_on": "2023-03-01", "filed_on": "2023-03-02",
		"to_police_on": "2023-03-03", "to_procuratorate_on": "2023-03-10"})
	f.insert("raw_case_stages", row{"case_id": "C-J", "stage": "prosec_accepted", "stage_on": "2023-03-13", "unit": "检察院"})
	f.insert("raw_case_stages", row{"case_id": "C-J", "stage": "indicted", "stage_on": "2023-04-03", "unit": "检察院"})
	f.insert("raw_case_stages", row{"case_id": "C-J", "stage": "court_accepted", "stage_on": "2023-04-06", "unit": "法院"})
	f.insert("raw_case_stages", row{"case_id": "C-J", "stage": "judged", "stage_on": "2023-05-30", "unit": "法院",
		"term_months": 18, "fine_yuan": 30000})
	f.run("2023-03-31")
	// before 不起诉 was entered, 提起公诉 is open under 检察院, due 22 working days after Mon 03-13 (清明 04-05 off)
	n := f.stageRows("C-N")
	expect(t, "C-N indicted open", n["indicted"], row{"unit": "检察院", "done_on": nil, "due_on": "2023-04-13"})
	f.run("2023-06-30")
	n = f.stageRows("C-N")
	if n["indicted"] != nil || n["court_accepted"] != nil {
		t.Errorf("不起诉 replaces 提起公诉 and ends the chain: %v", keys(n))
	}
	expect(t, "C-N not indicted", n["not_indicted"], row{"done_on": "2023-04-03", "overdue": false})
	j := f.stageRows("C-J")
	expect(t, "C-J judged", j["judged"], row{"unit": "法院", "started_on": "2023-04-06", "done_on": "2023-05-30", "term_months": 18, "fine_yuan": "30000", "overdue": false})
	if j["not_indicted"] != nil {
		t.Errorf("不起诉 shows only when entered")
	}
}

func TestEnforcementSpeed(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	// a patch seen 03-02 and the case about it (来源编号 names the patch) filed 03-09, sent to 公安 03-20
	f.patch("WP-1", t1, v1, "2023-03-02", 112.30, 36.50, nil)
	f.insert("raw_cases", row{"case_id": "C-1", "source": "卫片", "source_ref": "WP-1", "township": t1, "village": v1,
		"found_on": "2023-03-06", "filed_on": "2023-03-09", "to_police_on": "2023-03-20"})
	// another patch with no case
	f.patch("WP-2", t1, v1, "2023-03-05", 112.40, 36.60, nil)
	f.run("2023-04-30")
	expect(t, "卫片 in "+t1, f.one(`SELECT * FROM mart_enforcement_speed WHERE township = ? AND channel = '卫片'`, t1),
		row{"violations": 2, "with_case": 1, "case_share": 0.5, "filed": 1, "avg_days_to_filed": 7.0, "transferred": 1,
			"avg_days_to_transfer": 18.0, "max_days_to_transfer": 18})
	f.run("2023-03-15")
	expect(t, "as of 03-15", f.one(`SELECT * FROM mart_enforcement_speed WHERE township = ? AND channel = '卫片'`, t1),
		row{"filed": 1, "transferred": 0, "avg_days_to_transfer": nil})
}

// checkCaseStages compares the planted stage entries of a synthetic county with mart_case_stages
// (as of the run the fixture last made: details_as_of).
func checkCaseStages(t *testing.T, f *fixture, want []synth.StageTruth) {
	t.Helper()
	if len(want) == 0 {
		t.Error("truth.json plants no stage entries")
	}
	overdue := 0
	for _, w := range want {
		got := f.one(`SELECT * FROM mart_case_stages WHERE case_id = ? AND stage = ?`, w.CaseID, w.Stage)
		expect(t, "stage "+w.CaseID+" "+w.Stage, got, row{"unit": w.Unit, "started_on": w.StartedOn, "done_on": w.DoneOn,
			"due_on": w.DueOn, "overdue": w.Overdue})
		if w.Overdue {
			overdue++
		}
	}
	if overdue == 0 {
		t.Error("truth.json plants no overdue stage")
	}
}

// TestEveryStageDeadline: for every configured stage with a deadline, a case whose stage starts on
// Friday 2023-03-17 (its predecessor entered that day; the first stage: the case found that day) is
// due the configured number of working days later across the weekend (counted here with the
// configuration's calendar, day by day): done on the due day it is not overdue, done one working
// day later it is; left open, it is overdue exactly when the as-of is past the due day.
func TestEveryStageDeadline(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cfg := campaign.Default()
	start := time.Date(2023, 3, 17, 0, 0, 0, 0, time.UTC) // a Friday
	type want struct {
		stage, replaces string
		due, done       time.Time // done zero: never entered
	}
	cases := map[string]want{}
	entry := func(id, stage string, on time.Time) {
		f.insert("case_stage_entries", row{"case_id": id, "stage": stage, "unit": cfg.StageUnit(stage), "stage_on": on.Format(time.DateOnly),
			"entered_by": "test", "entered_at": on.Format(time.DateOnly) + " 18:00:00"})
	}
	for _, st := range cfg.Stages {
		days := cfg.StageDueWorkdays(st)
		if days == 0 {
			continue
		}
		due := cfg.AddWorkdays(start, days)
		for kind, done := range map[string]time.Time{"ontime": due, "late": cfg.AddWorkdays(due, 1), "open": {}} {
			id := "C-" + st.Code + "-" + kind
			f.insert("raw_cases", row{"case_id": id, "source": "巡查", "township": t1, "found_on": start.Format(time.DateOnly)})
			if st.After != "" {
				entry(id, st.After, start)
			}
			if !done.IsZero() {
				entry(id, st.Code, done)
			}
			cases[id] = want{st.Code, st.Replaces, due, done}
		}
	}
	if len(cases) < 3*8 {
		t.Fatalf("only %d stages with a deadline", len(cases)/3)
	}
	for _, asOf := range []time.Time{time.Date(2023, 4, 3, 0, 0, 0, 0, time.UTC), time.Date(2023, 9, 29, 0, 0, 0, 0, time.UTC)} {
		day := asOf.Format(time.DateOnly)
		f.run(day)
		for id, w := range cases {
			rows := f.query(`SELECT * FROM mart_case_stages WHERE case_id = ? AND stage = ?`, id, w.stage)
			done := !w.done.IsZero() && !w.done.After(asOf)
			if w.replaces != "" && !done { // 不起诉 shows only once entered
				if len(rows) != 0 {
					t.Errorf("%s as of %s: shown before it was entered", id, day)
				}
				continue
			}
			if len(rows) != 1 {
				t.Errorf("%s as of %s: %d rows", id, day, len(rows))
				continue
			}
			overdue, doneOn := asOf.After(w.due), any(nil)
			if done {
				overdue, doneOn = w.done.After(w.due), w.done.Format(time.DateOnly)
			}
			expect(t, id+" as of "+day, rows[0], row{"started_on": "2023-03-17", "due_on": w.due.Format(time.DateOnly),
				"done_on": doneOn, "overdue": overdue})
		}
	}
}
