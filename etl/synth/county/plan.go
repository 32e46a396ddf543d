package county

import (
	"fmt"
	"math"

	"landwatch/etl/synth/kit"
	"landwatch/etl/synth/power"
)

type Patch struct {
	ID      string
	BatchNo int
	Imaged  kit.Date
	Checked kit.Date // 0: not checked
	Town    *Town
	Village string
	Change  string
	Before  string
	After   string
	AreaMu  float64
	Verdict string // 合法/违法/其他/未核查
	Polys   [][]kit.Point
	Pt      kit.Point // area centroid of the polygons
	Cat     string
}

type CaseRec struct {
	ID, Source, Ref string
	Town            *Town
	Village         string
	HasXY           bool
	Pt              kit.Point
	Cat             string
	Found, Filed    kit.Date
	PriceReq        kit.Date
	PriceDone       kit.Date
	Police, Proc    kit.Date
	Judged          kit.Date
	Fine, Confisc   int64
	Status          string
}

type clue struct {
	ID, Source string
	Town       *Town
	Village    string
	HasXY      bool
	Pt         kit.Point
	Cat        string
	Found      kit.Date
	Verdict    string // 属实/不属实/核查中
}

type check struct {
	Meter   *power.Meter
	AlertID string // written in 预警编号; empty for some
	Checked kit.Date
	Result  string   // 非法采矿/正常/其他
	Recv    kit.Date // the day its weekly file arrived
}

type RectRow struct {
	Item, Status string
	Day          kit.Date
	Verifier     string
	Note         string
	Sent         kit.Date // the week it is reported in: its 完成日期, or when the township noted the progress
	late         bool     // sent in a file of its own that arrives late (planted)
	Recv         kit.Date // the day its file arrived
}

type PatrolRow struct {
	Day      kit.Date
	Team     string
	Villages string
	Findings string
	Recv     kit.Date // the day its weekly file arrived
}

// Form is one inspection form (排查报表) file.
type Form struct {
	Town        *Town
	Level       string   // 村级 or 乡镇
	village     string   // village forms: whose list it is
	Day         kit.Date // the date on the header line
	Kind        string   // 自查, 复查, 补报
	Extended    bool     // extra columns 层级 排查日期 经度 纬度 问题类别 (+ 整改时限)
	deadlineCol bool
	CSV         bool  // GB18030 csv instead of xlsx
	wrapHeader  bool  // "包村干部\n签字"
	ReplacedBy  *Form // the corrected re-submission that replaces this file
	Recv        Stamp // when the file reached the county
	suffix      string
	Rows        []*FormRow
	Filer       string
}

type FormRow struct {
	Seq       int
	Village   string
	Address   string
	Situation string
	Hazard    string
	Measures  string
	Cadre     string
	Head      string
	Remark    string
	Inspected kit.Date
	HasXY     bool
	Pt        kit.Point
	Cat       string // written in 问题类别; may be empty on a problem
	deadline  kit.Date
	Problem   bool
}

func (f *Form) ProblemID(r *FormRow) string {
	if f.Level == "村级" {
		return fmt.Sprintf("%s-%s-%s-%d", f.Town.Name, r.Village, f.Day.Compact(), r.Seq)
	}
	return fmt.Sprintf("%s-%s-%d", f.Town.Name, f.Day.Compact(), r.Seq)
}

func (f *Form) add(r *FormRow) *FormRow {
	r.Seq = len(f.Rows) + 1
	f.Rows = append(f.Rows, r)
	return r
}

// tspec is what happens in one township; the profiles cycle over the config's townships.
type tspec struct {
	detRef, detDist     int // due violations found by the township by reference / by distance
	missNone, missLate  int // due violations missed: never listed / listed only after the deadline
	notDue              int // first seen after the detection deadline, before the end of rectification
	newAfter, afterEnd  int // first seen after the end of rectification (≤ 04-30 / after 04-30)
	merges              bool
	late, veryLate      float64 // fractions of the items due by the end of rectification fixed late (before / after 04-30)
	open, progress      float64 // … never fixed (未整改) / 整改中
	patrolGaps          []int   // weeks (0 = the week holding the start of the self-check) with no patrol
	extended, corrected bool
	power               bool // prefer the power channel
}

