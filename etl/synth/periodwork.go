package synth

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"

	"landwatch/campaign"
	"landwatch/etl/synth/county"
	"landwatch/etl/synth/kit"
)

// The first 常态化 period's own findings, so that a run as of its end shows a county at work (every
// date inside the period; truth.json "periods" states the figures as of its end):
//
//	imagery/卫片图斑-{year}第1批-{day}.geojson   the period's imaging batch, a month into the period:
//	                                         every patch 未核查 in the export of its week, with its
//	                                         verdict nine days later
//	cases/案件台账-{year}-{day}.xlsx           weekly cumulative exports of the period's cases
//	case-stages/{unit}-办案环节-{day}.csv        the units' own stage entries of those cases
//	inspection/{乡镇}-常态化排查-{date}.xlsx     every township's form of the period: three villages
//	                                         with nothing found, and its lines of the period's findings;
//	                                         five days before the detection deadline, received that
//	                                         day, but for the townships that send it five days after
//	rectification/{乡镇}-整改台账-{days}.xlsx        the township's ledger updates of the period's
//	                                         items, received that Sunday
//	collections/罚没款收缴-{day}.csv             the finance bureau's receipts of the period's fines
//	chain/责任分解表-{期别}.xlsx                  the period's 责任分解表 (its rows' 期别 the period's name),
//	                                         a week after the detection deadline: every item of the
//	                                         period's ledger then, assigned by duty
//	                                         (county.PlanPeriodDuties); the campaign's table stays in force
//
// The townships take turns by their index (mod 6): 0 lists an illegal patch by its id and rectifies
// it by the end of the period; 1 lists an illegal patch by a line 80–200 m away and is still at work
// (整改中); 2 misses an illegal patch, which 自然资源 files as a case (价格认定 by 发改, 处罚决定,
// 执行完毕, 结案; the finance bureau collects the fine — but every second such case pays only half,
// 21 days after the decision, and stays open with the rest owed) while the township rectifies the
// site; 3 sends
// its form late, naming an illegal patch imaged 120–200 m from one of its violations rectified in the
// campaign (a recurrence, missed: 补报) — a township with no such violation gets a dumping patch
// instead; 4 lists a case its patrol found by a line near it, a case that goes the whole criminal
// way within the period (公安 立案侦查, 移送审查起诉, 检察院 受理 and 提起公诉, 法院 受理 and 判决 with
// a term and a court fine, the confiscation collected, and the court fine too but for every second
// such case, where it is still owed at the period's end) and is rectified; 5 has a
// lawful patch and one never checked. Sites lie 1.2 km from every other violation site and 600 m
// from every problem line with coordinates, in a village the register gives a 监管网格员 where the
// township has one. All of it comes from a random stream of its own after everything else is planned, so the
// campaign's files and figures stay as they were.

// periodStream is the random stream of the period's findings.
const periodStream = 23101

