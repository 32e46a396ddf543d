package synth

import (
	"fmt"
	"math"

	"landwatch/etl/synth/kit"
	"landwatch/etl/synth/power"
)

type patch struct {
	id      string
	batchNo int
	imaged  kit.Date
	checked kit.Date // 0: not checked
	town    *town
	village string
	change  string
	before  string
	after   string
	areaMu  float64
	verdict string // 合法/违法/其他/未核查
	polys   [][]kit.Point
	pt      kit.Point // area centroid of the polygons
	cat     string
}

type caseRec struct {
	id, source, ref string
	town            *town
	village         string
	hasXY           bool
	pt              kit.Point
	cat             string
	found, filed    kit.Date
	priceReq        kit.Date
	priceDone       kit.Date
	police, proc    kit.Date
	judged          kit.Date
	fine, confisc   int64
	status          string
}

type clue struct {
	id, source string
	town       *town
	village    string
	hasXY      bool
	pt         kit.Point
	cat        string
	found      kit.Date
	verdict    string // 属实/不属实/核查中
}

type check struct {
	meter   *power.Meter
	alertID string // written in 预警编号; empty for some
	checked kit.Date
	result  string   // 非法采矿/正常/其他
	recv    kit.Date // the day its weekly file arrived
}

type rectRow struct {
	item, status string
	day          kit.Date
	verifier     string
	note         string
	sent         kit.Date // the week it is reported in: its 完成日期, or when the township noted the progress
	late         bool     // sent in a file of its own that arrives late (planted)
	recv         kit.Date // the day its file arrived
}

type patrolRow struct {
	day      kit.Date
	team     string
	villages string
	findings string
	recv     kit.Date // the day its weekly file arrived
}

// form is one inspection form (排查报表) file.
type form struct {
	town        *town
	level       string   // 村级 or 乡镇
	village     string   // village forms: whose list it is
	day         kit.Date // the date on the header line
	kind        string   // 自查, 复查, 补报
	extended    bool     // extra columns 层级 排查日期 经度 纬度 问题类别 (+ 整改时限)
	deadlineCol bool
	csv         bool  // GB18030 csv instead of xlsx
	wrapHeader  bool  // "包村干部\n签字"
	replacedBy  *form // the corrected re-submission that replaces this file
	recv        stamp // when the file reached the county
	suffix      string
	rows        []*formRow
	filer       string
}

type formRow struct {
	seq       int
	village   string
	address   string
	situation string
	hazard    string
	measures  string
	cadre     string
	head      string
	remark    string
	inspected kit.Date
	hasXY     bool
	pt        kit.Point
	cat       string // written in 问题类别; may be empty on a problem
	deadline  kit.Date
	problem   bool
}

func (f *form) problemID(r *formRow) string {
	if f.level == "村级" {
		return fmt.Sprintf("%s-%s-%s-%d", f.town.name, r.village, f.day.Compact(), r.seq)
	}
	return fmt.Sprintf("%s-%s-%d", f.town.name, f.day.Compact(), r.seq)
}

func (f *form) add(r *formRow) *formRow {
	r.seq = len(f.rows) + 1
	f.rows = append(f.rows, r)
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
	village village
	pt      kit.Point
	hasXY   bool
	first   kit.Date
	cat     string
	ref     string // how a form's 备注 names it
}