var specs = []tspec{
	{detRef: 1, detDist: 2, notDue: 1, merges: true},                                            // green
	{detRef: 1, detDist: 1, missNone: 1, missLate: 1, notDue: 1},                                // red: missed half
	{detRef: 2, detDist: 1, missNone: 1, extended: true},                                        // yellow: missed 1 of 4
	{detRef: 1, detDist: 1, newAfter: 2, afterEnd: 1},                                           // red: new after rectification
	{detRef: 1, detDist: 2, late: 0.2, open: 0.1, progress: 0.05, notDue: 1},                    // red: rectification rate
	{detRef: 1, detDist: 1, patrolGaps: []int{3, 6}},                                            // yellow: patrols
	{detRef: 1, detDist: 1, notDue: 1, open: 0.04, extended: true},                              // yellow: overdue
	{detRef: 2, detDist: 1, notDue: 1, merges: true, extended: true},                            // green, channel merges
	{detDist: 2, newAfter: 1, afterEnd: 1},                                                      // yellow: new after
	{},                                                                                          // green, no violations (NULL rate)
	{detDist: 1, missNone: 2, power: true, late: 0.05},                                          // red: power sites missed
	{detRef: 2, detDist: 1, missNone: 1, corrected: true, veryLate: 0.05, patrolGaps: []int{9}}, // yellow/red: corrected form
}

func specFor(i int) tspec { return specs[i%len(specs)] }

// vrec is one violation record as the scenario sees it: its id and point.
type vrec struct {
	id      string
	kind    string // patch, power, case, clue
	village Village
	pt      kit.Point
	hasXY   bool
	first   kit.Date
	cat     string
	ref     string // how a form's 备注 names it
}

// Plan builds the whole scenario.
func (w *World) Plan() error {
	for _, t := range w.Towns {
		w.makeForms(t)
	}
	for _, t := range w.Towns {
		w.planTown(t)
	}
	for _, t := range w.Towns {
		w.fillForms(t)
		w.planPatrols(t)
		planted := 0
		for _, m := range w.Meters {
			if m.Township == t.Name {
				planted++
			}
		}
		w.addOrdinaryMeters(t, max(1, w.Scale.Meters/len(w.Towns)-planted))
	}
	// Meter ids follow registration order; keep the registry grouped by township.
	w.sortMeters()
	for _, t := range w.Towns {
		w.Forms = append(w.Forms, t.villageForms...)
		if t.townForm != nil {
			if t.spec.corrected {
				w.Forms = append(w.Forms, w.correctedPair(t)...)
			} else {
				w.Forms = append(w.Forms, t.townForm)
			}
		}
		w.Forms = append(w.Forms, t.lateForms...)
	}
	// The ledger updates follow the ledger items as of the end of the data.
	w.planRectifications(w.Evaluate(w.Scale.ReadTo))
	w.plantArrivalCases()
	w.assignArrivals()
	w.noteCorrectionsInTime()
	w.planChain()
	w.planAcceptances()
	// the member units' inputs, from streams of their own (period.go)
	w.addTypedMeters()
	w.planLicences()
	return nil
}

// sortMeters orders the registry by township then village, keeping ids as assigned.
func (w *World) sortMeters() {
	order := map[string]int{}
	for i, t := range w.Towns {
		order[t.Name] = i
	}
	ms := w.Meters
	// stable insertion by township index; ids stay with their meter
	out := make([]*power.Meter, 0, len(ms))
	for i := range w.Towns {
		for _, m := range ms {
			if order[m.Township] == i {
				out = append(out, m)
			}
		}
	}
	w.Meters = out
}

func (w *World) makeForms(t *Town) {
	for i, v := range t.Villages {
		f := &Form{Town: t, Level: "村级", village: v.Name, Kind: "自查", Extended: true,
			Day: w.Timeline.SelfStart + kit.Date(w.r.IntN(int(w.Timeline.selfEnd-w.Timeline.SelfStart)+1)), wrapHeader: (t.Idx+i)%3 == 0, Filer: w.Person()}
		f.CSV = (t.Idx == 2 || t.Idx == 8) && i == 0
		t.villageForms = append(t.villageForms, f)
	}
	tf := &Form{Town: t, Level: "乡镇", Kind: "复查", Day: w.Timeline.reviewStart + kit.Date(w.r.IntN(int(w.Timeline.Deadline-w.Timeline.reviewStart)+1)),
		Extended: t.spec.extended, deadlineCol: t.spec.extended, wrapHeader: t.Idx%2 == 1, Filer: w.Person()}
	t.townForm = tf
}