// planPeriodWork plans the period's findings (see the top of this file).
func (w *world) planPeriodWork() {
	spans := w.periodSpans()
	if len(spans) == 0 {
		return
	}
	sp := spans[0]
	dl, rd, _ := w.RoundOf(sp.Start)
	pw := &county.PeriodWork{Span: sp, DetectBy: dl, RectifyBy: rd, Year: sp.Start.Time().Year()}
	w.Per = pw
	r := kit.NewRNG(w.Seed, periodStream)
	names := w.Names // the wording from a stream of the period's own
	w.Names = kit.NewRNG(w.Seed, periodStream+1)
	defer func() { w.Names = names }()
	base := w.Evaluate(w.Scale.ReadTo)
	// villages with a 监管网格员 in the register (those with a site under supervision, and more)
	supervised := map[[2]string]bool{}
	if n := len(w.Chain.Registers); n > 0 {
		for _, g := range w.Chain.Registers[n-1].Rows {
			if g.Typ == "监管网格员" {
				supervised[[2]string{g.Township, g.Village}] = true
			}
		}
	}
	var points []kit.Point // problem lines with coordinates
	for _, p := range w.allProblems() {
		if p.HasXY {
			points = append(points, p.Pt)
		}
	}
	site := func(t *county.Town) (county.Village, kit.Point) {
		var vs []county.Village
		for _, v := range t.Villages {
			if supervised[[2]string{t.Name, v.Name}] {
				vs = append(vs, v)
			}
		}
		if len(vs) == 0 {
			vs = t.Villages
		}
		for try := 0; ; try++ {
			v := vs[r.IntN(len(vs))]
			p := w.nearBy(r, v.Pt, 300, 1800+float64(try)*20)
			if w.FarFromSites(p, county.MinSiteM) && !slices.ContainsFunc(points, func(q kit.Point) bool { return kit.Haversine(p.Lon, p.Lat, q.Lon, q.Lat) < 600 }) {
				w.Sites = append(w.Sites, p)
				return v, p
			}
		}
	}
	imaged := sp.Start + 30
	checked := imaged + 9
	nPatch := 0
	addPatch := func(t *county.Town, v county.Village, p kit.Point, cat, verdict string) *county.Patch {
		nPatch++
		ct := county.ChangeForCat[cat]
		pa := &county.Patch{ID: fmt.Sprintf("WP%d-01-%04d", pw.Year, nPatch), BatchNo: 1, Imaged: imaged, Town: t, Village: v.Name,
			Change: ct[0], Before: ct[1], After: ct[2], Verdict: verdict, Cat: cat}
		if verdict != "未核查" {
			pa.Checked = checked
		}
		ring := make([]kit.Point, 0, 8)
		sides, rad := 5+r.IntN(3), 18+r.Float64()*15
		for k := 0; k < sides; k++ {
			ang := 2 * math.Pi * float64(k) / float64(sides)
			lon, lat := kit.Offset(p.Lon, p.Lat, rad*(0.8+0.4*r.Float64())*math.Cos(ang), rad*(0.8+0.4*r.Float64())*math.Sin(ang))
			ring = append(ring, kit.Point{Lon: kit.Round6(lon), Lat: kit.Round6(lat)})
		}
		ring = append(ring, ring[0])
		pa.Polys = [][]kit.Point{ring}
		pa.AreaMu = math.Round(county.RingAreaM2(ring)/666.667*100) / 100
		pa.Pt = county.Centroid(pa.Polys)
		pw.Patches = append(pw.Patches, pa)
		return pa
	}
	addCase := func(t *county.Town, v county.Village, p kit.Point, source, ref, cat string, found kit.Date) *county.CaseRec {
		c := &county.CaseRec{ID: fmt.Sprintf("AJ%d-%04d", pw.Year, len(pw.Cases)+1), Source: source, Ref: ref, Town: t, Village: v.Name,
			HasXY: true, Pt: p, Cat: cat, Found: found, Filed: found + 2, Status: "已立案"}
		c.PriceReq = c.Filed + 1
		c.PriceDone = w.AddWorkdays(c.PriceReq, 2)
		pw.Cases = append(pw.Cases, c)
		return c
	}
	rect := func(t *county.Town, item, status string, day, sent kit.Date, note string) {
		pw.Rects = append(pw.Rects, county.PeriodRect{Town: t, RectRow: county.RectRow{Item: item, Status: status, Day: day, Verifier: w.Person(),
			Note: note, Sent: sent, Recv: min(sent.Sunday(), sp.End)}})
	}
	stage := func(c *county.CaseRec, code string, on kit.Date, doc string, fine int64, term int) {
		if _, ok := w.Cfg.StageByCode(code); !ok || on == 0 || on > sp.End {
			return
		}
		pw.Stages = append(pw.Stages, county.PeriodStage{ChainEntry: county.ChainEntry{C: c, Stage: code, On: on, Doc: doc, Fine: fine, UnitSN: w.Cfg.StageUnit(code)}, Term: term})
	}
	nDoc, nFined, nJudged := 0, 0, 0
	for _, t := range w.Towns {
		f := &county.Form{Town: t, Level: "乡镇", Day: dl - 5, Kind: "常态化", Extended: true, Filer: w.Leader(t, 0)}
		if t.Idx%6 == 3 {
			f.Day = dl + 5
		}
		f.Recv = county.Stamp{Day: f.Day}
		for j, v := range t.Villages {
			if j >= 3 {
				break
			}
			f.Rows = append(f.Rows, &county.FormRow{Seq: j + 1, Village: v.Name, Address: v.Name + "全村", Situation: "常态化巡查，未发现违法违规行为",
				Hazard: "无", Cadre: w.CadreOf(t.Name, v.Name, w.Leader(t, 2+j)), Head: w.Leader(t, 5+j), Inspected: f.Day - kit.Date(3-j)})
		}
		line := func(v county.Village, cat, remark string, hasXY bool, p kit.Point) *county.FormRow {
			row := &county.FormRow{Seq: len(f.Rows) + 1, Village: v.Name, Address: w.Address(v), Situation: w.Names.Pick(county.SituationText),
				Hazard: w.Hazard(cat), Measures: w.Names.Pick(county.MeasureText), Cadre: w.CadreOf(t.Name, v.Name, w.Person()), Head: w.Person(),
				Remark: remark, Inspected: f.Day, HasXY: hasXY, Pt: p, Cat: cat, Problem: true}
			f.Rows = append(f.Rows, row)
			return row
		}
		switch t.Idx % 6 {
		case 0: // listed by its id, rectified in time
			v, p := site(t)
			pa := addPatch(t, v, p, "M1", "违法")
			row := line(v, "M1", "系卫片图斑"+pa.ID, false, kit.Point{})
			rect(t, f.ProblemID(row), "已整改", rd-6, rd-6, "已回填复绿")
		case 1: // listed by a line nearby, still at work
			v, p := site(t)
			addPatch(t, v, p, "L1", "违法")
			row := line(v, "L1", "", true, w.nearBy(r, p, 80, 200))
			rect(t, f.ProblemID(row), "整改中", 0, dl+2, "正在拆除")
		case 2: // missed; 自然资源 files it and settles it, the township rectifies the site
			v, p := site(t)
			pa := addPatch(t, v, p, "M4", "违法")
			c := addCase(t, v, p, "卫片", pa.ID, "M4", checked+2)
			c.Status, c.Fine = "已结案", int64(2+r.IntN(4))*10000
			nDoc++
			doc := fmt.Sprintf("沁自然资罚〔%d〕%d号", pw.Year, nDoc)
			// every second such fine is half paid 21 days after the decision, the rest owed: that
			// case is still being enforced (已立案, no 执行完毕 or 结案)
			pay, on := c.Fine, c.Filed+7+14
			if nFined%2 == 1 {
				pay, on, c.Status = c.Fine/2, c.Filed+7+21, "已立案"
			}
			nFined++
			stage(c, campaign.StagePenalty, c.Filed+7, doc, c.Fine, 0)
			if c.Status == "已结案" {
				stage(c, campaign.StageExecuted, c.Filed+12, "", 0, 0)
				stage(c, campaign.StageClosed, county.CaseClosed(c), "", 0, 0)
			}
			if on <= sp.End {
				pw.Colls = append(pw.Colls, county.Collection{C: c, Doc: doc, Kind: "罚款", On: on, Amount: pay})
			}
			rect(t, pa.ID, "已整改", rd-3, rd-3, "井口已封堵")
		case 3: // a late form names a patch: at a site rectified in the campaign when there is one
			v, p, cat := county.Village{}, kit.Point{}, "L3"
			if old := w.rectifiedSite(base, t); old != nil {
				v = t.Villages[max(0, county.IndexOfVillage(t, old.Village))]
				p, cat = w.nearBy(r, old.Pt, 120, 200), old.Cat
				if _, ok := county.ChangeForCat[cat]; !ok {
					cat = "M1"
				}
			} else {
				v, p = site(t)
			}
			pa := addPatch(t, v, p, cat, "违法")
			line(v, cat, "核实卫片图斑"+pa.ID, false, kit.Point{})
		case 4: // a case the patrol found, listed nearby, through the whole criminal way
			v, p := site(t)
			c := addCase(t, v, p, "巡查", "", "M1", sp.Start+10)
			c.Police = c.Filed + 6
			c.Proc = c.Police + 20
			c.Confisc = int64(3+r.IntN(5)) * 10000
			pf := w.AddWorkdays(c.Police, 2)
			acc := w.AddWorkdays(c.Proc, 2)
			ind := w.AddWorkdays(acc, 8)
			court := w.AddWorkdays(ind, 3)
			c.Judged = min(court+14, sp.End-3)
			c.Status = "已判决"
			stage(c, campaign.StagePoliceFiled, pf, "", 0, 0)
			stage(c, campaign.StageProsecAccepted, acc, "", 0, 0)
			stage(c, campaign.StageIndicted, ind, "", 0, 0)
			stage(c, campaign.StageCourtAccepted, court, "", 0, 0)
			courtFine := int64(5+r.IntN(6)) * 10000
			stage(c, campaign.StageJudged, c.Judged, "", courtFine, 12+6*r.IntN(4))
			if on := c.Proc + 20; on <= sp.End {
				pw.Colls = append(pw.Colls, county.Collection{C: c, Kind: "没收违法所得", On: on, Amount: c.Confisc})
			}
			// every second court fine is still unpaid at the period's end
			if on := c.Judged + 2; on <= sp.End && nJudged%2 == 0 {
				pw.Colls = append(pw.Colls, county.Collection{C: c, Kind: "罚金", On: on, Amount: courtFine})
			}
			nJudged++
			row := line(v, "M1", "", true, w.nearBy(r, p, 80, 200))
			rect(t, f.ProblemID(row), "已整改", dl-2, dl-2, "已拆除，恢复原状")
		case 5: // a lawful patch and one never checked
			v, p := site(t)
			addPatch(t, v, p, "L1", "合法")
			v, p = site(t)
			addPatch(t, v, p, "M2", "未核查")
		}
		pw.Forms = append(pw.Forms, f)
	}
	// receipts numbered in the order they were paid
	slices.SortStableFunc(pw.Colls, func(a, b county.Collection) int { return int(a.On - b.On) })
	for i := range pw.Colls {
		pw.Colls[i].Receipt = fmt.Sprintf("晋财罚%d-%05d", pw.Year, i+1)
	}
	slices.SortStableFunc(pw.Stages, func(a, b county.PeriodStage) int { return int(a.On - b.On) })
	w.PlanPeriodDuties(dl + 7) // the period's 责任分解表, a week after the detection deadline
}

