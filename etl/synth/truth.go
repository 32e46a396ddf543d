package synth

import (
	"fmt"
	"slices"
	"strings"

	"landwatch/etl/synth/chain"
	"landwatch/etl/synth/county"
	"landwatch/etl/synth/kit"
	"landwatch/etl/synth/power"
)

// StageTruth is one entry of truth.json "case_stages" (chain.StageTruth).
type StageTruth = chain.StageTruth

// Truth is truth.json: what the models must find, computed by the definitions of
// queries/README.md from the records the files hold.
type Truth struct {
	Seed        int64          `json:"seed"`
	Scale       string         `json:"scale"`
	AsOf        []string       `json:"as_of"`
	DetailsAsOf string         `json:"details_as_of"` // violations and ledger are stated as of this day
	DataTo      string         `json:"data_to"`       // last day of the data
	Townships   []TownTruth    `json:"townships"`
	PowerAlerts []AlertTruth   `json:"power_alerts"`
	Counts      map[string]int `json:"counts"`
	// Arrivals lists the planted cases of late or corrected arrival and of recurrence.
	Arrivals []county.ArrivalCase `json:"arrivals"`
	// Accountability is the accountability list as of details_as_of, with the register's names
	// (queries/README.md "Who answers"); no transfer or outcome is in the files.
	Accountability []chain.AccountabilityTruth `json:"accountability"`
	// LookbackAsOf is the day of each township's lookback scorecard (the end of the data, in the
	// look-back phase, after the re-inspections).
	LookbackAsOf string `json:"lookback_as_of"`
	// CaseStages are the planted stage entries of the units' own files (chain/stages.go) as
	// mart_case_stages shows them as of details_as_of.
	CaseStages []StageTruth `json:"case_stages"`
	// Console is what the console entries (console.json) must show as of data_to.
	Console *ConsoleTruth `json:"console"`
	// ImageryTriage is every patch against the licence register as of data_to (queries/README.md
	// "mart_imagery_triage").
	ImageryTriage []TriageTruth `json:"imagery_triage"`
	// Channels are the reasons of every explosives flow and camera event as of data_to (channels.go).
	Channels *ChannelTruth `json:"channels"`
	// Restoration is the restoration ledger as of data_to (restoration_truth.go).
	Restoration *RestorationTruth `json:"restoration"`
	// Periods states, as of the end of each configured 常态化 period, the townships' patrol weeks and
	// the silent meters (ongoing.go).
	Periods []PeriodTruth `json:"periods"`
	// Fines is 罚没款 (decided, collected, outstanding) as of data_to (collections.go).
	Fines *FineTruth `json:"fines"`
}

// FineTruth is 罚没款 as of a day: the sums of mart_fines (queries/README.md "Fines and
// confiscations") and the cases that still owe some.
type FineTruth struct {
	AsOf             string `json:"as_of"`
	DecidedYuan      int64  `json:"decided_yuan"`
	CollectedYuan    int64  `json:"collected_yuan"`
	OutstandingYuan  int64  `json:"outstanding_yuan"`
	CasesOutstanding int    `json:"cases_outstanding"`
}

// TriageTruth is one row of mart_imagery_triage.
type TriageTruth struct {
	PatchID   string  `json:"patch_id"`
	LicenceID *string `json:"licence_id"`
	Status    string  `json:"licence_status"` // no_licence, in_licence, expired_licence, verified_lawful, not_mining
}

type TownTruth struct {
	Township        string           `json:"township"`
	Violations      []ViolationTruth `json:"violations"`
	LaterViolations []ViolationTruth `json:"later_violations"` // first seen after details_as_of, by data_to
	Problems        []string         `json:"problems"`         // every problem id (active forms, any date)
	Ledger          []LedgerTruth    `json:"ledger"`
	PatrolWeeks     []PatrolWeek     `json:"patrol_weeks"`
	Scorecards      []Scorecard      `json:"scorecards"`
	Lookback        Scorecard        `json:"lookback"` // as of lookback_as_of
}

type ViolationTruth struct {
	ViolationID     string   `json:"violation_id"`
	Village         string   `json:"village"`
	Category        string   `json:"category"`
	FirstSeen       string   `json:"first_seen"`
	Channels        []string `json:"channels"`
	SourceRefs      []string `json:"source_refs"`
	Lon             *float64 `json:"lon"`
	Lat             *float64 `json:"lat"`
	DetectionStatus string   `json:"detection_status"`
	DetectedBy      *string  `json:"detected_by"`
	// LateBy, for a missed violation, is the problem that matches it only after the deadline (a
	// 补报 line, or a line whose form or correction arrived after the deadline): its ledger item.
	LateBy *string `json:"late_by"`
	// RecurrenceOf is the violation whose site had been rectified before this one was first seen.
	RecurrenceOf *string `json:"recurrence_of"`
}