// lateForm returns the township's supplementary list (补报), making it on first use.
func (w *World) lateForm(t *Town) *Form {
	if len(t.lateForms) == 0 {
		f := &Form{Town: t, Level: "乡镇", Kind: "补报", Day: w.Timeline.Deadline + 2 + kit.Date(w.r.IntN(int(w.Timeline.verifEnd-w.Timeline.Deadline-2)+1)),
			Extended: t.Idx%2 == 0, CSV: t.Idx == 1 || t.Idx == 10, Filer: w.Person()}
		t.lateForms = append(t.lateForms, f)
	}
	return t.lateForms[0]
}

func (w *World) villageForm(t *Town, v string) *Form {
	for _, f := range t.villageForms {
		if f.village == v {
			return f
		}
	}
	return nil
}

// planTown plants the township's violations and the problems that find them.
func (w *World) planTown(t *Town) {
	s := t.spec
	for rep := 0; rep < w.Scale.Repeat; rep++ {
		k := rep * 7
		for i := 0; i < s.detRef; i++ {
			v := w.dueViolation(t, k+i)
			w.detectByRef(t, t.townForm, v)
		}
		for i := 0; i < s.detDist; i++ {
			v := w.dueViolation(t, k+i+3)
			if t.townForm.Extended && i%2 == 1 {
				w.detectByDistance(t, t.townForm, v, v.pt)
			} else {
				w.detectByDistance(t, w.villageForm(t, v.village.Name), v, v.pt)
			}
		}
		for i := 0; i < s.missNone; i++ {
			v := w.dueViolation(t, k+i+1)
			if s.corrected && i == 0 && rep == 0 {
				t.townForm.suffix = v.ref // the first version of the form claims it; the correction drops it
			}
		}
		for i := 0; i < s.missLate; i++ {
			v := w.dueViolation(t, k+i+2)
			lf := w.lateForm(t)
			if lf.Extended {
				w.detectByDistance(t, lf, v, v.pt)
			} else {
				w.detectByRef(t, lf, v)
			}
		}
		for i := 0; i < s.notDue; i++ {
			v := w.laterViolation(t, k+i, w.Timeline.Deadline+4, w.Timeline.rectStart+5, 2)
			if (i+rep)%2 == 1 {
				w.detectByRef(t, w.lateForm(t), v)
			}
		}
		for i := 0; i < s.newAfter; i++ {
			w.laterViolation(t, k+i+1, w.Timeline.accStart+1, w.Timeline.accStart+7, 3)
		}
		for i := 0; i < s.afterEnd; i++ {
			w.laterViolation(t, k+i, w.Timeline.LookStart+1, w.Timeline.LookStart+3, 4)
		}
		if s.merges {
			w.plantMerges(t)
		}
		w.plantNonViolations(t, rep)
		if t.Name == w.Towns[3%len(w.Towns)].Name && rep == 0 {
			w.plantRepeatClosedMine(t)
		}
	}
}

// dueViolation plants a violation first seen before the detection deadline, on channel k.
func (w *World) dueViolation(t *Town, k int) vrec {
	chans := []string{"patch", "power", "case", "clue"}
	if t.spec.power {
		chans = []string{"power", "power", "patch"}
	}
	ch := chans[(t.Idx+k)%len(chans)]
	v, p := w.newSite(t)
	switch ch {
	case "patch":
		pa := w.addPatch(t, v, p, 1, "违法", 2+w.r.IntN(7))
		return vrec{id: pa.ID, kind: ch, village: v, pt: pa.Pt, hasXY: true, first: pa.Imaged, cat: pa.Cat, ref: "卫片图斑" + pa.ID}
	case "power":
		rules := []string{power.RuleNight, power.RuleClosed}
		if w.Scale.ReadFrom+34 <= w.Timeline.reviewStart {
			rules = append(rules, power.RuleSurge)
		}
		rule := rules[(t.Idx+k)%len(rules)]
		start := w.Timeline.SelfStart + kit.Date(w.r.IntN(4))
		if rule == power.RuleSurge {
			start = w.Timeline.reviewStart + kit.Date(w.r.IntN(4))
		}
		a := w.powerSite(t, v, p, rule, start, "非法采矿", k%4 != 3)
		return vrec{id: a.ID, kind: ch, village: v, pt: kit.Point{Lon: a.Meter.Lon, Lat: a.Meter.Lat}, hasXY: true, first: a.FirstDay, cat: catForRule(rule, a.Meter.Kind), ref: "用电预警" + a.ID}
	case "case":
		c := w.addCase(t, v, p, true, w.r.Pick([]string{"巡查", "部门移送", "上级督察", "举报"}), "", w.Timeline.dueFound(w.r))
		return vrec{id: c.ID, kind: ch, village: v, pt: c.Pt, hasXY: true, first: c.Found, cat: c.Cat, ref: "案件" + c.ID}
	default:
		c := w.addClue(t, v, p, w.r.Pick(clueSources), "属实", w.Timeline.dueFound(w.r))
		return vrec{id: c.ID, kind: ch, village: v, pt: c.Pt, hasXY: true, first: c.Found, cat: c.Cat, ref: "线索" + c.ID}
	}
}