// nearBy is a point between lo and hi metres from p at a random bearing of r, inside the box.
func (w *world) nearBy(r kit.RNG, p kit.Point, lo, hi float64) kit.Point {
	ang := r.Float64() * 2 * math.Pi
	d := lo + r.Float64()*(hi-lo)
	lon, lat := kit.Offset(p.Lon, p.Lat, d*math.Cos(ang), d*math.Sin(ang))
	lon, lat = w.Clamp(lon, lat)
	return kit.Point{Lon: kit.Round6(lon), Lat: kit.Round6(lat)}
}

// rectifiedSite is a member with coordinates of one of t's violations whose site was rectified by
// the end of the data and that has no recurrence yet (the one with the smallest id), or nil.
func (w *world) rectifiedSite(e *county.Evaluation, t *county.Town) *county.Member {
	again := map[string]bool{}
	for _, v := range e.Violations {
		if v.RecurrenceOf != "" {
			again[v.RecurrenceOf] = true
		}
	}
	for _, v := range e.Violations {
		pv := v.Primary()
		if pv.Township != t.Name || v.Rectified == 0 || v.RecurrenceOf != "" || again[pv.ID] {
			continue
		}
		for _, m := range v.Members {
			if m.HasXY && m.Village != "" && county.IndexOfVillage(t, m.Village) >= 0 {
				return m
			}
		}
	}
	return nil
}

