package county

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
func (w *World) plantArrivalCases() {
	r, names := w.r, w.Names
	w.r, w.Names = kit.NewRNG(w.Seed, 5), kit.NewRNG(w.Seed, 6)
	defer func() { w.r, w.Names = r, names }()
	asOf := AsOfDates(w.Cfg)
	firstSunday, secondSunday := ParseDay(asOf[0]), ParseDay(asOf[1])
	n := len(w.Towns)
	for rep := 0; rep < w.Scale.Repeat; rep++ {
		w.plantRecurrence(w.Towns[recurrenceTowns[rep%3]%n])
		w.plantLateForm(w.Towns[lateFormTowns[rep%3]%n], firstSunday+2, secondSunday+4)
		if t := w.Towns[lateCorrTowns[rep%3]%n]; !t.spec.corrected && t.townForm.ReplacedBy == nil && t.townForm.Extended {
			w.plantLateCorrection(t, w.Timeline.Deadline+2)
		}
	}
}

// newSiteAway is a violation site in t at least minSiteM from every other site and from every
// problem with coordinates already listed.
func (w *World) newSiteAway(t *Town) (Village, kit.Point) {
	var pts []kit.Point
	for _, f := range w.Forms {
		for _, r := range f.Rows {
			if r.HasXY {
				pts = append(pts, r.Pt)
			}
		}
	}
	for try := 0; ; try++ {
		v := t.Villages[w.r.IntN(len(t.Villages))]
		p := w.near(v.Pt, 100, 2000+float64(try)*20)
		ok := w.FarFromSites(p, MinSiteM)
		for _, q := range pts {
			if ok && kit.Haversine(p.Lon, p.Lat, q.Lon, q.Lat) < MinSiteM {
				ok = false
			}
		}
		if ok {
			w.Sites = append(w.Sites, p)
			return v, p
		}
	}
}

// plantLateForm plants a township review list dated the day before the deadline and received after
// it: it lists a true clue (by reference) and a case (by distance), which are therefore missed —
// 迟报 — yet matched for the ledger. The first line's ledger update says 已整改 five days before the
// end of rectification, in a file received after the Sunday following that end.
func (w *World) plantLateForm(t *Town, recv, rectRecv kit.Date) {
	day := w.freeFormDay(t, w.Timeline.Deadline-1)
	f := &Form{Town: t, Level: "乡镇", Kind: "复查", Day: day, Extended: true, wrapHeader: t.Idx%2 == 0,
		Filer: w.Person(), Recv: Stamp{Day: recv}}
	v, p := w.newSiteAway(t)
	cl := w.addClue(t, v, p, w.r.Pick(clueSources), "属实", w.Timeline.Deadline-6)
	r1 := w.detectByRef(t, f, vrec{village: v, ref: "线索" + cl.ID, cat: cl.Cat})
	v, p = w.newSiteAway(t)
	c := w.addCase(t, v, p, true, "巡查", "", w.Timeline.Deadline-4)
	r2 := w.detectByDistance(t, f, vrec{village: v, cat: c.Cat}, c.Pt)
	w.Forms = append(w.Forms, f)

	rectEnd := w.Timeline.rectEnd
	id1, id2 := f.ProblemID(r1), f.ProblemID(r2)
	t.Rects = append(t.Rects, RectRow{Item: id1, Status: "已整改", Day: rectEnd - 5, Verifier: w.Person(),
		Note: "已拆除，恢复原状", Sent: rectEnd - 5, late: true, Recv: rectRecv})
	w.rectify(t, &ledgerItem{ID: id2, Kind: "problem", Township: t.Name, appear: r2.Inspected, Deadline: rectEnd}, "")
	late := &weekFile{town: t, week: (rectEnd - 5).Monday(), late: true}
	w.Planted = append(w.Planted,
		ArrivalCase{Kind: "late_form", Township: t.Name, File: path.Join("inspection", f.FileName()), ReceivedOn: f.Recv.String(),
			Items: []string{cl.ID, c.ID, id1, id2}, Note: "乡镇复查表填报日期在排查截止日前，截止日后才送达：所列问题为迟报，对应的违法点位计为应排漏排"},
		ArrivalCase{Kind: "late_rectification", Township: t.Name, File: late.Path("rectification"), ReceivedOn: rectRecv.String(),
			Items: []string{id1}, Note: fmt.Sprintf("完成日期%s的整改记录%s才送达：截至%s逾期未整改，其后为按期整改", (rectEnd - 5).String(), rectRecv.String(), (rectRecv - 4).String())})
}