var clueSources = []string{"媒体曝光", "上级督察", "领导批办", "日常监管"}

// laterViolation plants a violation first seen between from and to, imaged in batch.
func (w *World) laterViolation(t *Town, k int, from, to kit.Date, batch int) vrec {
	chans := []string{"patch", "case", "clue", "power"}
	ch := chans[(t.Idx+k)%len(chans)]
	v, p := w.newSite(t)
	day := from + kit.Date(w.r.IntN(int(to-from)+1))
	switch ch {
	case "patch":
		pa := w.addPatch(t, v, p, batch, "违法", 2+w.r.IntN(3))
		return vrec{id: pa.ID, kind: ch, village: v, pt: pa.Pt, hasXY: true, first: pa.Imaged, cat: pa.Cat, ref: "卫片图斑" + pa.ID}
	case "power":
		if batch == 4 { // no readings to show it yet: a case instead
			c := w.addCase(t, v, p, true, "用电", "", day)
			return vrec{id: c.ID, kind: "case", village: v, pt: c.Pt, hasXY: true, first: c.Found, cat: c.Cat, ref: "案件" + c.ID}
		}
		rule := power.RuleSurge
		if batch == 2 {
			rule = power.RuleClosed
		}
		a := w.powerSite(t, v, p, rule, from, "非法采矿", true)
		return vrec{id: a.ID, kind: ch, village: v, pt: kit.Point{Lon: a.Meter.Lon, Lat: a.Meter.Lat}, hasXY: true, first: a.FirstDay, cat: catForRule(rule, a.Meter.Kind), ref: "用电预警" + a.ID}
	case "case":
		c := w.addCase(t, v, p, true, w.r.Pick([]string{"巡查", "举报", "部门移送"}), "", day)
		return vrec{id: c.ID, kind: ch, village: v, pt: c.Pt, hasXY: true, first: c.Found, cat: c.Cat, ref: "案件" + c.ID}
	default:
		c := w.addClue(t, v, p, w.r.Pick(clueSources), "属实", day)
		return vrec{id: c.ID, kind: ch, village: v, pt: c.Pt, hasXY: true, first: c.Found, cat: c.Cat, ref: "线索" + c.ID}
	}
}

func catForRule(rule, kind string) string {
	switch {
	case rule == power.RuleClosed:
		return "M4"
	case kind == power.KindWasher || kind == power.KindFarm || kind == power.KindFactory:
		return "M3"
	}
	return "M1"
}

// plantMerges plants violations reported by several channels.
func (w *World) plantMerges(t *Town) {
	// a) a case whose 来源编号 is the patch id; the township names the case.
	v, p := w.newSite(t)
	pa := w.addPatch(t, v, p, 1, "违法", 3)
	c := w.addCase(t, v, w.near(pa.Pt, 40, 90), true, "卫片", pa.ID, pa.Checked+2)
	c.Cat = pa.Cat
	w.detectByRef(t, t.townForm, vrec{village: v, ref: "案件" + c.ID, cat: pa.Cat})

	// b) a clue 150 m from a patch in the same village; the township lists a problem 200 m beyond
	// the clue (350 m from the patch): it matches through the clue.
	v, p = w.newSite(t)
	pa = w.addPatch(t, v, p, 1, "违法", 4)
	ang := w.r.Float64() * 2 * math.Pi
	clon, clat := kit.Offset(pa.Pt.Lon, pa.Pt.Lat, 150*math.Cos(ang), 150*math.Sin(ang))
	cl := w.addClue(t, v, kit.Point{Lon: kit.Round6(clon), Lat: kit.Round6(clat)}, "日常监管", "属实", pa.Imaged+2)
	cl.Cat = pa.Cat
	plon, plat := kit.Offset(pa.Pt.Lon, pa.Pt.Lat, 350*math.Cos(ang), 350*math.Sin(ang))
	w.problemAt(t, w.villageForm(t, v.Name), v, kit.Point{Lon: kit.Round6(plon), Lat: kit.Round6(plat)}, pa.Cat, "", 0)

	// c) a clue verified true and the case opened on it (no coordinates on the case).
	v, p = w.newSite(t)
	cl = w.addClue(t, v, p, "媒体曝光", "属实", w.Timeline.SelfStart+3+kit.Date(w.r.IntN(4)))
	c = w.addCase(t, v, p, false, "媒体", cl.ID, cl.Found+3)
	c.Cat = cl.Cat
	w.detectByRef(t, t.townForm, vrec{village: v, ref: "线索" + cl.ID, cat: cl.Cat})

	// d) a power alert checked 非法采矿 and the case opened on it.
	v, p = w.newSite(t)
	a := w.powerSite(t, v, p, power.RuleNight, w.Timeline.SelfStart+1, "非法采矿", true)
	chk := w.Checks[len(w.Checks)-1]
	c = w.addCase(t, v, w.near(p, 20, 50), true, "用电", a.ID, chk.Checked+1)
	c.Cat = "M3"
	w.detectByDistance(t, w.villageForm(t, v.Name), vrec{village: v, cat: "M3"}, kit.Point{Lon: a.Meter.Lon, Lat: a.Meter.Lat})
}