// patrolWeeks is a township's patrol weeks owed and done as of d (queries/intermediate/
// int_patrol_weeks.sql): the weeks from patrol_from through d's that meet the campaign through the
// look-back or a period, done with patrols_per_week patrols dated by d — the scenario's, and those
// after it whose file had arrived by d.
func (w *world) patrolWeeks(t *county.Town, d kit.Date, ongoing []ongoingPatrol) (weeks, done int) {
	from := kit.MkDate(w.Cfg.PatrolFrom())
	if d < from {
		return 0, 0
	}
	spans := w.periodSpans()
	lookEnd := w.lookbackEnd()
	counts := map[kit.Date]int{}
	for _, p := range t.Patrols {
		if p.Day <= d {
			counts[p.Day.Monday()]++
		}
	}
	for _, p := range ongoing {
		if p.township == t.Name && p.Day <= d && p.Recv <= d {
			counts[p.Day.Monday()]++
		}
	}
	for wk := from.Monday(); wk <= d.Monday(); wk += 7 {
		if lookEnd != 0 && wk > lookEnd && !slices.ContainsFunc(spans, func(p county.PeriodSpan) bool { return wk <= p.End && wk+6 >= p.Start }) {
			continue
		}
		weeks++
		if counts[wk] >= w.Cfg.Campaign.PatrolsPerWeek {
			done++
		}
	}
	return weeks, done
}

