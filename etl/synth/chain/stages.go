package chain

import (
	"fmt"
	"path/filepath"
	"slices"
	"time"

	"landwatch/campaign"
	"landwatch/etl/synth/county"
	"landwatch/etl/synth/kit"
)

// The rest of the chain's own files: 自然资源 ends every case it settles without transfer (已结案 in
// the cases exports) with 处罚决定 (文号, the register's fine) a week after filing, 执行完毕 five days
// later and 结案 the day the register first says 已结案 (county.CaseClosed); a case sent to 公安 gets its
// 处罚决定 (the register's fine) the day it is sent. 检察院 accepts every case 公安 sends on
// (移送检察日期) two working days later and indicts it eight working days after that; 法院 accepts
// it three working days after the indictment (the judgement is the register's 判决日期). Every entry is on time; none is
// dated after the readings end. No random draw is spent.

// The enforcement chain's own files (kind case-stages): 公安's entries of 立案侦查 for every case sent
// to it (移送公安 in the cases file: the stage 公安受案), one file per ISO week of the entries' dates,
// received that Sunday. 公安 files 立案侦查 two working days after accepting a case (its deadline is
// three), except one case accepted on a Wednesday, Thursday or Friday (the first such, else the
// first case sent at all), filed four working days later: past its deadline across the weekend.
// Meanwhile the price determination of the same cases is 发改's (the cases file's dates), so each
// of them is held by several units at once. No random draw is spent, so nothing else changes.

// StageTruth is one stage of a case as mart_case_stages must show it as of details_as_of.
type StageTruth struct {
	CaseID    string `json:"case_id"`
	Stage     string `json:"stage"`
	Unit      string `json:"unit"`
	StartedOn string `json:"started_on"`
	DoneOn    string `json:"done_on"`
	DueOn     string `json:"due_on"`
	Overdue   bool   `json:"overdue"`
}

type stageEntry struct {
	c             *county.CaseRec
	on, due       kit.Date
	late          bool
	stage, unitSN string
}

// stageEntries are 公安's 立案侦查 entries, in case order; none dated after the readings end.
func (w *World) stageEntries() []stageEntry {
	st, ok := w.Cfg.StageByCode(campaign.StagePoliceFiled)
	if !ok {
		return nil
	}
	dueDays := w.Cfg.StageDueWorkdays(st)
	late := -1
	for i, c := range w.Cases {
		if c.Police == 0 {
			continue
		}
		if late < 0 {
			late = i
		}
		if wd := c.Police.Time().Weekday(); wd >= time.Wednesday && wd <= time.Friday {
			late = i
			break
		}
	}
	var out []stageEntry
	for i, c := range w.Cases {
		if c.Police == 0 || dueDays == 0 {
			continue
		}
		after := 2
		if i == late {
			after = dueDays + 1
		}
		on := kit.MkDate(w.Cfg.AddWorkdays(c.Police.Time(), after))
		if on > w.Scale.ReadTo {
			continue
		}
		due := kit.MkDate(w.Cfg.AddWorkdays(c.Police.Time(), dueDays))
		out = append(out, stageEntry{c: c, on: on, due: due, late: on > due, stage: st.Code, unitSN: w.Cfg.StageUnit(st.Code)})
	}
	return out
}

// WriteCaseStages writes 公安's weekly stage files.
func (w *World) WriteCaseStages(out string) ([]kit.File, error) {
	entries := w.stageEntries()
	byWeek := map[kit.Date][]stageEntry{}
	var weeks []kit.Date
	for _, e := range entries {
		s := w.WeekEnd(e.on)
		if byWeek[s] == nil {
			weeks = append(weeks, s)
		}
		byWeek[s] = append(byWeek[s], e)
	}
	slices.Sort(weeks)
	unit, _ := w.Cfg.Unit(w.Cfg.StageUnit(campaign.StagePoliceFiled))
	st, _ := w.Cfg.StageByCode(campaign.StagePoliceFiled)
	var files []kit.File
	for _, s := range weeks {
		rows := [][]string{{"案件编号", "环节", "日期", "单位", "备注"}}
		for _, e := range byWeek[s] {
			rows = append(rows, []string{e.c.ID, st.Name, e.on.String(), unit.Name, ""})
		}
		rel := filepath.Join("case-stages", unit.ShortName+"-办案环节-"+s.Compact()+".csv")
		if err := kit.WriteCSV(filepath.Join(out, rel), rows, true); err != nil {
			return nil, err
		}
		files = append(files, kit.File{Path: rel, Rows: int64(len(rows) - 1), ReceivedOn: s.String()})
	}
	return files, nil
}