// plantNonViolations plants records that are not violations: lawful and unchecked patches, clues
// found untrue or still being checked, power alerts found normal or never checked, idle closed mines.
func (w *World) plantNonViolations(t *Town, rep int) {
	v := t.Villages[(rep+1)%len(t.Villages)]
	switch (t.Idx + rep) % 4 {
	case 0:
		w.addPatch(t, v, w.near(v.Pt, 300, 1500), 1, "合法", 5)
		w.addClue(t, v, w.near(v.Pt, 300, 1500), w.r.Pick(clueSources), "不属实", w.Timeline.SelfStart+5+kit.Date(w.r.IntN(10)))
	case 1:
		w.addPatch(t, v, w.near(v.Pt, 300, 1500), 2, "未核查", 0)
		w.addClue(t, v, w.near(v.Pt, 300, 1500), w.r.Pick(clueSources), "核查中", w.Timeline.Deadline+6+kit.Date(w.r.IntN(10)))
		w.powerSite(t, v, w.near(v.Pt, 300, 1500), power.RuleNight, w.Timeline.Deadline+6, "正常", true)
	case 2:
		w.addPatch(t, v, w.near(v.Pt, 300, 1500), 3, "合法", 3)
		w.powerSite(t, v, w.near(v.Pt, 300, 1500), power.RuleClosed, w.Timeline.rectStart+9, "", false)
		w.addMeter(t, v, w.near(v.Pt, 300, 1500), power.KindClosedMine)
	case 3:
		w.addClue(t, v, w.near(v.Pt, 300, 1500), w.r.Pick(clueSources), "不属实", w.Timeline.rectStart+8+kit.Date(w.r.IntN(10)))
		w.powerSite(t, v, w.near(v.Pt, 300, 1500), power.RuleSurge, w.Timeline.rectStart+11, "其他", false)
	}
}

// plantRepeatClosedMine plants a closed mine stolen from twice: the first alert is named by its
// check; the second check names no alert and applies to the meter's latest alert.
func (w *World) plantRepeatClosedMine(t *Town) {
	v, p := w.newSite(t)
	m := w.addMeter(t, v, p, power.KindClosedMine)
	m.Anomalies = append(m.Anomalies,
		power.Anomaly{Rule: power.RuleClosed, Start: w.Timeline.Deadline + 6, Days: []int{0, 1, 3}},
		power.Anomaly{Rule: power.RuleClosed, Start: w.Timeline.accStart + 2, Days: []int{0, 1, 2, 5, 6}})
	first := power.AlertID(m.ID, power.RuleClosed, w.Timeline.Deadline+6)
	w.Checks = append(w.Checks,
		&check{Meter: m, AlertID: first, Checked: w.Timeline.Deadline + 13, Result: "正常"},
		&check{Meter: m, Checked: w.Timeline.accStart + 11, Result: "非法采矿"})
}