// PeriodViolationTruth is a violation first seen in a period, as of the period's end.
type PeriodViolationTruth struct {
	Township string `json:"township"`
	ViolationTruth
}

// periodFigures adds to pt what a run as of the period's end must show: every township's
// scorecard, the violations first seen in the period and every patch's triage.
func (w *world) periodFigures(pt *PeriodTruth, sp county.PeriodSpan) {
	d := sp.End
	e := w.Evaluate(d)
	pt.Violations = []PeriodViolationTruth{}
	for _, t := range w.Towns {
		pt.Scorecards = append(pt.Scorecards, w.scorecard(e, t))
	}
	for _, v := range e.Violations {
		if pv := v.Primary(); sp.Start <= pv.First && pv.First <= sp.End {
			pt.Violations = append(pt.Violations, PeriodViolationTruth{Township: pv.Township, ViolationTruth: violationTruth(v)})
		}
	}
	pt.ImageryTriage = w.triageAsOf(d)
	pt.Fines = w.periodFineTruth()
	if w.Per != nil {
		pt.Counts = map[string]int{"patches": len(w.Per.Patches), "cases": len(w.Per.Cases), "stages": len(w.Per.Stages),
			"collections": len(w.Per.Colls), "rectifications": len(w.Per.Rects)}
		for _, f := range w.Per.Forms {
			if f.Day > w.Per.DetectBy {
				pt.LateForms = append(pt.LateForms, f.Town.Name)
			}
		}
	}
}

// writePeriodImagery writes the period's batch: an export in the week of imaging (every patch
// 未核查) and one in the week of the check.
func (w *world) writePeriodImagery(out string) ([]File, error) {
	if w.Per == nil || len(w.Per.Patches) == 0 {
		return nil, nil
	}
	var days []kit.Date
	for _, p := range w.Per.Patches {
		days = append(days, p.Imaged.Sunday())
		if p.Checked != 0 {
			days = append(days, p.Checked.Sunday())
		}
	}
	slices.Sort(days)
	var files []File
	batch := fmt.Sprintf("%d年第1批", w.Per.Year)
	for _, s := range slices.Compact(days) {
		var ps []patchAsOf
		for _, p := range w.Per.Patches {
			if p.Imaged <= s {
				pa := patchAsOf{Patch: p, verdict: p.Verdict, checked: p.Checked}
				if p.Checked == 0 || p.Checked > s {
					pa.verdict, pa.checked = "未核查", 0
				}
				ps = append(ps, pa)
			}
		}
		rel := fmt.Sprintf("imagery/卫片图斑-%d第1批-%s.geojson", w.Per.Year, s.Compact())
		if err := kit.WriteFile(filepath.Join(out, filepath.FromSlash(rel)), []byte(w.imageryGeoJSON(strings.TrimSuffix(filepath.Base(rel), filepath.Ext(rel)), batch, ps))); err != nil {
			return nil, err
		}
		files = append(files, File{Path: rel, Rows: int64(len(ps)), ReceivedOn: s.String()})
	}
	return files, nil
}