type LedgerTruth struct {
	ItemID      string  `json:"item_id"`
	Kind        string  `json:"kind"` // problem or violation
	Deadline    string  `json:"deadline"`
	Status      string  `json:"status"` // 已整改 / 整改中 / 未整改 as of details_as_of
	RectifiedOn *string `json:"rectified_on"`
	OnTime      bool    `json:"on_time"`
	Overdue     bool    `json:"overdue"`
}

type PatrolWeek struct {
	Week    string `json:"week"` // Monday
	Patrols int    `json:"patrols"`
}

// Scorecard has the columns of mart_township_scorecard.
type Scorecard struct {
	AsOf                  string   `json:"as_of"`
	Township              string   `json:"township"`
	ViolationsDue         int      `json:"violations_due"`
	Detected              int      `json:"detected"`
	Missed                int      `json:"missed"`
	MissedDetectionRate   *float64 `json:"missed_detection_rate"`
	LedgerDue             int      `json:"ledger_due"`
	RectifiedOnTime       int      `json:"rectified_on_time"`
	RectificationRate     *float64 `json:"rectification_rate"`
	OverdueOpen           int      `json:"overdue_open"`
	RectificationFalse    int      `json:"rectification_false"`
	AwaitingAcceptance    int      `json:"awaiting_acceptance"` // 待验收 within its acceptance deadline
	NewAfterRectification int      `json:"new_after_rectification"`
	PatrolWeeks           int      `json:"patrol_weeks"`
	PatrolWeeksDone       int      `json:"patrol_weeks_done"`
	PatrolCompliance      *float64 `json:"patrol_compliance"`
	Level                 string   `json:"level"`
	Reasons               string   `json:"reasons"`
}

type AlertTruth struct {
	AlertID     string `json:"alert_id"`
	MeterID     string `json:"meter_id"`
	Township    string `json:"township"`
	Rule        string `json:"rule"`
	FirstDay    string `json:"first_day"`
	LastDay     string `json:"last_day"`
	CheckResult string `json:"check_result"` // empty: no field check
	// The work queue (queries/README.md "The power company's work queue"): the check's day, its
	// deadline power.check_days after last_day, and whether it came (or is, unchecked) after it.
	CheckedOn  string `json:"checked_on,omitempty"`
	CheckDueOn string `json:"check_due_on"`
	CheckLate  bool   `json:"check_late"`
}

// allProblems lists the problems of the active forms.
func (w *world) allProblems() []*county.Problem {
	var out []*county.Problem
	for _, f := range w.Forms {
		if f.ReplacedBy == nil {
			out = append(out, f.Problems()...)
		}
	}
	return out
}

// scorecard computes one township's row as of e.asOf.
func (w *world) scorecard(e *county.Evaluation, t *county.Town) Scorecard {
	cfg := w.Cfg
	d := e.AsOf
	s := Scorecard{AsOf: d.String(), Township: t.Name}
	for _, v := range e.Violations {
		pv := v.Primary()
		if pv.Township != t.Name {
			continue
		}
		switch v.Status {
		case "detected":
			s.Detected++
		case "missed":
			s.Missed++
		}
		if v.Status == "new_after_rectification" {
			s.NewAfterRectification++
		}
	}
	s.ViolationsDue = s.Detected + s.Missed
	if s.ViolationsDue > 0 {
		r := float64(s.Missed) / float64(s.ViolationsDue)
		s.MissedDetectionRate = &r
	}
	for _, it := range e.Ledger {
		if it.Township != t.Name {
			continue
		}
		if it.Deadline <= d {
			s.LedgerDue++
			if it.Rectified != 0 && it.Rectified <= it.Deadline {
				s.RectifiedOnTime++
			}
		}
		if it.Overdue(d) {
			s.OverdueOpen++
		}
		if it.Awaiting && !it.AccLate {
			s.AwaitingAcceptance++
		}
		if it.Reopened != 0 {
			s.RectificationFalse++
		}
	}
	if s.LedgerDue > 0 {
		r := float64(s.RectifiedOnTime) / float64(s.LedgerDue)
		s.RectificationRate = &r
	}
	if d >= kit.MkDate(cfg.PatrolFrom()) {
		var ongoing []ongoingPatrol
		if d > w.Scale.ReadTo {
			ongoing = w.ongoingPatrols()
		}
		s.PatrolWeeks, s.PatrolWeeksDone = w.patrolWeeks(t, d, ongoing)
		r := float64(s.PatrolWeeksDone) / float64(s.PatrolWeeks)
		s.PatrolCompliance = &r
	}
	a := cfg.Accountability
	switch {
	case (s.MissedDetectionRate != nil && *s.MissedDetectionRate >= a.RedMissedRate) ||
		s.NewAfterRectification >= a.RedNewAfter ||
		(s.LedgerDue > 0 && *s.RectificationRate < a.RedRectificationRate):
		s.Level = "red"
	case s.Missed > 0 || s.OverdueOpen > 0 || s.RectificationFalse > 0 || s.NewAfterRectification > 0 ||
		(s.PatrolCompliance != nil && *s.PatrolCompliance < a.YellowPatrolCompliance):
		s.Level = "yellow"
	default:
		s.Level = "green"
	}
	var rs []string
	if s.Missed > 0 {
		rs = append(rs, fmt.Sprintf("应排漏排%d处", s.Missed))
	}
	if s.OverdueOpen > 0 {
		rs = append(rs, fmt.Sprintf("整改不到位%d项", s.OverdueOpen))
	}
	if s.RectificationFalse > 0 {
		rs = append(rs, fmt.Sprintf("整改不实%d项", s.RectificationFalse))
	}
	if s.NewAfterRectification > 0 {
		rs = append(rs, fmt.Sprintf("属地新增%d处", s.NewAfterRectification))
	}
	if gap := s.PatrolWeeks - s.PatrolWeeksDone; gap > 0 {
		rs = append(rs, fmt.Sprintf("巡查缺%d周", gap))
	}
	if s.Level != "green" {
		s.Reasons = strings.Join(rs, "；")
	}
	return s
}