// powerSite plants a meter with an anomaly of rule from start, and a field check with result
// (none when result is empty). It returns the alert the pattern raises.
func (w *World) powerSite(t *Town, v Village, p kit.Point, rule string, start kit.Date, result string, named bool) power.Alert {
	var kind string
	var an power.Anomaly
	switch rule {
	case power.RuleNight:
		kind = []string{power.KindFactory, power.KindWasher, power.KindFactory}[w.r.IntN(3)]
		an = power.Anomaly{Rule: rule, Start: start, Days: power.Consecutive(8)}
	case power.RuleSurge:
		kind = power.KindFarm
		an = power.Anomaly{Rule: rule, Start: start, Days: power.Consecutive(8 + w.r.IntN(3))}
	default:
		kind = power.KindClosedMine
		an = power.Anomaly{Rule: rule, Start: start, Days: []int{0, 1, 2, 4, 5, 8, 9}}
	}
	m := w.addMeter(t, v, p, kind)
	m.Anomalies = append(m.Anomalies, an)
	a := power.Alert{Meter: m, Rule: rule, FirstDay: start, LastDay: start + kit.Date(an.Days[len(an.Days)-1])}
	a.ID = power.AlertID(m.ID, rule, start)
	if result != "" {
		c := &check{Meter: m, Checked: a.LastDay + 2 + kit.Date(w.r.IntN(3)), Result: result}
		if named {
			c.AlertID = a.ID
		}
		w.Checks = append(w.Checks, c)
	}
	return a
}

func (w *World) addPatch(t *Town, v Village, p kit.Point, batch int, verdict string, checkAfter int) *Patch {
	imaged := []kit.Date{0, w.Timeline.SelfStart + 2, w.Timeline.rectStart + 3, w.Timeline.accStart + 4, w.Timeline.LookStart + 2}[batch]
	w.nextPatch[batch]++
	cat := []string{"M1", "M2", "M4", "L1", "L2", "L3", "L4"}[w.r.IntN(7)]
	ct := ChangeForCat[cat]
	pa := &Patch{ID: fmt.Sprintf("WP%d-%02d-%04d", w.Cfg.Campaign.Year, batch, w.nextPatch[batch]), BatchNo: batch, Imaged: imaged,
		Town: t, Village: v.Name, Change: ct[0], Before: ct[1], After: ct[2], Verdict: verdict, Cat: cat}
	if checkAfter > 0 {
		pa.Checked = imaged + kit.Date(checkAfter)
	}
	// One or two small polygons (30–70 m across) around p.
	n := 1
	if w.r.IntN(4) == 0 {
		n = 2
	}
	var area float64
	for i := 0; i < n; i++ {
		c := p
		if i == 1 {
			c = w.near(p, 60, 90)
		}
		sides := 5 + w.r.IntN(4)
		rad := 15 + w.r.Float64()*20
		ring := make([]kit.Point, 0, sides+1)
		for k := 0; k < sides; k++ {
			ang := 2 * math.Pi * float64(k) / float64(sides)
			r := rad * (0.8 + 0.4*w.r.Float64())
			lon, lat := kit.Offset(c.Lon, c.Lat, r*math.Cos(ang), r*math.Sin(ang))
			ring = append(ring, kit.Point{Lon: kit.Round6(lon), Lat: kit.Round6(lat)})
		}
		ring = append(ring, ring[0])
		pa.Polys = append(pa.Polys, ring)
		area += RingAreaM2(ring)
	}
	pa.AreaMu = math.Round(area/666.667*100) / 100
	pa.Pt = Centroid(pa.Polys)
	w.Patches = append(w.Patches, pa)
	return pa
}

// Centroid is the planar area-weighted centroid of the polygons in degrees (what a GIS computes).
func Centroid(polys [][]kit.Point) kit.Point {
	var ax, ay, at float64
	for _, ring := range polys {
		x0, y0 := ring[0].Lon, ring[0].Lat
		var a, sx, sy float64
		for i := 0; i+1 < len(ring); i++ {
			x1, y1 := ring[i].Lon-x0, ring[i].Lat-y0
			x2, y2 := ring[i+1].Lon-x0, ring[i+1].Lat-y0
			cr := x1*y2 - x2*y1
			a += cr / 2
			sx += (x1 + x2) * cr
			sy += (y1 + y2) * cr
		}
		cx, cy := sx/(6*a)+x0, sy/(6*a)+y0
		ax += a * cx
		ay += a * cy
		at += a
	}
	return kit.Point{Lon: ax / at, Lat: ay / at}
}

func RingAreaM2(ring []kit.Point) float64 {
	lat0 := ring[0].Lat * math.Pi / 180
	kx := kit.EarthRadiusM * math.Cos(lat0) * math.Pi / 180
	ky := kit.EarthRadiusM * math.Pi / 180
	var s float64
	for i := 0; i+1 < len(ring); i++ {
		s += (ring[i].Lon*kx)*(ring[i+1].Lat*ky) - (ring[i+1].Lon*kx)*(ring[i].Lat*ky)
	}
	return math.Abs(s) / 2
}