// writePeriodCases writes the weekly cumulative exports of the period's cases.
func (w *world) writePeriodCases(out string) ([]File, error) {
	if w.Per == nil || len(w.Per.Cases) == 0 {
		return nil, nil
	}
	header := []string{"案件编号", "线索来源", "来源编号", "乡镇", "村", "经度", "纬度", "违法类型", "发现日期", "立案日期",
		"价格认定申请日期", "价格认定完成日期", "移送公安日期", "移送检察日期", "判决日期", "罚款金额", "没收金额", "状态", "认定价值"}
	var days []kit.Date
	for _, c := range w.Per.Cases {
		for _, d := range []kit.Date{c.Found, c.Filed, c.PriceReq, c.PriceDone, c.Police, c.Proc, c.Judged, county.CaseClosed(c)} {
			if d != 0 {
				days = append(days, min(d.Sunday(), w.Per.Span.End))
			}
		}
	}
	slices.Sort(days)
	var files []File
	for _, s := range slices.Compact(days) {
		rel := filepath.Join("cases", fmt.Sprintf("案件台账-%d-%s.xlsx", w.Per.Year, s.Compact()))
		var rows [][]any
		for _, c := range w.Per.Cases {
			if c.Found > s {
				continue
			}
			rows = append(rows, w.caseRow(c, s))
		}
		if err := kit.WriteTable(filepath.Join(out, rel), "案件台账", header, rows); err != nil {
			return nil, err
		}
		files = append(files, File{Path: rel, Rows: int64(len(rows)), ReceivedOn: s.String()})
	}
	return files, nil
}

// caseRow is a case as the register's export of day s shows it.
func (w *world) caseRow(c *county.CaseRec, s kit.Date) []any {
	status, fine, confisc := "未立案", int64(0), int64(0)
	switch {
	case upTo(c.Judged, s) != 0:
		status = "已判决"
	case upTo(c.Proc, s) != 0:
		status = "已移送检察"
	case upTo(c.Police, s) != 0:
		status = "已移送公安"
	case upTo(county.CaseClosed(c), s) != 0:
		status = "已结案"
	case upTo(c.Filed, s) != 0:
		status = "已立案"
	}
	if upTo(c.Police, s) != 0 || upTo(county.CaseClosed(c), s) != 0 {
		fine = c.Fine
	}
	if upTo(c.Proc, s) != 0 {
		confisc = c.Confisc
	}
	return []any{c.ID, c.Source, c.Ref, c.Town.Name, c.Village, xy(c.HasXY, c.Pt.Lon), xy(c.HasXY, c.Pt.Lat),
		w.CategoryName(c.Cat), dstr(c.Found), dstr(upTo(c.Filed, s)), dstr(upTo(c.PriceReq, s)), dstr(upTo(c.PriceDone, s)),
		dstr(upTo(c.Police, s)), dstr(upTo(c.Proc, s)), dstr(upTo(c.Judged, s)), money(fine), money(confisc), status,
		money(valueUpTo(c, s))}
}

// writePeriodStages writes the units' stage entries of the period's cases, a file per unit and
// week, received that Sunday (the period's last week on its last day).
func (w *world) writePeriodStages(out string) ([]File, error) {
	if w.Per == nil {
		return nil, nil
	}
	var files []File
	for _, k := range kit.ByUnitWeek(w.Per.Stages, func(e county.PeriodStage) (string, kit.Date) {
		return e.UnitSN, min(e.On.Sunday(), w.Per.Span.End)
	}) {
		unit, _ := w.Cfg.Unit(k.Unit)
		rows := [][]string{{"案件编号", "环节", "日期", "单位", "决定文号", "罚款金额", "刑期", "备注"}}
		for _, e := range k.Entries {
			st, _ := w.Cfg.StageByCode(e.Stage)
			fine, term := "", ""
			if e.Fine > 0 {
				fine = fmt.Sprint(e.Fine)
			}
			if e.Term > 0 {
				term = fmt.Sprint(e.Term)
			}
			rows = append(rows, []string{e.C.ID, st.Name, e.On.String(), unit.Name, e.Doc, fine, term, ""})
		}
		rel := filepath.Join("case-stages", unit.ShortName+"-办案环节-"+k.Week.Compact()+".csv")
		if err := kit.WriteCSV(filepath.Join(out, rel), rows, true); err != nil {
			return nil, err
		}
		files = append(files, File{Path: rel, Rows: int64(len(rows) - 1), ReceivedOn: k.Week.String()})
	}
	return files, nil
}