// StageTruth is every planted stage entry whose file arrived by asOf, as of asOf.
func (w *World) StageTruth(asOf kit.Date) []StageTruth {
	var out []StageTruth
	for _, e := range w.stageEntries() {
		if w.WeekEnd(e.on) > asOf {
			continue
		}
		out = append(out, StageTruth{CaseID: e.c.ID, Stage: e.stage, Unit: e.unitSN, StartedOn: e.c.Police.String(),
			DoneOn: e.on.String(), DueOn: e.due.String(), Overdue: e.late})
	}
	return out
}

func (w *World) ChainEntries() []county.ChainEntry {
	var out []county.ChainEntry
	add := func(c *county.CaseRec, stage string, on kit.Date, doc string, fine int64) {
		if _, ok := w.Cfg.StageByCode(stage); !ok || on == 0 || on > w.Scale.ReadTo {
			return
		}
		out = append(out, county.ChainEntry{C: c, Stage: stage, On: on, Doc: doc, Fine: fine, UnitSN: w.Cfg.StageUnit(stage)})
	}
	n := 0
	for _, c := range w.Cases {
		switch {
		case county.CaseClosed(c) != 0:
			n++
			doc := fmt.Sprintf("沁自然资罚〔%d〕%d号", w.Cfg.Campaign.Year, n)
			add(c, campaign.StagePenalty, c.Filed+7, doc, c.Fine)
			add(c, campaign.StageExecuted, c.Filed+12, "", 0)
			add(c, campaign.StageClosed, county.CaseClosed(c), "", 0)
		case c.Police != 0 && c.Fine > 0:
			n++
			add(c, campaign.StagePenalty, c.Police, fmt.Sprintf("沁自然资罚〔%d〕%d号", w.Cfg.Campaign.Year, n), c.Fine)
		}
		if c.Proc != 0 {
			acc := kit.MkDate(w.Cfg.AddWorkdays(c.Proc.Time(), 2))
			add(c, campaign.StageProsecAccepted, acc, "", 0)
			ind := kit.MkDate(w.Cfg.AddWorkdays(acc.Time(), 8))
			add(c, campaign.StageIndicted, ind, "", 0)
			add(c, campaign.StageCourtAccepted, kit.MkDate(w.Cfg.AddWorkdays(ind.Time(), 3)), "", 0)
		}
	}
	return out
}

// WriteChainStages writes 自然资源's, 检察院's and 法院's weekly stage files.
func (w *World) WriteChainStages(out string) ([]kit.File, error) {
	var files []kit.File
	for _, k := range kit.ByUnitWeek(w.ChainEntries(), func(e county.ChainEntry) (string, kit.Date) { return e.UnitSN, w.WeekEnd(e.On) }) {
		unit, _ := w.Cfg.Unit(k.Unit)
		rows := [][]string{{"案件编号", "环节", "日期", "单位", "决定文号", "罚款金额", "备注"}}
		for _, e := range k.Entries {
			st, _ := w.Cfg.StageByCode(e.Stage)
			fine := ""
			if e.Fine > 0 {
				fine = fmt.Sprint(e.Fine)
			}
			rows = append(rows, []string{e.C.ID, st.Name, e.On.String(), unit.Name, e.Doc, fine, ""})
		}
		rel := filepath.Join("case-stages", unit.ShortName+"-办案环节-"+k.Week.Compact()+".csv")
		if err := kit.WriteCSV(filepath.Join(out, rel), rows, true); err != nil {
			return nil, err
		}
		files = append(files, kit.File{Path: rel, Rows: int64(len(rows) - 1), ReceivedOn: k.Week.String()})
	}
	return files, nil
}
