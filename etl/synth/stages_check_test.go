package synth_test

import (
	"fmt"

	"landwatch/campaign"
)

// The independent check of truth.json's case_stages: read back from the stage files and the cases
// exports, with the deadline counted here from the calendar, day by day.

type cStage struct {
	caseID, stage, unit string
	on, recv            day
}

type cDated struct{ on, recv day }

type stageTruth struct {
	CaseID    string `json:"case_id"`
	Stage     string `json:"stage"`
	Unit      string `json:"unit"`
	StartedOn string `json:"started_on"`
	DoneOn    string `json:"done_on"`
	DueOn     string `json:"due_on"`
	Overdue   bool   `json:"overdue"`
}

// notePolice keeps the 移送公安日期 of the latest export of a case.
func (ds *dataset) notePolice(id string, on, recv day) {
	if ds.toPolice == nil {
		ds.toPolice = map[string]cDated{}
	}
	if cur, ok := ds.toPolice[id]; !ok || !recv.Before(cur.recv) {
		ds.toPolice[id] = cDated{on, recv}
	}
}

// checkStages: every 立案侦查 row of the stage files received by details_as_of is in truth.json and
// nothing else is (another unit's row names a stage it owns); each starts on its case's 移送公安日期, is due three working days later (the
// configured deadline, counted on the calendar), and is overdue exactly when entered after that;
// at least one is overdue and its deadline spans a weekend.
func checkStages(t tb, ds *dataset, tr *truthFile, cfg *campaign.Config) {
	details := pday(t, tr.DetailsAsOf)
	st, _ := cfg.StageByCode(campaign.StagePoliceFiled)
	unit := cfg.StageUnit(st.Code)
	want := map[string]string{} // from the files
	for _, x := range ds.stages {
		if x.recv.After(details) {
			continue
		}
		if x.stage != st.Name {
			// the other units' entries (自然资源's closure, 检察院, 法院): each names a stage its unit owns
			other, ok := cfg.StageByName(x.stage)
			if u, uok := cfg.Unit(x.unit); !ok || !uok || u.ShortName != cfg.StageUnit(other.Code) || other.Code == campaign.StagePoliceFiled {
				t.Errorf("stage file row of %s: %s by %s", x.caseID, x.stage, x.unit)
			}
			continue
		}
		if u, ok := cfg.Unit(x.unit); !ok || u.ShortName != unit {
			t.Errorf("stage file row of %s: unit %s does not own %s", x.caseID, x.unit, st.Name)
		}
		p, ok := ds.toPolice[x.caseID]
		if !ok {
			t.Errorf("stage entry for %s, a case never sent to 公安", x.caseID)
			continue
		}
		due, n := p.on, cfg.StageDueWorkdays(st)
		weekend := false
		for n > 0 {
			due = due.AddDate(0, 0, 1)
			if cfg.IsWorkday(due) {
				n--
			} else {
				weekend = true
			}
		}
		late := x.on.After(due)
		want[x.caseID] = fmt.Sprintf("%s %s %s %s %v", unit, fmtDay(p.on), fmtDay(x.on), fmtDay(due), late)
		if late && weekend {
			want["*overdue across a weekend"] = x.caseID
		}
	}
	got := map[string]string{} // from truth.json
	for _, s := range tr.CaseStages {
		got[s.CaseID] = fmt.Sprintf("%s %s %s %s %v", s.Unit, s.StartedOn, s.DoneOn, s.DueOn, s.Overdue)
		if s.Stage != st.Code {
			t.Errorf("truth stage %s of %s", s.Stage, s.CaseID)
		}
	}
	if _, ok := want["*overdue across a weekend"]; !ok {
		t.Errorf("no stage entry is overdue across a weekend")
	}
	delete(want, "*overdue across a weekend")
	compareMaps(t, "case stage", want, got) // from the files, from truth.json
}

// checkCheckDeadlines: each alert's check day is the latest check applying to it in the check
// files (the one it names, else the meter's latest alert begun by the check's day), its deadline
// power.check_days after its last day, and it is late exactly when checked after the deadline or,
// unchecked, when the data end after it; some alerts are checked late and some in time.
func checkCheckDeadlines(t tb, ds *dataset, tr *truthFile, cfg *campaign.Config) {
	end := pday(t, tr.DataTo)
	latest := map[string]day{}
	for _, c := range ds.checks {
		if c.on.After(end) {
			continue
		}
		id, best := c.alert, day{}
		if id == "" {
			for _, a := range tr.PowerAlerts {
				if f := pday(t, a.FirstDay); a.MeterID == c.meter && !f.After(c.on) && f.After(best) {
					id, best = a.AlertID, f
				}
			}
		}
		if id != "" && c.on.After(latest[id]) {
			latest[id] = c.on
		}
	}
	days := cfg.Power.PowerCheckDays()
	late, inTime := 0, 0
	for _, a := range tr.PowerAlerts {
		due := pday(t, a.LastDay).AddDate(0, 0, days)
		checked, ok := latest[a.AlertID]
		want := fmt.Sprint(fmtDay(due), end.After(due))
		if ok {
			want = fmt.Sprint(fmtDay(due), fmtDay(checked), checked.After(due))
		}
		got := fmt.Sprint(a.CheckDueOn, a.CheckLate)
		if a.CheckedOn != "" {
			got = fmt.Sprint(a.CheckDueOn, a.CheckedOn, a.CheckLate)
		}
		if got != want {
			t.Errorf("alert %s check deadline: truth %s, files %s", a.AlertID, got, want)
		}
		if ok && a.CheckLate {
			late++
		} else if ok {
			inTime++
		}
	}
	if late == 0 || inTime == 0 {
		t.Errorf("checks late %d, in time %d: want both", late, inTime)
	}
}
