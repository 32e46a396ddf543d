package county

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"landwatch/campaign"
	"landwatch/etl/synth/kit"
	"landwatch/etl/synth/power"
)

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

// Member is one violation record of a channel.
type Member struct {
	Channel  string // 卫片 用电 举报 案件 线索
	order    int
	ID       string
	Township string
	Village  string
	HasXY    bool
	Pt       kit.Point
	First    kit.Date
	Cat      string
	ref      string // 来源编号
}

type Violation struct {
	Members      []*Member // sorted: first_seen, channel order, id
	Status       string
	By           string
	LateBy       string
	RecurrenceOf string
	Rectified    kit.Date // the site's rectification: the earliest 已整改 naming a member or a matching problem
	after        kit.Date // a recurrence: problems match it only when reported after this day
}

func (v *Violation) Primary() *Member { return v.Members[0] }

type Problem struct {
	ID, Township, village, remark string
	reported, deadline            kit.Date
	HasXY                         bool
	Pt                            kit.Point
}

// problemsAsOf lists the problems known at the end of d: the lines of the forms received by then
// and not replaced by a correction received by then, reported on or before d, as those forms say.
func (w *World) problemsAsOf(d kit.Date) []*Problem {
	var out []*Problem
	for _, f := range slices.Concat(w.Forms, w.PeriodForms()) {
		if !f.Recv.KnownBy(d) || (f.ReplacedBy != nil && f.ReplacedBy.Recv.KnownBy(d)) {
			continue
		}
		for _, p := range f.Problems() {
			if p.reported <= d {
				out = append(out, p)
			}
		}
	}
	return out
}

// Problems are the problem lines of f.
func (f *Form) Problems() []*Problem {
	var out []*Problem
	for _, r := range f.Rows {
		if !r.Problem {
			continue
		}
		p := &Problem{ID: f.ProblemID(r), Township: f.Town.Name, village: r.Village, remark: r.Remark,
			reported: f.Day, deadline: r.deadline, HasXY: r.HasXY, Pt: r.Pt}
		if f.Extended && r.Inspected != 0 {
			p.reported = r.Inspected
		}
		out = append(out, p)
	}
	return out
}

type ledgerItem struct {
	ID, Kind, Township, Village string
	appear, Deadline            kit.Date
	Status                      string
	Rectified                   kit.Date
	Reopened                    kit.Date // the 整改不实 re-inspection that voided earlier rectifications
	Declared                    kit.Date // the township's declared 已整改 (rectified, unless awaiting acceptance)
	Awaiting, AccLate           bool     // 待验收; and past its acceptance deadline (acceptance.go)
	accDue                      kit.Date
	ids                         []string // a violation item's member ids (a problem's is its own)
}

type Evaluation struct {
	AsOf       kit.Date
	Violations []*Violation
	problems   []*Problem
	Ledger     []*ledgerItem
}

var channelOrder = map[string]int{"卫片": 0, "用电": 1, "举报": 2, "案件": 3, "线索": 4, "复查": 5, "民爆流向": 6, "视频监控": 7}

// AlertsAsOf returns the meter's alerts as of d, from the readings that have arrived by then.
func (w *World) AlertsAsOf(m *power.Meter, d kit.Date) []power.Alert {
	return w.Power.Alerts(m, w.Cfg.Power.For(m.Kind), min(d, w.ReadingsKnown(d)))
}

