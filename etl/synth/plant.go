package synth

import (
	"fmt"
	"path"
	"slices"

	"landwatch/etl/synth/kit"
)

// Townships (by index in the configuration, one per repetition of the scenario) where the arrival
// cases are planted: a late township list with a late ledger update, a correction received after
// the deadline (an extended form), a recurrence.
var (
	lateFormTowns   = []int{1, 4, 10}
	lateCorrTowns   = []int{2, 7, 6}
	recurrenceTowns = []int{6, 3, 8}
)

// plantArrivalCases plants, once per repetition, the cases of queries/README.md "As known then"
// and "Recurrence". It runs after the rest of the scenario, on streams of its own, so that it
// changes nothing else.
func (w *world) plantArrivalCases() {
	r, names := w.r, w.names
	w.r, w.names = kit.NewRNG(w.seed, 5), kit.NewRNG(w.seed, 6)
	defer func() { w.r, w.names = r, names }()
	asOf := AsOfDates(w.cfg)
	firstSunday, secondSunday := parseDay(asOf[0]), parseDay(asOf[1])
	n := len(w.towns)
	for rep := 0; rep < w.sc.repeat; rep++ {
		w.plantRecurrence(w.towns[recurrenceTowns[rep%3]%n])
		w.plantLateForm(w.towns[lateFormTowns[rep%3]%n], firstSunday+2, secondSunday+4)
		if t := w.towns[lateCorrTowns[rep%3]%n]; !t.spec.corrected && t.townForm.replacedBy == nil && t.townForm.extended {
			w.plantLateCorrection(t, w.tl.deadline+2)
		}
	}
}

// newSiteAway is a violation site in t at least minSiteM from every other site and from every
// problem with coordinates already listed.
func (w *world) newSiteAway(t *town) (village, kit.Point) {
	var pts []kit.Point
	for _, f := range w.forms {
		for _, r := range f.rows {
			if r.hasXY {
				pts = append(pts, r.pt)
			}
		}
	}
	for try := 0; ; try++ {
		v := t.villages[w.r.IntN(len(t.villages))]
		p := w.near(v.pt, 100, 2000+float64(try)*20)
		ok := w.farFromSites(p, minSiteM)
		for _, q := range pts {
			if ok && kit.Haversine(p.Lon, p.Lat, q.Lon, q.Lat) < minSiteM {
				ok = false
			}
		}
		if ok {
			w.sites = append(w.sites, p)
			return v, p
		}
	}
}

// plantLateForm plants a township review list dated the day before the deadline and received after
// it: it lists a true clue (by reference) and a case (by distance), which are therefore missed —
// 迟报 — yet matched for the ledger. The first line's ledger update says 已整改 five days before the
// end of rectification, in a file received after the Sunday following that end.
func (w *world) plantLateForm(t *town, recv, rectRecv kit.Date) {
	day := w.freeFormDay(t, w.tl.deadline-1)
	f := &form{town: t, level: "乡镇", kind: "复查", day: day, extended: true, wrapHeader: t.idx%2 == 0,
		filer: w.person(), recv: stamp{day: recv}}
	v, p := w.newSiteAway(t)
	cl := w.addClue(t, v, p, w.r.Pick(clueSources), "属实", w.tl.deadline-6)
	r1 := w.detectByRef(t, f, vrec{village: v, ref: "线索" + cl.id, cat: cl.cat})
	v, p = w.newSiteAway(t)
	c := w.addCase(t, v, p, true, "巡查", "", w.tl.deadline-4)
	r2 := w.detectByDistance(t, f, vrec{village: v, cat: c.cat}, c.pt)
	w.forms = append(w.forms, f)

	rectEnd := w.tl.rectEnd
	id1, id2 := f.problemID(r1), f.problemID(r2)
	t.rects = append(t.rects, rectRow{item: id1, status: "已整改", day: rectEnd - 5, verifier: w.person(),
		note: "已拆除，恢复原状", sent: rectEnd - 5, late: true, recv: rectRecv})
	w.rectify(t, &ledgerItem{id: id2, kind: "problem", township: t.name, appear: r2.inspected, deadline: rectEnd}, "")
	late := &weekFile{town: t, week: (rectEnd - 5).Monday(), late: true}
	w.planted = append(w.planted,
		ArrivalCase{Kind: "late_form", Township: t.name, File: path.Join("inspection", f.fileName()), ReceivedOn: f.recv.String(),
			Items: []string{cl.id, c.id, id1, id2}, Note: "乡镇复查表填报日期在排查截止日前，截止日后才送达：所列问题为迟报，对应的违法点位计为应排漏排"},
		ArrivalCase{Kind: "late_rectification", Township: t.name, File: late.path("rectification"), ReceivedOn: rectRecv.String(),
			Items: []string{id1}, Note: fmt.Sprintf("完成日期%s的整改记录%s才送达：截至%s逾期未整改，其后为按期整改", (rectEnd - 5).String(), rectRecv.String(), (rectRecv - 4).String())})
}