// plan builds the whole scenario.
func (w *world) plan() error {
	for _, t := range w.towns {
		w.makeForms(t)
	}
	for _, t := range w.towns {
		w.planTown(t)
	}
	for _, t := range w.towns {
		w.fillForms(t)
		w.planPatrols(t)
		planted := 0
		for _, m := range w.meters {
			if m.Township == t.name {
				planted++
			}
		}
		w.addOrdinaryMeters(t, max(1, w.sc.meters/len(w.towns)-planted))
	}
	// Meter ids follow registration order; keep the registry grouped by township.
	w.sortMeters()
	for _, t := range w.towns {
		w.forms = append(w.forms, t.villageForms...)
		if t.townForm != nil {
			if t.spec.corrected {
				w.forms = append(w.forms, w.correctedPair(t)...)
			} else {
				w.forms = append(w.forms, t.townForm)
			}
		}
		w.forms = append(w.forms, t.lateForms...)
	}
	// The ledger updates follow the ledger items as of the end of the data.
	w.planRectifications(w.evaluate(w.sc.readTo))
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
func (w *world) sortMeters() {
	order := map[string]int{}
	for i, t := range w.towns {
		order[t.name] = i
	}
	ms := w.meters
	// stable insertion by township index; ids stay with their meter
	out := make([]*power.Meter, 0, len(ms))
	for i := range w.towns {
		for _, m := range ms {
			if order[m.Township] == i {
				out = append(out, m)
			}
		}
	}
	w.meters = out
}

func (w *world) makeForms(t *town) {
	for i, v := range t.villages {
		f := &form{town: t, level: "村级", village: v.name, kind: "自查", extended: true,
			day: w.tl.selfStart + kit.Date(w.r.IntN(int(w.tl.selfEnd-w.tl.selfStart)+1)), wrapHeader: (t.idx+i)%3 == 0, filer: w.person()}
		f.csv = (t.idx == 2 || t.idx == 8) && i == 0
		t.villageForms = append(t.villageForms, f)
	}
	tf := &form{town: t, level: "乡镇", kind: "复查", day: w.tl.reviewStart + kit.Date(w.r.IntN(int(w.tl.deadline-w.tl.reviewStart)+1)),
		extended: t.spec.extended, deadlineCol: t.spec.extended, wrapHeader: t.idx%2 == 1, filer: w.person()}
	t.townForm = tf
}

// lateForm returns the township's supplementary list (补报), making it on first use.
func (w *world) lateForm(t *town) *form {
	if len(t.lateForms) == 0 {
		f := &form{town: t, level: "乡镇", kind: "补报", day: w.tl.deadline + 2 + kit.Date(w.r.IntN(int(w.tl.verifEnd-w.tl.deadline-2)+1)),
			extended: t.idx%2 == 0, csv: t.idx == 1 || t.idx == 10, filer: w.person()}
		t.lateForms = append(t.lateForms, f)
	}
	return t.lateForms[0]
}

func (w *world) villageForm(t *town, v string) *form {
	for _, f := range t.villageForms {
		if f.village == v {
			return f
		}
	}
	return nil
}

// planTown plants the township's violations and the problems that find them.
func (w *world) planTown(t *town) {
	s := t.spec
	for rep := 0; rep < w.sc.repeat; rep++ {
		k := rep * 7
		for i := 0; i < s.detRef; i++ {
			v := w.dueViolation(t, k+i)
			w.detectByRef(t, t.townForm, v)
		}
		for i := 0; i < s.detDist; i++ {
			v := w.dueViolation(t, k+i+3)
			if t.townForm.extended && i%2 == 1 {
				w.detectByDistance(t, t.townForm, v, v.pt)
			} else {
				w.detectByDistance(t, w.villageForm(t, v.village.name), v, v.pt)
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
			if lf.extended {
				w.detectByDistance(t, lf, v, v.pt)
			} else {
				w.detectByRef(t, lf, v)
			}
		}
		for i := 0; i < s.notDue; i++ {
			v := w.laterViolation(t, k+i, w.tl.deadline+4, w.tl.rectStart+5, 2)
			if (i+rep)%2 == 1 {
				w.detectByRef(t, w.lateForm(t), v)
			}
		}
		for i := 0; i < s.newAfter; i++ {
			w.laterViolation(t, k+i+1, w.tl.accStart+1, w.tl.accStart+7, 3)
		}
		for i := 0; i < s.afterEnd; i++ {
			w.laterViolation(t, k+i, w.tl.lookStart+1, w.tl.lookStart+3, 4)
		}
		if s.merges {
			w.plantMerges(t)
		}
		w.plantNonViolations(t, rep)
		if t.name == w.towns[3%len(w.towns)].name && rep == 0 {
			w.plantRepeatClosedMine(t)
		}
	}
}

// dueViolation plants a violation first seen before the detection deadline, on channel k.
func (w *world) dueViolation(t *town, k int) vrec {
	chans := []string{"patch", "power", "case", "clue"}
	if t.spec.power {
		chans = []string{"power", "power", "patch"}
	}
	ch := chans[(t.idx+k)%len(chans)]
	v, p := w.newSite(t)
	switch ch {
	case "patch":
		pa := w.addPatch(t, v, p, 1, "违法", 2+w.r.IntN(7))
		return vrec{id: pa.id, kind: ch, village: v, pt: pa.pt, hasXY: true, first: pa.imaged, cat: pa.cat, ref: "卫片图斑" + pa.id}
	case "power":
		rules := []string{power.RuleNight, power.RuleClosed}
		if w.sc.readFrom+34 <= w.tl.reviewStart {
			rules = append(rules, power.RuleSurge)
		}
		rule := rules[(t.idx+k)%len(rules)]
		start := w.tl.selfStart + kit.Date(w.r.IntN(4))
		if rule == power.RuleSurge {
			start = w.tl.reviewStart + kit.Date(w.r.IntN(4))
		}
		a := w.powerSite(t, v, p, rule, start, "非法采矿", k%4 != 3)
		return vrec{id: a.ID, kind: ch, village: v, pt: kit.Point{Lon: a.Meter.Lon, Lat: a.Meter.Lat}, hasXY: true, first: a.FirstDay, cat: catForRule(rule, a.Meter.Kind), ref: "用电预警" + a.ID}
	case "case":
		c := w.addCase(t, v, p, true, w.r.Pick([]string{"巡查", "部门移送", "上级督察", "举报"}), "", w.tl.dueFound(w.r))
		return vrec{id: c.id, kind: ch, village: v, pt: c.pt, hasXY: true, first: c.found, cat: c.cat, ref: "案件" + c.id}
	default:
		c := w.addClue(t, v, p, w.r.Pick(clueSources), "属实", w.tl.dueFound(w.r))
		return vrec{id: c.id, kind: ch, village: v, pt: c.pt, hasXY: true, first: c.found, cat: c.cat, ref: "线索" + c.id}
	}
}

var clueSources = []string{"媒体曝光", "上级督察", "领导批办", "日常监管"}

// laterViolation plants a violation first seen between from and to, imaged in batch.
func (w *world) laterViolation(t *town, k int, from, to kit.Date, batch int) vrec {
	chans := []string{"patch", "case", "clue", "power"}
	ch := chans[(t.idx+k)%len(chans)]
	v, p := w.newSite(t)
	day := from + kit.Date(w.r.IntN(int(to-from)+1))
	switch ch {
	case "patch":
		pa := w.addPatch(t, v, p, batch, "违法", 2+w.r.IntN(3))
		return vrec{id: pa.id, kind: ch, village: v, pt: pa.pt, hasXY: true, first: pa.imaged, cat: pa.cat, ref: "卫片图斑" + pa.id}
	case "power":
		if batch == 4 { // no readings to show it yet: a case instead
			c := w.addCase(t, v, p, true, "用电", "", day)
			return vrec{id: c.id, kind: "case", village: v, pt: c.pt, hasXY: true, first: c.found, cat: c.cat, ref: "案件" + c.id}
		}
		rule := power.RuleSurge
		if batch == 2 {
			rule = power.RuleClosed
		}
		a := w.powerSite(t, v, p, rule, from, "非法采矿", true)
		return vrec{id: a.ID, kind: ch, village: v, pt: kit.Point{Lon: a.Meter.Lon, Lat: a.Meter.Lat}, hasXY: true, first: a.FirstDay, cat: catForRule(rule, a.Meter.Kind), ref: "用电预警" + a.ID}
	case "case":
		c := w.addCase(t, v, p, true, w.r.Pick([]string{"巡查", "举报", "部门移送"}), "", day)
		return vrec{id: c.id, kind: ch, village: v, pt: c.pt, hasXY: true, first: c.found, cat: c.cat, ref: "案件" + c.id}
	default:
		c := w.addClue(t, v, p, w.r.Pick(clueSources), "属实", day)
		return vrec{id: c.id, kind: ch, village: v, pt: c.pt, hasXY: true, first: c.found, cat: c.cat, ref: "线索" + c.id}
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
func (w *world) plantMerges(t *town) {
	// a) a case whose 来源编号 is the patch id; the township names the case.
	v, p := w.newSite(t)
	pa := w.addPatch(t, v, p, 1, "违法", 3)
	c := w.addCase(t, v, w.near(pa.pt, 40, 90), true, "卫片", pa.id, pa.checked+2)
	c.cat = pa.cat
	w.detectByRef(t, t.townForm, vrec{village: v, ref: "案件" + c.id, cat: pa.cat})

	// b) a clue 150 m from a patch in the same village; the township lists a problem 200 m beyond
	// the clue (350 m from the patch): it matches through the clue.
	v, p = w.newSite(t)
	pa = w.addPatch(t, v, p, 1, "违法", 4)
	ang := w.r.Float64() * 2 * math.Pi
	clon, clat := kit.Offset(pa.pt.Lon, pa.pt.Lat, 150*math.Cos(ang), 150*math.Sin(ang))
	cl := w.addClue(t, v, kit.Point{Lon: kit.Round6(clon), Lat: kit.Round6(clat)}, "日常监管", "属实", pa.imaged+2)
	cl.cat = pa.cat
	plon, plat := kit.Offset(pa.pt.Lon, pa.pt.Lat, 350*math.Cos(ang), 350*math.Sin(ang))
	w.problemAt(t, w.villageForm(t, v.name), v, kit.Point{Lon: kit.Round6(plon), Lat: kit.Round6(plat)}, pa.cat, "", 0)

	// c) a clue verified true and the case opened on it (no coordinates on the case).
	v, p = w.newSite(t)
	cl = w.addClue(t, v, p, "媒体曝光", "属实", w.tl.selfStart+3+kit.Date(w.r.IntN(4)))
	c = w.addCase(t, v, p, false, "媒体", cl.id, cl.found+3)
	c.cat = cl.cat
	w.detectByRef(t, t.townForm, vrec{village: v, ref: "线索" + cl.id, cat: cl.cat})

	// d) a power alert checked 非法采矿 and the case opened on it.
	v, p = w.newSite(t)
	a := w.powerSite(t, v, p, power.RuleNight, w.tl.selfStart+1, "非法采矿", true)
	chk := w.checks[len(w.checks)-1]
	c = w.addCase(t, v, w.near(p, 20, 50), true, "用电", a.ID, chk.checked+1)
	c.cat = "M3"
	w.detectByDistance(t, w.villageForm(t, v.name), vrec{village: v, cat: "M3"}, kit.Point{Lon: a.Meter.Lon, Lat: a.Meter.Lat})
}

// plantNonViolations plants records that are not violations: lawful and unchecked patches, clues
// found untrue or still being checked, power alerts found normal or never checked, idle closed mines.
func (w *world) plantNonViolations(t *town, rep int) {
	v := t.villages[(rep+1)%len(t.villages)]
	switch (t.idx + rep) % 4 {
	case 0:
		w.addPatch(t, v, w.near(v.pt, 300, 1500), 1, "合法", 5)
		w.addClue(t, v, w.near(v.pt, 300, 1500), w.r.Pick(clueSources), "不属实", w.tl.selfStart+5+kit.Date(w.r.IntN(10)))
	case 1:
		w.addPatch(t, v, w.near(v.pt, 300, 1500), 2, "未核查", 0)
		w.addClue(t, v, w.near(v.pt, 300, 1500), w.r.Pick(clueSources), "核查中", w.tl.deadline+6+kit.Date(w.r.IntN(10)))
		w.powerSite(t, v, w.near(v.pt, 300, 1500), power.RuleNight, w.tl.deadline+6, "正常", true)
	case 2:
		w.addPatch(t, v, w.near(v.pt, 300, 1500), 3, "合法", 3)
		w.powerSite(t, v, w.near(v.pt, 300, 1500), power.RuleClosed, w.tl.rectStart+9, "", false)
		w.addMeter(t, v, w.near(v.pt, 300, 1500), power.KindClosedMine)
	case 3:
		w.addClue(t, v, w.near(v.pt, 300, 1500), w.r.Pick(clueSources), "不属实", w.tl.rectStart+8+kit.Date(w.r.IntN(10)))
		w.powerSite(t, v, w.near(v.pt, 300, 1500), power.RuleSurge, w.tl.rectStart+11, "其他", false)
	}
}

// plantRepeatClosedMine plants a closed mine stolen from twice: the first alert is named by its
// check; the second check names no alert and applies to the meter's latest alert.
func (w *world) plantRepeatClosedMine(t *town) {
	v, p := w.newSite(t)
	m := w.addMeter(t, v, p, power.KindClosedMine)
	m.Anomalies = append(m.Anomalies,
		power.Anomaly{Rule: power.RuleClosed, Start: w.tl.deadline + 6, Days: []int{0, 1, 3}},
		power.Anomaly{Rule: power.RuleClosed, Start: w.tl.accStart + 2, Days: []int{0, 1, 2, 5, 6}})
	first := power.AlertID(m.ID, power.RuleClosed, w.tl.deadline+6)
	w.checks = append(w.checks,
		&check{meter: m, alertID: first, checked: w.tl.deadline + 13, result: "正常"},
		&check{meter: m, checked: w.tl.accStart + 11, result: "非法采矿"})
}

// powerSite plants a meter with an anomaly of rule from start, and a field check with result
// (none when result is empty). It returns the alert the pattern raises.
func (w *world) powerSite(t *town, v village, p kit.Point, rule string, start kit.Date, result string, named bool) power.Alert {
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
		c := &check{meter: m, checked: a.LastDay + 2 + kit.Date(w.r.IntN(3)), result: result}
		if named {
			c.alertID = a.ID
		}
		w.checks = append(w.checks, c)
	}
	return a
}

func (w *world) addPatch(t *town, v village, p kit.Point, batch int, verdict string, checkAfter int) *patch {
	imaged := []kit.Date{0, w.tl.selfStart + 2, w.tl.rectStart + 3, w.tl.accStart + 4, w.tl.lookStart + 2}[batch]
	w.nextPatch[batch]++
	cat := []string{"M1", "M2", "M4", "L1", "L2", "L3", "L4"}[w.r.IntN(7)]
	ct := changeForCat[cat]
	pa := &patch{id: fmt.Sprintf("WP%d-%02d-%04d", w.cfg.Campaign.Year, batch, w.nextPatch[batch]), batchNo: batch, imaged: imaged,
		town: t, village: v.name, change: ct[0], before: ct[1], after: ct[2], verdict: verdict, cat: cat}
	if checkAfter > 0 {
		pa.checked = imaged + kit.Date(checkAfter)
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
		pa.polys = append(pa.polys, ring)
		area += ringAreaM2(ring)
	}
	pa.areaMu = math.Round(area/666.667*100) / 100
	pa.pt = centroid(pa.polys)
	w.patches = append(w.patches, pa)
	return pa
}

// centroid is the planar area-weighted centroid of the polygons in degrees (what a GIS computes).
func centroid(polys [][]kit.Point) kit.Point {
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

func ringAreaM2(ring []kit.Point) float64 {
	lat0 := ring[0].Lat * math.Pi / 180
	kx := kit.EarthRadiusM * math.Cos(lat0) * math.Pi / 180
	ky := kit.EarthRadiusM * math.Pi / 180
	var s float64
	for i := 0; i+1 < len(ring); i++ {
		s += (ring[i].Lon*kx)*(ring[i+1].Lat*ky) - (ring[i+1].Lon*kx)*(ring[i].Lat*ky)
	}
	return math.Abs(s) / 2
}

func (w *world) addCase(t *town, v village, p kit.Point, hasXY bool, source, ref string, found kit.Date) *caseRec {
	c := &caseRec{id: fmt.Sprintf("AJ%d-%04d", w.cfg.Campaign.Year, len(w.cases)+1), source: source, ref: ref, town: t, village: v.name,
		hasXY: hasXY, pt: p, cat: categoryOrder[w.r.IntN(len(categoryOrder))], found: found}
	c.filed = found + kit.Date(1+w.r.IntN(5))
	c.status = "已立案"
	if w.r.IntN(3) > 0 {
		c.priceReq = c.filed + kit.Date(1+w.r.IntN(3))
		if w.r.IntN(5) > 0 {
			done := w.cfg.AddWorkdays(c.priceReq.Time(), 1+w.r.IntN(3)) // some late (3 working days)
			c.priceDone = kit.MkDate(done)
		}
	}
	if w.r.IntN(2) == 0 {
		c.police = c.filed + kit.Date(5+w.r.IntN(15))
		c.status = "已移送公安"
		c.fine = int64(1+w.r.IntN(50)) * 10000
		if w.r.IntN(2) == 0 {
			c.proc = c.police + kit.Date(10+w.r.IntN(15))
			c.status = "已移送检察"
			c.confisc = int64(1+w.r.IntN(30)) * 5000
			// Every other case sent to the procuratorate is judged 30 days later, if within the data.
			if len(w.cases)%2 == 0 && c.proc+30 <= w.sc.readTo {
				c.judged = c.proc + 30
				c.status = "已判决"
			}
		}
	} else if w.r.IntN(2) == 0 {
		c.fine = int64(1+w.r.IntN(20)) * 5000
		c.status = "已结案"
	}
	w.cases = append(w.cases, c)
	return c
}

func (w *world) addClue(t *town, v village, p kit.Point, source, verdict string, found kit.Date) *clue {
	c := &clue{id: fmt.Sprintf("XS%d-%04d", w.cfg.Campaign.Year, len(w.clues)+1), source: source, town: t, village: v.name,
		hasXY: true, pt: p, cat: categoryOrder[w.r.IntN(len(categoryOrder))], found: found, verdict: verdict}
	w.clues = append(w.clues, c)
	return c
}

// detectByRef lists a problem on f whose 备注 names the violation's record.
func (w *world) detectByRef(t *town, f *form, v vrec) *formRow {
	r := w.problemRow(f, v.village, v.cat)
	r.remark = w.names.Pick([]string{"系", "对应", "即", "核实"}) + v.ref
	if f.extended {
		r.cat = v.cat
	}
	return f.add(r)
}

// detectByDistance lists a problem on f with coordinates 50–250 m from p.
func (w *world) detectByDistance(t *town, f *form, v vrec, p kit.Point) *formRow {
	return w.problemAt(t, f, v.village, w.near(p, 50, 250), v.cat, "", 0)
}

func (w *world) problemAt(t *town, f *form, v village, p kit.Point, cat, remark string, _ int) *formRow {
	r := w.problemRow(f, v, cat)
	r.hasXY, r.pt = true, p
	if w.r.IntN(4) > 0 {
		r.cat = cat
	}
	r.remark = remark
	return f.add(r)
}

// problemRow is a problem line of form f in village v with wording of category cat.
func (w *world) problemRow(f *form, v village, cat string) *formRow {
	r := &formRow{village: v.name, address: w.address(v), situation: w.names.Pick(situationText),
		hazard: w.hazard(cat), measures: w.names.Pick(measureText), cadre: w.cadreOf(f.town.name, v.name, w.person()), head: w.person(), problem: true}
	r.inspected = f.day
	if f.level == "村级" {
		r.inspected = f.day - kit.Date(w.r.IntN(3))
		if r.inspected < w.tl.selfStart {
			r.inspected = w.tl.selfStart
		}
	}
	if f.deadlineCol && w.r.IntN(3) == 0 {
		r.deadline = []kit.Date{w.tl.rectEnd - 7, w.tl.accEnd}[w.r.IntN(2)]
	}
	return r
}

// fillForms adds the ordinary lines: problems that match nothing and lines with no hazard.
func (w *world) fillForms(t *town) {
	fill := func(f *form, n int) {
		for i := 0; i < n; i++ {
			vi := w.r.IntN(len(t.villages))
			v := t.villages[vi]
			if f.level == "村级" {
				v = village{name: f.village, pt: t.villages[indexOfVillage(t, f.village)].pt}
			}
			if w.r.IntN(100) < 45 {
				r := w.problemRow(f, v, categoryOrder[w.r.IntN(len(categoryOrder))])
				cat := r.cat
				_ = cat
				if f.extended {
					r.hasXY, r.pt = true, w.freePoint(v)
					if w.r.IntN(4) > 0 {
						r.cat = catOfHazard(r.hazard)
					}
				}
				f.add(r)
				continue
			}
			r := &formRow{village: v.name, address: w.address(v), situation: w.names.Pick(noneSituations),
				hazard: w.names.Pick(noneMarkers), measures: "/", cadre: w.cadreOf(t.name, v.name, w.person()), head: w.person(), inspected: f.day}
			if f.extended && w.r.IntN(2) == 0 {
				r.hasXY, r.pt = true, w.freePoint(v)
			}
			f.add(r)
		}
	}
	lo, hi := w.sc.fillerRows[0], w.sc.fillerRows[1]
	for _, f := range t.villageForms {
		fill(f, w.r.IntN(hi-lo+1)+lo)
	}
	fill(t.townForm, 2*(w.r.IntN(hi-lo+1)+lo))
	for _, f := range t.lateForms {
		fill(f, 1+w.r.IntN(2))
	}
	if t.spec.power || t.idx%5 == 4 {
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

func indexOfVillage(t *town, name string) int {
	for i, v := range t.villages {
		if v.name == name {
			return i
		}
	}
	return 0
}

// correctedPair returns the first township form and its corrected re-submission: same township
// and date; the first version also claims a problem that the correction withdraws.
func (w *world) correctedPair(t *town) []*form {
	good := t.townForm
	bad := *good
	bad.replacedBy = good
	bad.rows = append([]*formRow(nil), good.rows...)
	ref := good.suffix
	good.suffix = "（更正）"
	bad.suffix = ""
	if ref != "" {
		v := t.villages[0]
		r := w.problemRow(&bad, v, "M4")
		r.remark = "系" + ref
		r.seq = len(bad.rows) + 1
		bad.rows = append(bad.rows, r)
	}
	// The first version also misspells a hazard.
	for i, r := range bad.rows {
		if r.problem {
			c := *r
			c.hazard = c.hazard + "（待核）"
			bad.rows[i] = &c
			break
		}
	}
	return []*form{&bad, good}
}

func (w *world) planPatrols(t *town) {
	first := w.tl.selfStart.Monday()
	for wk := w.tl.dataFrom.Monday(); wk <= w.sc.readTo; wk += 7 {
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
			if d > w.sc.readTo {
				continue
			}
			vs := t.villages[w.r.IntN(len(t.villages))].name
			if len(t.villages) > 1 {
				vs += "、" + t.villages[w.r.IntN(len(t.villages))].name
			}
			find := "未发现问题"
			if w.r.IntN(4) == 0 {
				find = w.hazard(categoryOrder[w.r.IntN(len(categoryOrder))])
			}
			t.patrols = append(t.patrols, patrolRow{day: d, team: t.name + "综合行政执法队 " + w.person() + "、" + w.person(), villages: vs, findings: find})
		}
	}
}