func (w *World) Members(d kit.Date) []*Member {
	var ms []*Member
	for _, p := range w.Patches {
		// The weekly export of the batch shows the verdict from the export after the check.
		if w.WeekEnd(p.Imaged) <= d && p.Verdict == "违法" && (p.Checked == 0 || w.WeekEnd(p.Checked) <= d) {
			ms = append(ms, &Member{Channel: "卫片", ID: p.ID, Township: p.Town.Name, Village: p.Village, HasXY: true, Pt: p.Pt, First: p.Imaged, Cat: imageryCategory(p.Change, p.After)})
		}
	}
	seen := map[string]bool{}
	cache := map[*power.Meter][]power.Alert{}
	for _, c := range w.Checks {
		if c.Checked > d || c.Recv > d {
			continue
		}
		as, ok := cache[c.Meter]
		if !ok {
			as = w.AlertsAsOf(c.Meter, d)
			cache[c.Meter] = as
		}
		a, ok := CheckedAlert(as, c.AlertID, c.Checked)
		if !ok || c.Result != "非法采矿" || seen[a.ID] {
			continue
		}
		seen[a.ID] = true
		m := c.Meter
		ms = append(ms, &Member{Channel: "用电", ID: a.ID, Township: m.Township, Village: m.Village, HasXY: true,
			Pt: kit.Point{Lon: m.Lon, Lat: m.Lat}, First: a.FirstDay, Cat: catForRule(a.Rule, m.Kind)})
	}
	for _, c := range w.Cases {
		if w.WeekEnd(c.Found) <= d {
			ms = append(ms, &Member{Channel: "案件", ID: c.ID, Township: c.Town.Name, Village: c.Village, HasXY: c.HasXY, Pt: c.Pt, First: c.Found, Cat: c.Cat, ref: c.Ref})
		}
	}
	for _, c := range w.Clues {
		if w.WeekEnd(c.Found) <= d && c.Verdict == "属实" {
			ms = append(ms, &Member{Channel: "线索", ID: c.ID, Township: c.Town.Name, Village: c.Village, HasXY: c.HasXY, Pt: c.Pt, First: c.Found, Cat: c.Cat})
		}
	}
	ms = append(ms, w.Chain.recurrences(d)...)
	ms = append(ms, w.channelMembers(d)...) // the console's checked flows and camera events, when applied (channels.go)
	ms = append(ms, w.periodMembers(d)...)  // the 常态化 period's patches and cases (periodwork.go)
	for _, m := range ms {
		m.order = channelOrder[m.Channel]
	}
	return ms
}

// CheckedAlert is the alert a check applies to: the one it names, else the meter's latest alert
// starting on or before the check date.
func CheckedAlert(as []power.Alert, id string, checked kit.Date) (power.Alert, bool) {
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
func merge(ms []*Member, radius float64) []*Violation {
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
			if a.HasXY && b.HasXY && a.Township == b.Township && a.Village == b.Village &&
				kit.Haversine(a.Pt.Lon, a.Pt.Lat, b.Pt.Lon, b.Pt.Lat) <= radius {
				union(i, j)
			}
		}
	}
	groups := map[int]*Violation{}
	var vs []*Violation
	for i, m := range ms {
		r := find(i)
		v := groups[r]
		if v == nil {
			v = &Violation{}
			groups[r] = v
			vs = append(vs, v)
		}
		v.Members = append(v.Members, m)
	}
	for _, v := range vs {
		slices.SortFunc(v.Members, func(a, b *Member) int {
			if a.First != b.First {
				return int(a.First - b.First)
			}
			if a.order != b.order {
				return a.order - b.order
			}
			return strings.Compare(a.ID, b.ID)
		})
	}
	return vs
}

// refLinked: one record names the other (来源编号).
func refLinked(a, b *Member) bool {
	return (a.ref != "" && a.ref == b.ID) || (b.ref != "" && b.ref == a.ID)
}