// truth states the answers.
func (w *world) truth() (*Truth, error) {
	end := w.Scale.ReadTo

	asOf := county.AsOfDates(w.Cfg)
	tr := &Truth{AsOf: asOf, DetailsAsOf: asOf[len(asOf)-1], DataTo: end.String(), Counts: map[string]int{}, Arrivals: w.Planted}
	evals := make([]*county.Evaluation, len(asOf))
	for i, s := range asOf {
		evals[i] = w.Evaluate(county.ParseDay(s))
	}
	details := evals[len(evals)-1]
	final := w.Evaluate(end)
	inDetails := map[string]bool{}
	for _, v := range details.Violations {
		inDetails[v.Primary().ID] = true
	}
	all := w.allProblems()
	for _, t := range w.Towns {
		tt := TownTruth{Township: t.Name, Violations: []ViolationTruth{}, LaterViolations: []ViolationTruth{}, Problems: []string{}, Ledger: []LedgerTruth{}}
		for _, v := range details.Violations {
			if v.Primary().Township == t.Name {
				tt.Violations = append(tt.Violations, violationTruth(v))
			}
		}
		for _, v := range final.Violations {
			if v.Primary().Township == t.Name && !inDetails[v.Primary().ID] {
				tt.LaterViolations = append(tt.LaterViolations, violationTruth(v))
			}
		}
		for _, p := range all {
			if p.Township == t.Name {
				tt.Problems = append(tt.Problems, p.ID)
			}
		}
		for _, it := range details.Ledger {
			if it.Township != t.Name {
				continue
			}
			lt := LedgerTruth{ItemID: it.ID, Kind: it.Kind, Deadline: it.Deadline.String(), Status: it.Status,
				OnTime: it.Rectified != 0 && it.Rectified <= it.Deadline, Overdue: it.Overdue(details.AsOf)}
			if it.Declared != 0 {
				s := it.Declared.String()
				lt.RectifiedOn = &s
			}
			tt.Ledger = append(tt.Ledger, lt)
		}
		counts := map[kit.Date]int{}
		for _, p := range t.Patrols {
			counts[p.Day.Monday()]++
		}
		for wk := kit.MkDate(w.Cfg.PatrolFrom()).Monday(); wk <= end.Monday(); wk += 7 {
			tt.PatrolWeeks = append(tt.PatrolWeeks, PatrolWeek{Week: wk.String(), Patrols: counts[wk]})
		}
		for _, e := range evals {
			tt.Scorecards = append(tt.Scorecards, w.scorecard(e, t))
		}
		tt.Lookback = w.scorecard(final, t)
		tr.Townships = append(tr.Townships, tt)
	}

	// Power alerts as of the end of the data, every meter evaluated; ordinary meters must raise none.
	checks, checkedOn := map[string]string{}, map[string]kit.Date{}
	for _, c := range w.Checks {
		if a, ok := county.CheckedAlert(w.AlertsAsOf(c.Meter, end), c.AlertID, c.Checked); ok && c.Checked >= checkedOn[a.ID] {
			checks[a.ID], checkedOn[a.ID] = c.Result, c.Checked
		}
	}
	checkDays := kit.Date(w.Cfg.Power.PowerCheckDays())
	tr.PowerAlerts = []AlertTruth{}
	for _, m := range w.Meters {
		as := w.AlertsAsOf(m, end)
		if len(m.Anomalies) == 0 && len(as) > 0 {
			return nil, fmt.Errorf("ordinary meter %s (%s) raises alert %s: the load model is wrong", m.ID, m.Kind, as[0].ID)
		}
		for _, an := range m.Anomalies {
			if !slices.ContainsFunc(as, func(a power.Alert) bool { return a.Rule == an.Rule && a.FirstDay == an.Start }) {
				return nil, fmt.Errorf("planted %s on meter %s from %s raises no alert starting that day: the plant is wrong", an.Rule, m.ID, an.Start)
			}
		}
		for _, a := range as {
			at := AlertTruth{AlertID: a.ID, MeterID: m.ID, Township: m.Township, Rule: a.Rule,
				FirstDay: a.FirstDay.String(), LastDay: a.LastDay.String(), CheckResult: checks[a.ID], CheckDueOn: (a.LastDay + checkDays).String()}
			if on, ok := checkedOn[a.ID]; ok {
				at.CheckedOn, at.CheckLate = on.String(), on > a.LastDay+checkDays
			} else {
				at.CheckLate = end > a.LastDay+checkDays
			}
			tr.PowerAlerts = append(tr.PowerAlerts, at)
		}
	}
	slices.SortFunc(tr.PowerAlerts, func(a, b AlertTruth) int { return strings.Compare(a.AlertID, b.AlertID) })
	tr.Counts["meters"] = len(w.Meters)
	tr.Counts["licences"] = len(w.Licences)
	tr.ImageryTriage = w.triage()
	tr.Restoration = w.restorationTruth(end)
	tr.Counts["acceptances"] = len(w.Acc.Recs)
	tr.Counts["patches"] = len(w.Patches)
	tr.Counts["cases"] = len(w.Cases)
	tr.Counts["clues"] = len(w.Clues)
	tr.Counts["power_checks"] = len(w.Checks)
	tr.Counts["problems"] = len(all)
	tr.Counts["forms"] = len(w.Forms)
	tr.Accountability = w.Accountability(details)
	tr.LookbackAsOf = end.String()
	for _, r := range w.Chain.Registers {
		tr.Counts["register_rows"] += len(r.Rows)
	}
	tr.Counts["registers"] = len(w.Chain.Registers)
	tr.Counts["duties"] = len(w.Chain.Duties)
	tr.Counts["rechecks"] = len(w.Chain.Rechecks)
	mismatched := 0
	for _, f := range w.Forms {
		if f.ReplacedBy != nil && f.ReplacedBy.Recv.KnownBy(end) {
			continue
		}
		for _, row := range f.Rows {
			if row.Cadre != "" && f.Town.Name == w.Chain.NoCadre[0] && row.Village == w.Chain.NoCadre[1] {
				mismatched++
			}
		}
	}
	tr.Counts["register_unsigned_lines"] = mismatched
	return tr, nil
}