func (w *World) addCase(t *Town, v Village, p kit.Point, hasXY bool, source, ref string, found kit.Date) *CaseRec {
	c := &CaseRec{ID: fmt.Sprintf("AJ%d-%04d", w.Cfg.Campaign.Year, len(w.Cases)+1), Source: source, Ref: ref, Town: t, Village: v.Name,
		HasXY: hasXY, Pt: p, Cat: categoryOrder[w.r.IntN(len(categoryOrder))], Found: found}
	c.Filed = found + kit.Date(1+w.r.IntN(5))
	c.Status = "已立案"
	if w.r.IntN(3) > 0 {
		c.PriceReq = c.Filed + kit.Date(1+w.r.IntN(3))
		if w.r.IntN(5) > 0 {
			done := w.Cfg.AddWorkdays(c.PriceReq.Time(), 1+w.r.IntN(3)) // some late (3 working days)
			c.PriceDone = kit.MkDate(done)
		}
	}
	if w.r.IntN(2) == 0 {
		c.Police = c.Filed + kit.Date(5+w.r.IntN(15))
		c.Status = "已移送公安"
		c.Fine = int64(1+w.r.IntN(50)) * 10000
		if w.r.IntN(2) == 0 {
			c.Proc = c.Police + kit.Date(10+w.r.IntN(15))
			c.Status = "已移送检察"
			c.Confisc = int64(1+w.r.IntN(30)) * 5000
			// Every other case sent to the procuratorate is judged 30 days later, if within the data.
			if len(w.Cases)%2 == 0 && c.Proc+30 <= w.Scale.ReadTo {
				c.Judged = c.Proc + 30
				c.Status = "已判决"
			}
		}
	} else if w.r.IntN(2) == 0 {
		c.Fine = int64(1+w.r.IntN(20)) * 5000
		c.Status = "已结案"
	}
	w.Cases = append(w.Cases, c)
	return c
}

func (w *World) addClue(t *Town, v Village, p kit.Point, source, verdict string, found kit.Date) *clue {
	c := &clue{ID: fmt.Sprintf("XS%d-%04d", w.Cfg.Campaign.Year, len(w.Clues)+1), Source: source, Town: t, Village: v.Name,
		HasXY: true, Pt: p, Cat: categoryOrder[w.r.IntN(len(categoryOrder))], Found: found, Verdict: verdict}
	w.Clues = append(w.Clues, c)
	return c
}

// detectByRef lists a problem on f whose 备注 names the violation's record.
func (w *World) detectByRef(t *Town, f *Form, v vrec) *FormRow {
	r := w.problemRow(f, v.village, v.cat)
	r.Remark = w.Names.Pick([]string{"系", "对应", "即", "核实"}) + v.ref
	if f.Extended {
		r.Cat = v.cat
	}
	return f.add(r)
}

// detectByDistance lists a problem on f with coordinates 50–250 m from p.
func (w *World) detectByDistance(t *Town, f *Form, v vrec, p kit.Point) *FormRow {
	return w.problemAt(t, f, v.village, w.near(p, 50, 250), v.cat, "", 0)
}

func (w *World) problemAt(t *Town, f *Form, v Village, p kit.Point, cat, remark string, _ int) *FormRow {
	r := w.problemRow(f, v, cat)
	r.HasXY, r.Pt = true, p
	if w.r.IntN(4) > 0 {
		r.Cat = cat
	}
	r.Remark = remark
	return f.add(r)
}

// problemRow is a problem line of form f in village v with wording of category cat.
func (w *World) problemRow(f *Form, v Village, cat string) *FormRow {
	r := &FormRow{Village: v.Name, Address: w.Address(v), Situation: w.Names.Pick(SituationText),
		Hazard: w.Hazard(cat), Measures: w.Names.Pick(MeasureText), Cadre: w.CadreOf(f.Town.Name, v.Name, w.Person()), Head: w.Person(), Problem: true}
	r.Inspected = f.Day
	if f.Level == "村级" {
		r.Inspected = f.Day - kit.Date(w.r.IntN(3))
		if r.Inspected < w.Timeline.SelfStart {
			r.Inspected = w.Timeline.SelfStart
		}
	}
	if f.deadlineCol && w.r.IntN(3) == 0 {
		r.deadline = []kit.Date{w.Timeline.rectEnd - 7, w.Timeline.accEnd}[w.r.IntN(2)]
	}
	return r
}

