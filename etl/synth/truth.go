package synth

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"landwatch/campaign"
	"landwatch/etl/synth/kit"
	"landwatch/etl/synth/power"
)

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
	Arrivals []ArrivalCase `json:"arrivals"`
	// Accountability is the accountability list as of details_as_of, with the register's names
	// (queries/README.md "Who answers"); no transfer or outcome is in the files.
	Accountability []AccountabilityTruth `json:"accountability"`
	// LookbackAsOf is the day of each township's lookback scorecard (the end of the data, in the
	// look-back phase, after the re-inspections).
	LookbackAsOf string `json:"lookback_as_of"`
	// CaseStages are the planted stage entries of the units' own files (stages.go) as
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

// ArrivalCase is one planted case of the arrival rules (queries/README.md, "As known then").
type ArrivalCase struct {
	// Kind: late_form (a township list dated by the deadline, received after it: its matches are
	// 迟报), late_rectification (a ledger update received after the as-of date following its
	// 完成日期), correction_in_time / correction_late (a corrected form received by / after the
	// deadline), recurrence (a violation at a site rectified before it was first seen).
	Kind       string   `json:"kind"`
	Township   string   `json:"township"`
	File       string   `json:"file,omitempty"` // the file that arrives as planted (manifest path)
	ReceivedOn string   `json:"received_on,omitempty"`
	Items      []string `json:"items"` // the violations, problems or ledger items concerned
	Note       string   `json:"note"`
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

// member is one violation record of a channel.
type member struct {
	channel  string // 卫片 用电 举报 案件 线索
	order    int
	id       string
	township string
	village  string
	hasXY    bool
	pt       kit.Point
	first    kit.Date
	cat      string
	ref      string // 来源编号
}

type violation struct {
	members      []*member // sorted: first_seen, channel order, id
	status       string
	by           string
	lateBy       string
	recurrenceOf string
	rectified    kit.Date // the site's rectification: the earliest 已整改 naming a member or a matching problem
	after        kit.Date // a recurrence: problems match it only when reported after this day
}

func (v *violation) primary() *member { return v.members[0] }

type problem struct {
	id, township, village, remark string
	reported, deadline            kit.Date
	hasXY                         bool
	pt                            kit.Point
}

// problemsAsOf lists the problems known at the end of d: the lines of the forms received by then
// and not replaced by a correction received by then, reported on or before d, as those forms say.
func (w *world) problemsAsOf(d kit.Date) []*problem {
	var out []*problem
	for _, f := range slices.Concat(w.forms, w.periodForms()) {
		if !f.recv.knownBy(d) || (f.replacedBy != nil && f.replacedBy.recv.knownBy(d)) {
			continue
		}
		for _, p := range f.problems() {
			if p.reported <= d {
				out = append(out, p)
			}
		}
	}
	return out
}

// problems are the problem lines of f.
func (f *form) problems() []*problem {
	var out []*problem
	for _, r := range f.rows {
		if !r.problem {
			continue
		}
		p := &problem{id: f.problemID(r), township: f.town.name, village: r.village, remark: r.remark,
			reported: f.day, deadline: r.deadline, hasXY: r.hasXY, pt: r.pt}
		if f.extended && r.inspected != 0 {
			p.reported = r.inspected
		}
		out = append(out, p)
	}
	return out
}

type ledgerItem struct {
	id, kind, township, village string
	appear, deadline            kit.Date
	status                      string
	rectified                   kit.Date
	reopened                    kit.Date // the 整改不实 re-inspection that voided earlier rectifications
	declared                    kit.Date // the township's declared 已整改 (rectified, unless awaiting acceptance)
	awaiting, accLate           bool     // 待验收; and past its acceptance deadline (acceptance.go)
	accDue                      kit.Date
	ids                         []string // a violation item's member ids (a problem's is its own)
}

type evaluation struct {
	asOf       kit.Date
	violations []*violation
	problems   []*problem
	ledger     []*ledgerItem
}

var channelOrder = map[string]int{"卫片": 0, "用电": 1, "举报": 2, "案件": 3, "线索": 4, "复查": 5, "民爆流向": 6, "视频监控": 7}

// allProblems lists the problems of the active forms.
func (w *world) allProblems() []*problem {
	var out []*problem
	for _, f := range w.forms {
		if f.replacedBy == nil {
			out = append(out, f.problems()...)
		}
	}
	return out
}

// alertsAsOf returns the meter's alerts as of d, from the readings that have arrived by then.
func (w *world) alertsAsOf(m *power.Meter, d kit.Date) []power.Alert {
	return w.pm.Alerts(m, w.cfg.Power.For(m.Kind), min(d, w.readingsKnown(d)))
}

func (w *world) members(d kit.Date) []*member {
	var ms []*member
	for _, p := range w.patches {
		// The weekly export of the batch shows the verdict from the export after the check.
		if w.weekEnd(p.imaged) <= d && p.verdict == "违法" && (p.checked == 0 || w.weekEnd(p.checked) <= d) {
			ms = append(ms, &member{channel: "卫片", id: p.id, township: p.town.name, village: p.village, hasXY: true, pt: p.pt, first: p.imaged, cat: imageryCategory(p.change, p.after)})
		}
	}
	seen := map[string]bool{}
	cache := map[*power.Meter][]power.Alert{}
	for _, c := range w.checks {
		if c.checked > d || c.recv > d {
			continue
		}
		as, ok := cache[c.meter]
		if !ok {
			as = w.alertsAsOf(c.meter, d)
			cache[c.meter] = as
		}
		a, ok := checkedAlert(as, c.alertID, c.checked)
		if !ok || c.result != "非法采矿" || seen[a.ID] {
			continue
		}
		seen[a.ID] = true
		m := c.meter
		ms = append(ms, &member{channel: "用电", id: a.ID, township: m.Township, village: m.Village, hasXY: true,
			pt: kit.Point{Lon: m.Lon, Lat: m.Lat}, first: a.FirstDay, cat: catForRule(a.Rule, m.Kind)})
	}
	for _, c := range w.cases {
		if w.weekEnd(c.found) <= d {
			ms = append(ms, &member{channel: "案件", id: c.id, township: c.town.name, village: c.village, hasXY: c.hasXY, pt: c.pt, first: c.found, cat: c.cat, ref: c.ref})
		}
	}
	for _, c := range w.clues {
		if w.weekEnd(c.found) <= d && c.verdict == "属实" {
			ms = append(ms, &member{channel: "线索", id: c.id, township: c.town.name, village: c.village, hasXY: c.hasXY, pt: c.pt, first: c.found, cat: c.cat})
		}
	}
	ms = append(ms, w.chain.recurrences(d)...)
	ms = append(ms, w.channelMembers(d)...) // the console's checked flows and camera events, when applied (channels.go)
	ms = append(ms, w.periodMembers(d)...)  // the 常态化 period's patches and cases (periodwork.go)
	for _, m := range ms {
		m.order = channelOrder[m.channel]
	}
	return ms
}

// checkedAlert is the alert a check applies to: the one it names, else the meter's latest alert
// starting on or before the check date.
func checkedAlert(as []power.Alert, id string, checked kit.Date) (power.Alert, bool) {
	if id != "" {
		for _, a := range as {
			if a.ID == id {
				return a, true
			}
		}
		return power.Alert{}, false
	}
	var best power.Alert
	found := false
	for _, a := range as {
		if a.FirstDay <= checked && (!found || a.FirstDay > best.FirstDay) {
			best, found = a, true
		}
	}
	return best, found
}

// merge joins records into violations: explicit references and same village within the radius,
// transitively; members sorted by first_seen, channel order, id.
func merge(ms []*member, radius float64) []*violation {
	parent := make([]int, len(ms))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	union := func(a, b int) {
		ra, rb := find(a), find(b)
		if ra != rb {
			parent[max(ra, rb)] = min(ra, rb)
		}
	}
	for i, a := range ms {
		for j := i + 1; j < len(ms); j++ {
			b := ms[j]
			if refLinked(a, b) {
				union(i, j)
				continue
			}
			if a.hasXY && b.hasXY && a.township == b.township && a.village == b.village &&
				kit.Haversine(a.pt.Lon, a.pt.Lat, b.pt.Lon, b.pt.Lat) <= radius {
				union(i, j)
			}
		}
	}
	groups := map[int]*violation{}
	var vs []*violation
	for i, m := range ms {
		r := find(i)
		v := groups[r]
		if v == nil {
			v = &violation{}
			groups[r] = v
			vs = append(vs, v)
		}
		v.members = append(v.members, m)
	}
	for _, v := range vs {
		slices.SortFunc(v.members, func(a, b *member) int {
			if a.first != b.first {
				return int(a.first - b.first)
			}
			if a.order != b.order {
				return a.order - b.order
			}
			return strings.Compare(a.id, b.id)
		})
	}
	return vs
}

// refLinked: one record names the other (来源编号).
func refLinked(a, b *member) bool {
	return (a.ref != "" && a.ref == b.id) || (b.ref != "" && b.ref == a.id)
}

// evaluate applies queries/README.md as of d, with what had arrived by the end of d.
func (w *world) evaluate(d kit.Date) *evaluation {
	cfg := w.cfg
	radius := cfg.Accountability.MatchRadiusM
	deadline := kit.MkDate(cfg.DetectionDeadline())
	rectEnd := kit.MkDate(cfg.RectificationEnd())
	late := kit.Date(cfg.Accountability.LateItemDays)

	ps := w.problemsAsOf(d)
	rows := map[string][]rectRow{}
	for _, t := range w.towns {
		for _, r := range t.rects {
			if r.recv <= d {
				rows[r.item] = append(rows[r.item], r)
			}
		}
	}
	for _, r := range w.periodRectRows() {
		if r.recv <= d {
			rows[r.item] = append(rows[r.item], r)
		}
	}
	doneBy := func(id string) kit.Date {
		var best kit.Date
		for _, r := range rows[id] {
			if r.status == "已整改" && r.day != 0 && r.day <= d && (best == 0 || r.day < best) {
				best = r.day
			}
		}
		return best
	}

	// Recurrences: records first seen after their site was rectified form a violation of their own.
	var vs []*violation
	for _, g := range merge(w.members(d), radius) {
		var site kit.Date
		consider := func(x kit.Date) {
			if x != 0 && (site == 0 || x < site) {
				site = x
			}
		}
		for _, m := range g.members {
			consider(doneBy(m.id))
		}
		for _, p := range ps {
			if matches(p, g, radius) {
				consider(doneBy(p.id))
			}
		}
		g.rectified = site
		if site == 0 {
			vs = append(vs, g)
			continue
		}
		var old, split []*member
		for _, m := range g.members {
			keep := m.first <= site
			for _, o := range g.members {
				// a 复查 record names the item it re-inspected, yet came back after the fix
				if o.first <= site && refLinked(m, o) && m.channel != "复查" {
					keep = true
				}
			}
			if keep {
				old = append(old, m)
			} else {
				split = append(split, m)
			}
		}
		if len(split) == 0 || len(old) == 0 {
			vs = append(vs, g)
			continue
		}
		g.members = old
		vs = append(vs, g)
		for _, r := range merge(split, radius) {
			r.recurrenceOf, r.after = g.primary().id, site
			vs = append(vs, r)
		}
	}
	slices.SortFunc(vs, func(a, b *violation) int { return strings.Compare(a.primary().id, b.primary().id) })

	// Detection: the problems as known at the end of the deadline day of the violation's round (the
	// campaign's, or its 常态化 period's), in the content they had then.
	lists := map[kit.Date][]*problem{}
	atDeadline := func(dl kit.Date) []*problem {
		if ps, ok := lists[dl]; ok {
			return ps
		}
		lists[dl] = w.problemsAsOf(min(d, dl))
		return lists[dl]
	}
	earlier := func(p, q *problem) bool {
		return q == nil || p.reported < q.reported || (p.reported == q.reported && p.id < q.id)
	}
	matched := map[*violation]bool{}
	for _, v := range vs {
		pv := v.primary()
		deadline, inPeriod := deadline, false
		if dl, _, ok := w.roundOf(pv.first); ok {
			deadline, inPeriod = dl, true
		}
		var by, first *problem
		for _, p := range atDeadline(deadline) {
			if p.township == pv.township && p.reported <= deadline && p.reported > v.after && matches(p, v, radius) && earlier(p, by) {
				by = p
			}
		}
		for _, p := range ps {
			if p.reported > v.after && matches(p, v, radius) {
				matched[v] = true
				if earlier(p, first) {
					first = p
				}
			}
		}
		switch {
		case pv.first > rectEnd && !inPeriod:
			v.status = "new_after_rectification"
		case pv.first > deadline || d < deadline:
			v.status = "not_due"
		case by != nil:
			v.status = "detected"
		default:
			v.status = "missed"
		}
		if by != nil {
			v.by = by.id
		}
		if v.status == "missed" && first != nil {
			v.lateBy = first.id
		}
	}

	e := &evaluation{asOf: d, violations: vs, problems: ps}
	for _, p := range ps {
		dl := rectEnd
		_, rd, inPeriod := w.roundOf(p.reported)
		switch {
		case p.deadline != 0:
			dl = p.deadline
		case inPeriod:
			dl = rd
		case p.reported > rectEnd:
			dl = p.reported + late
		}
		if x := w.chain.dutyDeadline(p.id, nil, d); x != 0 {
			dl = x
		}
		e.ledger = append(e.ledger, &ledgerItem{id: p.id, kind: "problem", township: p.township, village: p.village, appear: p.reported, deadline: dl})
	}
	for _, v := range vs {
		if matched[v] {
			continue
		}
		pv := v.primary()
		dl := rectEnd
		if _, rd, ok := w.roundOf(pv.first); ok {
			dl = rd
		} else if pv.first > rectEnd {
			dl = pv.first + late
		}
		var ids []string
		for _, m := range v.members {
			ids = append(ids, m.id)
		}
		if x := w.chain.dutyDeadline(pv.id, ids, d); x != 0 {
			dl = x
		}
		e.ledger = append(e.ledger, &ledgerItem{id: pv.id, kind: "violation", township: pv.township, village: pv.village, appear: pv.first, deadline: dl, ids: ids})
	}
	for _, it := range e.ledger {
		it.status = "未整改"
		// a 整改不实 re-inspection voids every rectification dated on or before it
		it.reopened = max(w.chain.reopened(append([]string{it.id}, it.ids...), d), w.rejected(it, d))
		for _, r := range rows[it.id] {
			if r.status == "已整改" && r.day != 0 && r.day <= d && r.day > it.reopened && (it.rectified == 0 || r.day < it.rectified) {
				it.rectified = r.day
			}
		}
		switch {
		case it.rectified != 0:
			it.status = "已整改"
		default:
			for _, r := range rows[it.id] {
				if r.status == "整改中" {
					it.status = "整改中"
				}
			}
		}
		w.judgeAcceptance(it, d)
	}
	return e
}

func matches(p *problem, v *violation, radius float64) bool {
	for _, m := range v.members {
		if strings.Contains(p.remark, m.id) || strings.Contains(p.id, m.id) || (m.ref != "" && m.ref == p.id) {
			return true
		}
	}
	if !p.hasXY || p.township != v.primary().township {
		return false
	}
	for _, m := range v.members {
		if m.hasXY && kit.Haversine(p.pt.Lon, p.pt.Lat, m.pt.Lon, m.pt.Lat) <= radius {
			return true
		}
	}
	return false
}

// scorecard computes one township's row as of e.asOf.
func (w *world) scorecard(e *evaluation, t *town) Scorecard {
	cfg := w.cfg
	d := e.asOf
	s := Scorecard{AsOf: d.String(), Township: t.name}
	for _, v := range e.violations {
		pv := v.primary()
		if pv.township != t.name {
			continue
		}
		switch v.status {
		case "detected":
			s.Detected++
		case "missed":
			s.Missed++
		}
		if v.status == "new_after_rectification" {
			s.NewAfterRectification++
		}
	}
	s.ViolationsDue = s.Detected + s.Missed
	if s.ViolationsDue > 0 {
		r := float64(s.Missed) / float64(s.ViolationsDue)
		s.MissedDetectionRate = &r
	}
	for _, it := range e.ledger {
		if it.township != t.name {
			continue
		}
		if it.deadline <= d {
			s.LedgerDue++
			if it.rectified != 0 && it.rectified <= it.deadline {
				s.RectifiedOnTime++
			}
		}
		if it.overdue(d) {
			s.OverdueOpen++
		}
		if it.awaiting && !it.accLate {
			s.AwaitingAcceptance++
		}
		if it.reopened != 0 {
			s.RectificationFalse++
		}
	}
	if s.LedgerDue > 0 {
		r := float64(s.RectifiedOnTime) / float64(s.LedgerDue)
		s.RectificationRate = &r
	}
	if d >= kit.MkDate(cfg.PatrolFrom()) {
		var ongoing []ongoingPatrol
		if d > w.sc.readTo {
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

// AsOfDates are the days truth.json states scorecards for, all Sundays: the first after the
// detection deadline, the first after the end of rectification, and the last of the
// accountability phase (2023-03-19, 2023-04-16 and 2023-04-30 for the default campaign).
func AsOfDates(cfg *campaign.Config) []string {
	tl := newTimeline(cfg)
	sunday := func(d kit.Date) kit.Date {
		for d.Time().Weekday() != time.Sunday {
			d++
		}
		return d
	}
	last := tl.accEnd
	for last.Time().Weekday() != time.Sunday {
		last--
	}
	return []string{sunday(tl.deadline + 1).String(), sunday(tl.rectEnd + 1).String(), last.String()}
}

func parseDay(s string) kit.Date {
	var y, m, d int
	fmt.Sscanf(s, "%d-%d-%d", &y, &m, &d)
	return kit.YMD(y, m, d)
}

// truth states the answers.
func (w *world) truth() (*Truth, error) {
	end := w.sc.readTo

	asOf := AsOfDates(w.cfg)
	tr := &Truth{AsOf: asOf, DetailsAsOf: asOf[len(asOf)-1], DataTo: end.String(), Counts: map[string]int{}, Arrivals: w.planted}
	evals := make([]*evaluation, len(asOf))
	for i, s := range asOf {
		evals[i] = w.evaluate(parseDay(s))
	}
	details := evals[len(evals)-1]
	final := w.evaluate(end)
	inDetails := map[string]bool{}
	for _, v := range details.violations {
		inDetails[v.primary().id] = true
	}
	all := w.allProblems()
	for _, t := range w.towns {
		tt := TownTruth{Township: t.name, Violations: []ViolationTruth{}, LaterViolations: []ViolationTruth{}, Problems: []string{}, Ledger: []LedgerTruth{}}
		for _, v := range details.violations {
			if v.primary().township == t.name {
				tt.Violations = append(tt.Violations, violationTruth(v))
			}
		}
		for _, v := range final.violations {
			if v.primary().township == t.name && !inDetails[v.primary().id] {
				tt.LaterViolations = append(tt.LaterViolations, violationTruth(v))
			}
		}
		for _, p := range all {
			if p.township == t.name {
				tt.Problems = append(tt.Problems, p.id)
			}
		}
		for _, it := range details.ledger {
			if it.township != t.name {
				continue
			}
			lt := LedgerTruth{ItemID: it.id, Kind: it.kind, Deadline: it.deadline.String(), Status: it.status,
				OnTime: it.rectified != 0 && it.rectified <= it.deadline, Overdue: it.overdue(details.asOf)}
			if it.declared != 0 {
				s := it.declared.String()
				lt.RectifiedOn = &s
			}
			tt.Ledger = append(tt.Ledger, lt)
		}
		counts := map[kit.Date]int{}
		for _, p := range t.patrols {
			counts[p.day.Monday()]++
		}
		for wk := kit.MkDate(w.cfg.PatrolFrom()).Monday(); wk <= end.Monday(); wk += 7 {
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
	for _, c := range w.checks {
		if a, ok := checkedAlert(w.alertsAsOf(c.meter, end), c.alertID, c.checked); ok && c.checked >= checkedOn[a.ID] {
			checks[a.ID], checkedOn[a.ID] = c.result, c.checked
		}
	}
	checkDays := kit.Date(w.cfg.Power.PowerCheckDays())
	tr.PowerAlerts = []AlertTruth{}
	for _, m := range w.meters {
		as := w.alertsAsOf(m, end)
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
	tr.Counts["meters"] = len(w.meters)
	tr.Counts["licences"] = len(w.licences)
	tr.ImageryTriage = w.triage()
	tr.Restoration = w.restorationTruth(end)
	tr.Counts["acceptances"] = len(w.acc.recs)
	tr.Counts["patches"] = len(w.patches)
	tr.Counts["cases"] = len(w.cases)
	tr.Counts["clues"] = len(w.clues)
	tr.Counts["power_checks"] = len(w.checks)
	tr.Counts["problems"] = len(all)
	tr.Counts["forms"] = len(w.forms)
	tr.Accountability = w.accountability(details)
	tr.LookbackAsOf = end.String()
	for _, r := range w.chain.registers {
		tr.Counts["register_rows"] += len(r.rows)
	}
	tr.Counts["registers"] = len(w.chain.registers)
	tr.Counts["duties"] = len(w.chain.duties)
	tr.Counts["rechecks"] = len(w.chain.rechecks)
	mismatched := 0
	for _, f := range w.forms {
		if f.replacedBy != nil && f.replacedBy.recv.knownBy(end) {
			continue
		}
		for _, row := range f.rows {
			if row.cadre != "" && f.town.name == w.chain.noCadre[0] && row.village == w.chain.noCadre[1] {
				mismatched++
			}
		}
	}
	tr.Counts["register_unsigned_lines"] = mismatched
	return tr, nil
}

func violationTruth(v *violation) ViolationTruth {
	pv := v.primary()
	vt := ViolationTruth{ViolationID: pv.id, Village: pv.village, FirstSeen: pv.first.String(), DetectionStatus: v.status}
	// the first member's category that states one, a patch's (inferred from its change) only when
	// no other member has one (queries/intermediate/int_violations.sql)
	for _, m := range v.members {
		if vt.Category == "" && m.cat != "" && m.channel != "卫片" {
			vt.Category = m.cat
		}
	}
	for _, m := range v.members {
		if vt.Category == "" && m.cat != "" {
			vt.Category = m.cat
		}
		if !slices.Contains(vt.Channels, m.channel) {
			vt.Channels = append(vt.Channels, m.channel)
		}
		vt.SourceRefs = append(vt.SourceRefs, m.id)
	}
	if pv.hasXY {
		lon, lat := pv.pt.Lon, pv.pt.Lat
		vt.Lon, vt.Lat = &lon, &lat
	}
	if v.by != "" {
		by := v.by
		vt.DetectedBy = &by
	}
	if v.lateBy != "" {
		lb := v.lateBy
		vt.LateBy = &lb
	}
	if v.recurrenceOf != "" {
		ro := v.recurrenceOf
		vt.RecurrenceOf = &ro
	}
	return vt
}

// planRectifications writes each township's ledger updates from its ledger items (as of the end
// of the data), with the township's share of late, missing and ongoing work.
func (w *world) planRectifications(e *evaluation) {
	rectEnd := kit.MkDate(w.cfg.RectificationEnd())
	for _, t := range w.towns {
		var due, later []*ledgerItem
		for _, it := range e.ledger {
			if it.township != t.name {
				continue
			}
			if it.deadline <= rectEnd {
				due = append(due, it)
			} else {
				later = append(later, it)
			}
		}
		n := len(due)
		count := func(f float64) int {
			if f <= 0 || n == 0 {
				return 0
			}
			return max(1, int(f*float64(n)+0.5))
		}
		outcome := make([]string, n)
		perm := w.r.Perm(n)
		k := 0
		for _, o := range []struct {
			what string
			n    int
		}{{"late", count(t.spec.late)}, {"verylate", count(t.spec.veryLate)}, {"open", count(t.spec.open)}, {"progress", count(t.spec.progress)}} {
			for i := 0; i < o.n && k < n; i++ {
				outcome[perm[k]] = o.what
				k++
			}
		}
		for i, it := range due {
			w.rectify(t, it, outcome[i])
		}
		for _, it := range later {
			switch x := w.r.IntN(10); {
			case x < 5:
				w.rectify(t, it, "")
			case x < 8:
				w.rectify(t, it, "progress")
			default:
				w.rectify(t, it, "open")
			}
		}
	}
}

func (w *world) rectify(t *town, it *ledgerItem, outcome string) {
	verifier := w.person()
	// A row without a date is reported early in the rectification (or when the item appears),
	// within the week, and never after the item's own completion.
	start := max(it.appear, w.tl.rectStart)
	noted := min(start+kit.Date(w.arr.IntN(3)), start.Sunday(), w.sc.readTo)
	add := func(status string, d kit.Date, note string) {
		sent := d
		if d == 0 {
			sent = noted
		} else if d < noted {
			noted = d
			for i := len(t.rects) - 1; i >= 0 && t.rects[i].item == it.id; i-- {
				if t.rects[i].day == 0 {
					t.rects[i].sent = min(t.rects[i].sent, d)
				}
			}
		}
		t.rects = append(t.rects, rectRow{item: it.id, status: status, day: d, verifier: verifier, note: note, sent: sent})
	}
	switch outcome {
	case "late":
		add("已整改", it.deadline+kit.Date(3+w.r.IntN(10)), "逾期完成整改")
	case "verylate":
		add("整改中", 0, "正在整改")
		add("已整改", w.tl.lookStart+1+kit.Date(w.r.IntN(5)), "回头看期间完成整改")
	case "open":
		if w.r.IntN(2) == 0 {
			add("未整改", 0, "当事人拒不整改，已移交执法")
		}
	case "progress":
		add("整改中", 0, w.names.Pick([]string{"正在回填", "正在拆除", "已停工，待复绿"}))
	default:
		lo := max(it.appear+1, it.deadline-12)
		d := lo
		if it.deadline > lo {
			d = lo + kit.Date(w.r.IntN(int(it.deadline-lo)+1))
		}
		if d > w.sc.readTo {
			add("整改中", 0, "正在整改")
			return
		}
		if w.r.IntN(3) == 0 {
			add("整改中", 0, "正在整改")
		}
		add("已整改", d, w.names.Pick([]string{"已拆除，恢复原状", "已回填复绿", "井口已封堵", "已清运完毕"}))
	}
}