func violationTruth(v *county.Violation) ViolationTruth {
	pv := v.Primary()
	vt := ViolationTruth{ViolationID: pv.ID, Village: pv.Village, FirstSeen: pv.First.String(), DetectionStatus: v.Status}
	// the first member's category that states one, a patch's (inferred from its change) only when
	// no other member has one (queries/intermediate/int_violations.sql)
	for _, m := range v.Members {
		if vt.Category == "" && m.Cat != "" && m.Channel != "卫片" {
			vt.Category = m.Cat
		}
	}
	for _, m := range v.Members {
		if vt.Category == "" && m.Cat != "" {
			vt.Category = m.Cat
		}
		if !slices.Contains(vt.Channels, m.Channel) {
			vt.Channels = append(vt.Channels, m.Channel)
		}
		vt.SourceRefs = append(vt.SourceRefs, m.ID)
	}
	if pv.HasXY {
		lon, lat := pv.Pt.Lon, pv.Pt.Lat
		vt.Lon, vt.Lat = &lon, &lat
	}
	if v.By != "" {
		by := v.By
		vt.DetectedBy = &by
	}
	if v.LateBy != "" {
		lb := v.LateBy
		vt.LateBy = &lb
	}
	if v.RecurrenceOf != "" {
		ro := v.RecurrenceOf
		vt.RecurrenceOf = &ro
	}
	return vt
}