// Evaluate applies queries/README.md as of d, with what had arrived by the end of d.
func (w *World) Evaluate(d kit.Date) *Evaluation {
	cfg := w.Cfg
	radius := cfg.Accountability.MatchRadiusM
	deadline := kit.MkDate(cfg.DetectionDeadline())
	rectEnd := kit.MkDate(cfg.RectificationEnd())
	late := kit.Date(cfg.Accountability.LateItemDays)

	ps := w.problemsAsOf(d)
	rows := map[string][]RectRow{}
	for _, t := range w.Towns {
		for _, r := range t.Rects {
			if r.Recv <= d {
				rows[r.Item] = append(rows[r.Item], r)
			}
		}
	}
	for _, r := range w.periodRectRows() {
		if r.Recv <= d {
			rows[r.Item] = append(rows[r.Item], r)
		}
	}
	doneBy := func(id string) kit.Date {
		var best kit.Date
		for _, r := range rows[id] {
			if r.Status == "已整改" && r.Day != 0 && r.Day <= d && (best == 0 || r.Day < best) {
				best = r.Day
			}
		}
		return best
	}

	// Recurrences: records first seen after their site was rectified form a violation of their own.
	var vs []*Violation
	for _, g := range merge(w.Members(d), radius) {
		var site kit.Date
		consider := func(x kit.Date) {
			if x != 0 && (site == 0 || x < site) {
				site = x
			}
		}
		for _, m := range g.Members {
			consider(doneBy(m.ID))
		}
		for _, p := range ps {
			if matches(p, g, radius) {
				consider(doneBy(p.ID))
			}
		}
		g.Rectified = site
		if site == 0 {
			vs = append(vs, g)
			continue
		}
		var old, split []*Member
		for _, m := range g.Members {
			keep := m.First <= site
			for _, o := range g.Members {
				// a 复查 record names the item it re-inspected, yet came back after the fix
				if o.First <= site && refLinked(m, o) && m.Channel != "复查" {
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
		g.Members = old
		vs = append(vs, g)
		for _, r := range merge(split, radius) {
			r.RecurrenceOf, r.after = g.Primary().ID, site
			vs = append(vs, r)
		}
	}
	slices.SortFunc(vs, func(a, b *Violation) int { return strings.Compare(a.Primary().ID, b.Primary().ID) })

	// Detection: the problems as known at the end of the deadline day of the violation's round (the
	// campaign's, or its 常态化 period's), in the content they had then.
	lists := map[kit.Date][]*Problem{}
	atDeadline := func(dl kit.Date) []*Problem {
		if ps, ok := lists[dl]; ok {
			return ps
		}
		lists[dl] = w.problemsAsOf(min(d, dl))
		return lists[dl]
	}
	earlier := func(p, q *Problem) bool {
		return q == nil || p.reported < q.reported || (p.reported == q.reported && p.ID < q.ID)
	}
	matched := map[*Violation]bool{}
	for _, v := range vs {
		pv := v.Primary()
		deadline, inPeriod := deadline, false
		if dl, _, ok := w.RoundOf(pv.First); ok {
			deadline, inPeriod = dl, true
		}
		var by, first *Problem
		for _, p := range atDeadline(deadline) {
			if p.Township == pv.Township && p.reported <= deadline && p.reported > v.after && matches(p, v, radius) && earlier(p, by) {
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
		case pv.First > rectEnd && !inPeriod:
			v.Status = "new_after_rectification"
		case pv.First > deadline || d < deadline:
			v.Status = "not_due"
		case by != nil:
			v.Status = "detected"
		default:
			v.Status = "missed"
		}
		if by != nil {
			v.By = by.ID
		}
		if v.Status == "missed" && first != nil {
			v.LateBy = first.ID
		}
	}

	e := &Evaluation{AsOf: d, Violations: vs, problems: ps}
	for _, p := range ps {
		dl := rectEnd
		_, rd, inPeriod := w.RoundOf(p.reported)
		switch {
		case p.deadline != 0:
			dl = p.deadline
		case inPeriod:
			dl = rd
		case p.reported > rectEnd:
			dl = p.reported + late
		}
		if x := w.Chain.dutyDeadline(p.ID, nil, d); x != 0 {
			dl = x
		}
		e.Ledger = append(e.Ledger, &ledgerItem{ID: p.ID, Kind: "problem", Township: p.Township, Village: p.village, appear: p.reported, Deadline: dl})
	}
	for _, v := range vs {
		if matched[v] {
			continue
		}
		pv := v.Primary()
		dl := rectEnd
		if _, rd, ok := w.RoundOf(pv.First); ok {
			dl = rd
		} else if pv.First > rectEnd {
			dl = pv.First + late
		}
		var ids []string
		for _, m := range v.Members {
			ids = append(ids, m.ID)
		}
		if x := w.Chain.dutyDeadline(pv.ID, ids, d); x != 0 {
			dl = x
		}
		e.Ledger = append(e.Ledger, &ledgerItem{ID: pv.ID, Kind: "violation", Township: pv.Township, Village: pv.Village, appear: pv.First, Deadline: dl, ids: ids})
	}
	for _, it := range e.Ledger {
		it.Status = "未整改"
		// a 整改不实 re-inspection voids every rectification dated on or before it
		it.Reopened = max(w.Chain.reopened(append([]string{it.ID}, it.ids...), d), w.rejected(it, d))
		for _, r := range rows[it.ID] {
			if r.Status == "已整改" && r.Day != 0 && r.Day <= d && r.Day > it.Reopened && (it.Rectified == 0 || r.Day < it.Rectified) {
				it.Rectified = r.Day
			}
		}
		switch {
		case it.Rectified != 0:
			it.Status = "已整改"
		default:
			for _, r := range rows[it.ID] {
				if r.Status == "整改中" {
					it.Status = "整改中"
				}
			}
		}
		w.judgeAcceptance(it, d)
	}
	return e
}

func matches(p *Problem, v *Violation, radius float64) bool {
	for _, m := range v.Members {
		if strings.Contains(p.remark, m.ID) || strings.Contains(p.ID, m.ID) || (m.ref != "" && m.ref == p.ID) {
			return true
		}
	}
	if !p.HasXY || p.Township != v.Primary().Township {
		return false
	}
	for _, m := range v.Members {
		if m.HasXY && kit.Haversine(p.Pt.Lon, p.Pt.Lat, m.Pt.Lon, m.Pt.Lat) <= radius {
			return true
		}
	}
	return false
}

// AsOfDates are the days truth.json states scorecards for, all Sundays: the first after the
// detection deadline, the first after the end of rectification, and the last of the
// accountability phase (2023-03-19, 2023-04-16 and 2023-04-30 for the default campaign).
func AsOfDates(cfg *campaign.Config) []string {
	tl := NewTimeline(cfg)
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
	return []string{sunday(tl.Deadline + 1).String(), sunday(tl.rectEnd + 1).String(), last.String()}
}

func ParseDay(s string) kit.Date {
	var y, m, d int
	fmt.Sscanf(s, "%d-%d-%d", &y, &m, &d)
	return kit.YMD(y, m, d)
}

// planRectifications writes each township's ledger updates from its ledger items (as of the end
// of the data), with the township's share of late, missing and ongoing work.
func (w *World) planRectifications(e *Evaluation) {
	rectEnd := kit.MkDate(w.Cfg.RectificationEnd())
	for _, t := range w.Towns {
		var due, later []*ledgerItem
		for _, it := range e.Ledger {
			if it.Township != t.Name {
				continue
			}
			if it.Deadline <= rectEnd {
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

func (w *World) rectify(t *Town, it *ledgerItem, outcome string) {
	verifier := w.Person()
	// A row without a date is reported early in the rectification (or when the item appears),
	// within the week, and never after the item's own completion.
	start := max(it.appear, w.Timeline.rectStart)
	noted := min(start+kit.Date(w.arr.IntN(3)), start.Sunday(), w.Scale.ReadTo)
	add := func(status string, d kit.Date, note string) {
		sent := d
		if d == 0 {
			sent = noted
		} else if d < noted {
			noted = d
			for i := len(t.Rects) - 1; i >= 0 && t.Rects[i].Item == it.ID; i-- {
				if t.Rects[i].Day == 0 {
					t.Rects[i].Sent = min(t.Rects[i].Sent, d)
				}
			}
		}
		t.Rects = append(t.Rects, RectRow{Item: it.ID, Status: status, Day: d, Verifier: verifier, Note: note, Sent: sent})
	}
	switch outcome {
	case "late":
		add("已整改", it.Deadline+kit.Date(3+w.r.IntN(10)), "逾期完成整改")
	case "verylate":
		add("整改中", 0, "正在整改")
		add("已整改", w.Timeline.LookStart+1+kit.Date(w.r.IntN(5)), "回头看期间完成整改")
	case "open":
		if w.r.IntN(2) == 0 {
			add("未整改", 0, "当事人拒不整改，已移交执法")
		}
	case "progress":
		add("整改中", 0, w.Names.Pick([]string{"正在回填", "正在拆除", "已停工，待复绿"}))
	default:
		lo := max(it.appear+1, it.Deadline-12)
		d := lo
		if it.Deadline > lo {
			d = lo + kit.Date(w.r.IntN(int(it.Deadline-lo)+1))
		}
		if d > w.Scale.ReadTo {
			add("整改中", 0, "正在整改")
			return
		}
		if w.r.IntN(3) == 0 {
			add("整改中", 0, "正在整改")
		}
		add("已整改", d, w.Names.Pick([]string{"已拆除，恢复原状", "已回填复绿", "井口已封堵", "已清运完毕"}))
	}
}