// fillForms adds the ordinary lines: problems that match nothing and lines with no hazard.
func (w *World) fillForms(t *Town) {
	fill := func(f *Form, n int) {
		for i := 0; i < n; i++ {
			vi := w.r.IntN(len(t.Villages))
			v := t.Villages[vi]
			if f.Level == "村级" {
				v = Village{Name: f.village, Pt: t.Villages[IndexOfVillage(t, f.village)].Pt}
			}
			if w.r.IntN(100) < 45 {
				r := w.problemRow(f, v, categoryOrder[w.r.IntN(len(categoryOrder))])
				cat := r.Cat
				_ = cat
				if f.Extended {
					r.HasXY, r.Pt = true, w.freePoint(v)
					if w.r.IntN(4) > 0 {
						r.Cat = catOfHazard(r.Hazard)
					}
				}
				f.add(r)
				continue
			}
			r := &FormRow{Village: v.Name, Address: w.Address(v), Situation: w.Names.Pick(noneSituations),
				Hazard: w.Names.Pick(noneMarkers), Measures: "/", Cadre: w.CadreOf(t.Name, v.Name, w.Person()), Head: w.Person(), Inspected: f.Day}
			if f.Extended && w.r.IntN(2) == 0 {
				r.HasXY, r.Pt = true, w.freePoint(v)
			}
			f.add(r)
		}
	}
	lo, hi := w.Scale.FillerRows[0], w.Scale.FillerRows[1]
	for _, f := range t.villageForms {
		fill(f, w.r.IntN(hi-lo+1)+lo)
	}
	fill(t.townForm, 2*(w.r.IntN(hi-lo+1)+lo))
	for _, f := range t.lateForms {
		fill(f, 1+w.r.IntN(2))
	}
	if t.spec.power || t.Idx%5 == 4 {
		// A supplementary list with ordinary lines only.
		if len(t.lateForms) == 0 {
			fill(w.lateForm(t), 2)
		}
	}
}

func catOfHazard(h string) string {
	for _, c := range categoryOrder {
		for _, s := range hazardText[c] {
			if s == h {
				return c
			}
		}
	}
	return ""
}

func IndexOfVillage(t *Town, name string) int {
	for i, v := range t.Villages {
		if v.Name == name {
			return i
		}
	}
	return 0
}

// correctedPair returns the first township form and its corrected re-submission: same township
// and date; the first version also claims a problem that the correction withdraws.
func (w *World) correctedPair(t *Town) []*Form {
	good := t.townForm
	bad := *good
	bad.ReplacedBy = good
	bad.Rows = append([]*FormRow(nil), good.Rows...)
	ref := good.suffix
	good.suffix = "（更正）"
	bad.suffix = ""
	if ref != "" {
		v := t.Villages[0]
		r := w.problemRow(&bad, v, "M4")
		r.Remark = "系" + ref
		r.Seq = len(bad.Rows) + 1
		bad.Rows = append(bad.Rows, r)
	}
	// The first version also misspells a hazard.
	for i, r := range bad.Rows {
		if r.Problem {
			c := *r
			c.Hazard = c.Hazard + "（待核）"
			bad.Rows[i] = &c
			break
		}
	}
	return []*Form{&bad, good}
}

func (w *World) planPatrols(t *Town) {
	first := w.Timeline.SelfStart.Monday()
	for wk := w.Timeline.dataFrom.Monday(); wk <= w.Scale.ReadTo; wk += 7 {
		idx := int(wk-first) / 7
		gap := false
		for _, g := range t.spec.patrolGaps {
			if g == idx {
				gap = true
			}
		}
		if gap {
			continue
		}
		n := 1 + w.r.IntN(2)
		days := []int{w.r.IntN(7), w.r.IntN(7)}
		if days[1] < days[0] {
			days[0], days[1] = days[1], days[0]
		}
		for i := 0; i < n; i++ {
			d := wk + kit.Date(days[i])
			if d > w.Scale.ReadTo {
				continue
			}
			vs := t.Villages[w.r.IntN(len(t.Villages))].Name
			if len(t.Villages) > 1 {
				vs += "、" + t.Villages[w.r.IntN(len(t.Villages))].Name
			}
			find := "未发现问题"
			if w.r.IntN(4) == 0 {
				find = w.Hazard(categoryOrder[w.r.IntN(len(categoryOrder))])
			}
			t.Patrols = append(t.Patrols, PatrolRow{Day: d, Team: t.Name + "综合行政执法队 " + w.Person() + "、" + w.Person(), Villages: vs, Findings: find})
		}
	}
}