// writePeriodForms writes every township's form of the first 常态化 period, received on its date.
func (w *world) writePeriodForms(out string) ([]File, error) {
	var files []File
	for _, f := range w.PeriodForms() {
		rel := filepath.Join("inspection", f.FileName())
		if err := writeFormXLSX(filepath.Join(out, rel), f.Cells(w.planned()), len(f.Header())); err != nil {
			return nil, fmt.Errorf("%s: %w", rel, err)
		}
		files = append(files, File{Path: rel, Rows: int64(len(f.Rows)), ReceivedOn: f.Recv.String()})
	}
	return files, nil
}

// writePeriodRects writes each township's ledger updates of the period, a file per week.
func (w *world) writePeriodRects(out string) ([]File, error) {
	if w.Per == nil {
		return nil, nil
	}
	var files []File
	// Keyed by the township's index, so a week's files follow the townships' order.
	for _, k := range kit.ByUnitWeek(w.Per.Rects, func(r county.PeriodRect) (string, kit.Date) {
		return fmt.Sprintf("%04d", r.Town.Idx), r.Recv
	}) {
		rows := make([][]any, 0, len(k.Entries))
		for _, r := range k.Entries {
			rows = append(rows, []any{r.Item, r.Status, dstr(r.Day), r.Verifier, r.Note})
		}
		rel := filepath.Join("rectification", k.Entries[0].Town.Name+"-整改台账-"+k.Week.Monday().Span(k.Week)+".xlsx")
		if err := kit.WriteTable(filepath.Join(out, rel), "整改台账", []string{"问题编号", "整改状态", "完成日期", "验收人", "说明"}, rows); err != nil {
			return nil, err
		}
		files = append(files, File{Path: rel, Rows: int64(len(rows)), ReceivedOn: k.Week.String()})
	}
	return files, nil
}

// writePeriodCollections writes the finance bureau's receipts of the period, a file per week.
func (w *world) writePeriodCollections(out string) ([]File, error) {
	if w.Per == nil {
		return nil, nil
	}
	end := w.Per.Span.End
	return writeCollectionFiles(out, w.Per.Colls, func(d kit.Date) kit.Date { return min(d.Sunday(), end) })
}

// writePeriodDuties writes the period's 责任分解表, its rows' 期别 the period's name.
func (w *world) writePeriodDuties(out string) ([]File, error) {
	if w.Per == nil {
		return nil, nil
	}
	ds := w.PeriodDuties(w.Per.Span.Name)
	if len(ds) == 0 {
		return nil, nil
	}
	rows := make([][]any, len(ds))
	for i, d := range ds {
		rows[i] = []any{d.Item, d.Class, d.Unit, d.Person, d.Req, d.Deadline.String(), d.Period}
	}
	rel := "chain/责任分解表-" + strings.NewReplacer("/", "-", "\\", "-").Replace(w.Per.Span.Name) + ".xlsx"
	if err := kit.WriteTable(filepath.Join(out, filepath.FromSlash(rel)), "责任分解表", []string{"问题编号", "类别", "责任单位", "责任人", "整改要求", "整改时限", "期别"}, rows); err != nil {
		return nil, err
	}
	return []File{{Path: rel, Rows: int64(len(rows)), ReceivedOn: ds[0].Recv.String()}}, nil
}