// freeFormDay is the latest day from d back whose township form t has not used yet.
func (w *World) freeFormDay(t *Town, d kit.Date) kit.Date {
	for ; ; d-- {
		used := false
		for _, f := range w.Forms {
			if f.Town == t && f.Level == "乡镇" && f.Day == d {
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
func (w *World) plantLateCorrection(t *Town, recv kit.Date) {
	orig := t.townForm
	corr := *orig
	corr.Rows = slices.Clone(orig.Rows)
	corr.suffix = "（更正）"
	corr.Recv = Stamp{Day: recv}
	orig.ReplacedBy = &corr

	v, p := w.newSiteAway(t)
	cl := w.addClue(t, v, p, w.r.Pick(clueSources), "属实", w.Timeline.Deadline-7)
	moved := w.detectByDistance(t, &corr, vrec{village: v, cat: cl.Cat}, cl.Pt)
	first := *moved
	first.Pt = w.near(cl.Pt, 500, 700)
	orig.Rows = append(orig.Rows, &first)
	v, p = w.newSiteAway(t)
	pa := w.addPatch(t, v, p, 1, "违法", 3)
	added := w.detectByRef(t, &corr, vrec{village: v, ref: "卫片图斑" + pa.ID, cat: pa.Cat})
	i := slices.Index(w.Forms, orig)
	w.Forms = slices.Insert(w.Forms, i+1, &corr)

	for _, r := range []*FormRow{moved, added} {
		w.rectify(t, &ledgerItem{ID: corr.ProblemID(r), Kind: "problem", Township: t.Name, appear: r.Inspected, Deadline: w.Timeline.rectEnd}, "")
	}
	w.Planted = append(w.Planted, ArrivalCase{Kind: "correction_late", Township: t.Name, File: path.Join("inspection", corr.FileName()),
		ReceivedOn: corr.Recv.String(), Items: []string{cl.ID, pa.ID, corr.ProblemID(moved), corr.ProblemID(added)},
		Note: "更正表在排查截止日后送达：以截止日时的原表判定，更正新增和改正坐标的问题为迟报"})
}

// plantRecurrence plants an illegal patch of the imagery batch after the end of rectification,
// 120–200 m from the first violation of t (same village) whose site was rectified before the
// imaging day: a new violation, recurrence_of the old one, counted in 属地新增.
func (w *World) plantRecurrence(t *Town) {
	imaged := w.Timeline.accStart + 4 // imagery batch 3
	e := w.Evaluate(w.Scale.ReadTo)
	for _, v := range e.Violations {
		pv := v.Primary()
		if pv.Township != t.Name || !pv.HasXY || v.RecurrenceOf != "" || (v.Status != "detected" && v.Status != "missed") ||
			v.Rectified == 0 || v.Rectified >= imaged {
			continue
		}
		vil := Village{Name: pv.Village}
		for _, x := range t.Villages {
			if x.Name == pv.Village {
				vil = x
			}
		}
		pa := w.addPatch(t, vil, w.near(pv.Pt, 120, 200), 3, "违法", 3)
		s := w.WeekEnd(pa.Checked)
		w.Planted = append(w.Planted, ArrivalCase{Kind: "recurrence", Township: t.Name, File: w.ImageryPath(3, s), ReceivedOn: s.String(),
			Items: []string{pa.ID, pv.ID},
			Note:  fmt.Sprintf("图斑%s（影像日期%s）距已于%s整改的点位%s不足300米：整改后属地新增", pa.ID, pa.Imaged, v.Rectified, pv.ID)})
		return
	}
}

// noteCorrectionsInTime lists the corrections that arrive by the deadline, with the lines of the
// first version they withdraw or change.
func (w *World) noteCorrectionsInTime() {
	for _, f := range w.Forms {
		c := f.ReplacedBy
		if c == nil || !c.Recv.KnownBy(w.Timeline.Deadline) {
			continue
		}
		items := []string{}
		for _, r := range f.Rows {
			if !r.Problem {
				continue
			}
			same := false
			for _, x := range c.Rows {
				if x.Seq == r.Seq && *x == *r {
					same = true
				}
			}
			if !same {
				items = append(items, f.ProblemID(r))
			}
		}
		w.Planted = append(w.Planted, ArrivalCase{Kind: "correction_in_time", Township: f.Town.Name,
			File: path.Join("inspection", c.FileName()), ReceivedOn: c.Recv.String(), Items: items,
			Note: "更正表在排查截止日前送达：撤回或改正的问题不计，以更正后的内容判定是否排查发现"})
	}
}