// freeFormDay is the latest day from d back whose township form t has not used yet.
func (w *world) freeFormDay(t *town, d kit.Date) kit.Date {
	for ; ; d-- {
		used := false
		for _, f := range w.forms {
			if f.town == t && f.level == "乡镇" && f.day == d {
				used = true
			}
		}
		if !used {
			return d
		}
	}
}

// plantLateCorrection gives the township's review form a correction received after the deadline.
// The correction adds a line naming a true patch, and moves a line that the first version put 500–700
// m from a true clue to within 200 m of it. Detection uses the first version (both are missed, 迟报);
// from its arrival the correction's lines are the problems, matched for the ledger.
func (w *world) plantLateCorrection(t *town, recv kit.Date) {
	orig := t.townForm
	corr := *orig
	corr.rows = slices.Clone(orig.rows)
	corr.suffix = "（更正）"
	corr.recv = stamp{day: recv}
	orig.replacedBy = &corr

	v, p := w.newSiteAway(t)
	cl := w.addClue(t, v, p, w.r.Pick(clueSources), "属实", w.tl.deadline-7)
	moved := w.detectByDistance(t, &corr, vrec{village: v, cat: cl.cat}, cl.pt)
	first := *moved
	first.pt = w.near(cl.pt, 500, 700)
	orig.rows = append(orig.rows, &first)
	v, p = w.newSiteAway(t)
	pa := w.addPatch(t, v, p, 1, "违法", 3)
	added := w.detectByRef(t, &corr, vrec{village: v, ref: "卫片图斑" + pa.id, cat: pa.cat})
	i := slices.Index(w.forms, orig)
	w.forms = slices.Insert(w.forms, i+1, &corr)

	for _, r := range []*formRow{moved, added} {
		w.rectify(t, &ledgerItem{id: corr.problemID(r), kind: "problem", township: t.name, appear: r.inspected, deadline: w.tl.rectEnd}, "")
	}
	w.planted = append(w.planted, ArrivalCase{Kind: "correction_late", Township: t.name, File: path.Join("inspection", corr.fileName()),
		ReceivedOn: corr.recv.String(), Items: []string{cl.id, pa.id, corr.problemID(moved), corr.problemID(added)},
		Note: "更正表在排查截止日后送达：以截止日时的原表判定，更正新增和改正坐标的问题为迟报"})
}

// plantRecurrence plants an illegal patch of the imagery batch after the end of rectification,
// 120–200 m from the first violation of t (same village) whose site was rectified before the
// imaging day: a new violation, recurrence_of the old one, counted in 属地新增.
func (w *world) plantRecurrence(t *town) {
	imaged := w.tl.accStart + 4 // imagery batch 3
	e := w.evaluate(w.sc.readTo)
	for _, v := range e.violations {
		pv := v.primary()
		if pv.township != t.name || !pv.hasXY || v.recurrenceOf != "" || (v.status != "detected" && v.status != "missed") ||
			v.rectified == 0 || v.rectified >= imaged {
			continue
		}
		vil := village{name: pv.village}
		for _, x := range t.villages {
			if x.name == pv.village {
				vil = x
			}
		}
		pa := w.addPatch(t, vil, w.near(pv.pt, 120, 200), 3, "违法", 3)
		s := w.weekEnd(pa.checked)
		w.planted = append(w.planted, ArrivalCase{Kind: "recurrence", Township: t.name, File: w.imageryPath(3, s), ReceivedOn: s.String(),
			Items: []string{pa.id, pv.id},
			Note:  fmt.Sprintf("图斑%s（影像日期%s）距已于%s整改的点位%s不足300米：整改后属地新增", pa.id, pa.imaged, v.rectified, pv.id)})
		return
	}
}

// noteCorrectionsInTime lists the corrections that arrive by the deadline, with the lines of the
// first version they withdraw or change.
func (w *world) noteCorrectionsInTime() {
	for _, f := range w.forms {
		c := f.replacedBy
		if c == nil || !c.recv.knownBy(w.tl.deadline) {
			continue
		}
		items := []string{}
		for _, r := range f.rows {
			if !r.problem {
				continue
			}
			same := false
			for _, x := range c.rows {
				if x.seq == r.seq && *x == *r {
					same = true
				}
			}
			if !same {
				items = append(items, f.problemID(r))
			}
		}
		w.planted = append(w.planted, ArrivalCase{Kind: "correction_in_time", Township: f.town.name,
			File: path.Join("inspection", c.fileName()), ReceivedOn: c.recv.String(), Items: items,
			Note: "更正表在排查截止日前送达：撤回或改正的问题不计，以更正后的内容判定是否排查发现"})
	}
}
