package synth

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"

	"landwatch/campaign"
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
//	rectification/{乡镇}-整改台账-{year}第NN周.xlsx   the township's ledger updates of the period's
//	                                         items, received that Sunday
//	collections/罚没款收缴-{day}.csv             the finance bureau's receipts of the period's fines
//
// The townships take turns by their index (mod 6): 0 lists an illegal patch by its id and rectifies
// it by the end of the period; 1 lists an illegal patch by a line 80–200 m away and is still at work
// (整改中); 2 misses an illegal patch, which 自然资源 files as a case (价格认定 by 发改, 处罚决定,
// 执行完毕, 结案; the finance bureau collects the fine) while the township rectifies the site; 3 sends
// its form late, naming an illegal patch imaged 120–200 m from one of its violations rectified in the
// campaign (a recurrence, missed: 补报) — a township with no such violation gets a dumping patch
// instead; 4 lists a case its patrol found by a line near it, a case that goes the whole criminal
// way within the period (公安 立案侦查, 移送审查起诉, 检察院 受理 and 提起公诉, 法院 受理 and 判决 with
// a term and a court fine, the confiscation and the court fine collected) and is rectified; 5 has a
// lawful patch and one never checked. Sites lie 1.2 km from every other violation site and 600 m
// from every problem line with coordinates, in a village the register gives a 监管网格员 where the
// township has one. All of it comes from a random stream of its own after everything else is planned, so the
// campaign's files and figures stay as they were.

// periodStream is the random stream of the period's findings.
const periodStream = 23101

// periodWork is what planPeriodWork decided for the first configured period.
type periodWork struct {
	span    periodSpan
	dl, rd  kit.Date // the period's detection and rectification deadlines
	year    int
	patches []*patch
	cases   []*caseRec
	forms   []*form
	rects   []periodRect
	stages  []periodStage
	colls   []collection
}

type periodRect struct {
	rectRow
	town *town
}

type periodStage struct {
	chainEntry
	term int // months, for 判决
}

// roundOf is the 常态化 period whose days hold d: its detection and rectification deadlines.
func (w *world) roundOf(d kit.Date) (dl, rd kit.Date, ok bool) {
	for _, p := range w.cfg.Periods {
		if kit.YMD(p.Start.Year, p.Start.Month, p.Start.Day) <= d && d <= kit.YMD(p.End.Year, p.End.Month, p.End.Day) {
			return kit.YMD(p.DetectionDeadline.Year, p.DetectionDeadline.Month, p.DetectionDeadline.Day),
				kit.YMD(p.RectificationDeadline.Year, p.RectificationDeadline.Month, p.RectificationDeadline.Day), true
		}
	}
	return 0, 0, false
}

// planPeriodWork plans the period's findings (see the top of this file).
func (w *world) planPeriodWork() {
	spans := w.periodSpans()
	if len(spans) == 0 {
		return
	}
	sp := spans[0]
	dl, rd, _ := w.roundOf(sp.start)
	pw := &periodWork{span: sp, dl: dl, rd: rd, year: sp.start.Time().Year()}
	w.per = pw
	r := kit.NewRNG(w.seed, periodStream)
	names := w.names // the wording from a stream of the period's own
	w.names = kit.NewRNG(w.seed, periodStream+1)
	defer func() { w.names = names }()
	base := w.evaluate(w.sc.readTo)
	// villages with a 监管网格员 in the register (those with a site under supervision, and more)
	supervised := map[[2]string]bool{}
	if n := len(w.chain.registers); n > 0 {
		for _, g := range w.chain.registers[n-1].rows {
			if g.typ == "监管网格员" {
				supervised[[2]string{g.township, g.village}] = true
			}
		}
	}
	var points []kit.Point // problem lines with coordinates
	for _, p := range w.allProblems() {
		if p.hasXY {
			points = append(points, p.pt)
		}
	}
	site := func(t *town) (village, kit.Point) {
		var vs []village
		for _, v := range t.villages {
			if supervised[[2]string{t.name, v.name}] {
				vs = append(vs, v)
			}
		}
		if len(vs) == 0 {
			vs = t.villages
		}
		for try := 0; ; try++ {
			v := vs[r.IntN(len(vs))]
			p := w.nearBy(r, v.pt, 300, 1800+float64(try)*20)
			if w.farFromSites(p, minSiteM) && !slices.ContainsFunc(points, func(q kit.Point) bool { return kit.Haversine(p.Lon, p.Lat, q.Lon, q.Lat) < 600 }) {
				w.sites = append(w.sites, p)
				return v, p
			}
		}
	}
	imaged := sp.start + 30
	checked := imaged + 9
	nPatch := 0
	addPatch := func(t *town, v village, p kit.Point, cat, verdict string) *patch {
		nPatch++
		ct := changeForCat[cat]
		pa := &patch{id: fmt.Sprintf("WP%d-01-%04d", pw.year, nPatch), batchNo: 1, imaged: imaged, town: t, village: v.name,
			change: ct[0], before: ct[1], after: ct[2], verdict: verdict, cat: cat}
		if verdict != "未核查" {
			pa.checked = checked
		}
		ring := make([]kit.Point, 0, 8)
		sides, rad := 5+r.IntN(3), 18+r.Float64()*15
		for k := 0; k < sides; k++ {
			ang := 2 * math.Pi * float64(k) / float64(sides)
			lon, lat := kit.Offset(p.Lon, p.Lat, rad*(0.8+0.4*r.Float64())*math.Cos(ang), rad*(0.8+0.4*r.Float64())*math.Sin(ang))
			ring = append(ring, kit.Point{Lon: kit.Round6(lon), Lat: kit.Round6(lat)})
		}
		ring = append(ring, ring[0])
		pa.polys = [][]kit.Point{ring}
		pa.areaMu = math.Round(ringAreaM2(ring)/666.667*100) / 100
		pa.pt = centroid(pa.polys)
		pw.patches = append(pw.patches, pa)
		return pa
	}
	addCase := func(t *town, v village, p kit.Point, source, ref, cat string, found kit.Date) *caseRec {
		c := &caseRec{id: fmt.Sprintf("AJ%d-%04d", pw.year, len(pw.cases)+1), source: source, ref: ref, town: t, village: v.name,
			hasXY: true, pt: p, cat: cat, found: found, filed: found + 2, status: "已立案"}
		c.priceReq = c.filed + 1
		c.priceDone = w.addWorkdays(c.priceReq, 2)
		pw.cases = append(pw.cases, c)
		return c
	}
	rect := func(t *town, item, status string, day, sent kit.Date, note string) {
		pw.rects = append(pw.rects, periodRect{town: t, rectRow: rectRow{item: item, status: status, day: day, verifier: w.person(),
			note: note, sent: sent, recv: min(sent.Sunday(), sp.end)}})
	}
	stage := func(c *caseRec, code string, on kit.Date, doc string, fine int64, term int) {
		if _, ok := w.cfg.StageByCode(code); !ok || on == 0 || on > sp.end {
			return
		}
		pw.stages = append(pw.stages, periodStage{chainEntry: chainEntry{c: c, stage: code, on: on, doc: doc, fine: fine, unitSN: w.cfg.StageUnit(code)}, term: term})
	}
	nDoc := 0
	for _, t := range w.towns {
		f := &form{town: t, level: "乡镇", day: dl - 5, kind: "常态化", extended: true, filer: w.leader(t, 0)}
		if t.idx%6 == 3 {
			f.day = dl + 5
		}
		f.recv = stamp{day: f.day}
		for j, v := range t.villages {
			if j >= 3 {
				break
			}
			f.rows = append(f.rows, &formRow{seq: j + 1, village: v.name, address: v.name + "全村", situation: "常态化巡查，未发现违法违规行为",
				hazard: "无", cadre: w.cadreOf(t.name, v.name, w.leader(t, 2+j)), head: w.leader(t, 5+j), inspected: f.day - kit.Date(3-j)})
		}
		line := func(v village, cat, remark string, hasXY bool, p kit.Point) *formRow {
			row := &formRow{seq: len(f.rows) + 1, village: v.name, address: w.address(v), situation: w.names.Pick(situationText),
				hazard: w.hazard(cat), measures: w.names.Pick(measureText), cadre: w.cadreOf(t.name, v.name, w.person()), head: w.person(),
				remark: remark, inspected: f.day, hasXY: hasXY, pt: p, cat: cat, problem: true}
			f.rows = append(f.rows, row)
			return row
		}
		switch t.idx % 6 {
		case 0: // listed by its id, rectified in time
			v, p := site(t)
			pa := addPatch(t, v, p, "M1", "违法")
			row := line(v, "M1", "系卫片图斑"+pa.id, false, kit.Point{})
			rect(t, f.problemID(row), "已整改", rd-6, rd-6, "已回填复绿")
		case 1: // listed by a line nearby, still at work
			v, p := site(t)
			addPatch(t, v, p, "L1", "违法")
			row := line(v, "L1", "", true, w.nearBy(r, p, 80, 200))
			rect(t, f.problemID(row), "整改中", 0, dl+2, "正在拆除")
		case 2: // missed; 自然资源 files it and settles it, the township rectifies the site
			v, p := site(t)
			pa := addPatch(t, v, p, "M4", "违法")
			c := addCase(t, v, p, "卫片", pa.id, "M4", checked+2)
			c.status, c.fine = "已结案", int64(2+r.IntN(4))*10000
			nDoc++
			doc := fmt.Sprintf("沁自然资罚〔%d〕%d号", pw.year, nDoc)
			stage(c, campaign.StagePenalty, c.filed+7, doc, c.fine, 0)
			stage(c, campaign.StageExecuted, c.filed+12, "", 0, 0)
			stage(c, campaign.StageClosed, caseClosed(c), "", 0, 0)
			if on := c.filed + 7 + 14; on <= sp.end {
				pw.colls = append(pw.colls, collection{c: c, doc: doc, kind: "罚款", on: on, amount: c.fine})
			}
			rect(t, pa.id, "已整改", rd-3, rd-3, "井口已封堵")
		case 3: // a late form names a patch: at a site rectified in the campaign when there is one
			v, p, cat := village{}, kit.Point{}, "L3"
			if old := w.rectifiedSite(base, t); old != nil {
				v = t.villages[max(0, indexOfVillage(t, old.village))]
				p, cat = w.nearBy(r, old.pt, 120, 200), old.cat
				if _, ok := changeForCat[cat]; !ok {
					cat = "M1"
				}
			} else {
				v, p = site(t)
			}
			pa := addPatch(t, v, p, cat, "违法")
			line(v, cat, "核实卫片图斑"+pa.id, false, kit.Point{})
		case 4: // a case the patrol found, listed nearby, through the whole criminal way
			v, p := site(t)
			c := addCase(t, v, p, "巡查", "", "M1", sp.start+10)
			c.police = c.filed + 6
			c.proc = c.police + 20
			c.confisc = int64(3+r.IntN(5)) * 10000
			pf := w.addWorkdays(c.police, 2)
			acc := w.addWorkdays(c.proc, 2)
			ind := w.addWorkdays(acc, 8)
			court := w.addWorkdays(ind, 3)
			c.judged = min(court+14, sp.end-3)
			c.status = "已判决"
			stage(c, campaign.StagePoliceFiled, pf, "", 0, 0)
			stage(c, campaign.StageProsecAccepted, acc, "", 0, 0)
			stage(c, campaign.StageIndicted, ind, "", 0, 0)
			stage(c, campaign.StageCourtAccepted, court, "", 0, 0)
			courtFine := int64(5+r.IntN(6)) * 10000
			stage(c, campaign.StageJudged, c.judged, "", courtFine, 12+6*r.IntN(4))
			if on := c.proc + 20; on <= sp.end {
				pw.colls = append(pw.colls, collection{c: c, kind: "没收违法所得", on: on, amount: c.confisc})
			}
			if on := c.judged + 2; on <= sp.end {
				pw.colls = append(pw.colls, collection{c: c, kind: "罚金", on: on, amount: courtFine})
			}
			row := line(v, "M1", "", true, w.nearBy(r, p, 80, 200))
			rect(t, f.problemID(row), "已整改", dl-2, dl-2, "已拆除，恢复原状")
		case 5: // a lawful patch and one never checked
			v, p := site(t)
			addPatch(t, v, p, "L1", "合法")
			v, p = site(t)
			addPatch(t, v, p, "M2", "未核查")
		}
		pw.forms = append(pw.forms, f)
	}
	// receipts numbered in the order they were paid
	slices.SortStableFunc(pw.colls, func(a, b collection) int { return int(a.on - b.on) })
	for i := range pw.colls {
		pw.colls[i].receipt = fmt.Sprintf("晋财罚%d-%05d", pw.year, i+1)
	}
	slices.SortStableFunc(pw.stages, func(a, b periodStage) int { return int(a.on - b.on) })
}

// nearBy is a point between lo and hi metres from p at a random bearing of r, inside the box.
func (w *world) nearBy(r kit.RNG, p kit.Point, lo, hi float64) kit.Point {
	ang := r.Float64() * 2 * math.Pi
	d := lo + r.Float64()*(hi-lo)
	lon, lat := kit.Offset(p.Lon, p.Lat, d*math.Cos(ang), d*math.Sin(ang))
	lon, lat = w.clamp(lon, lat)
	return kit.Point{Lon: kit.Round6(lon), Lat: kit.Round6(lat)}
}

// rectifiedSite is a member with coordinates of one of t's violations whose site was rectified by
// the end of the data and that has no recurrence yet (the one with the smallest id), or nil.
func (w *world) rectifiedSite(e *evaluation, t *town) *member {
	again := map[string]bool{}
	for _, v := range e.violations {
		if v.recurrenceOf != "" {
			again[v.recurrenceOf] = true
		}
	}
	for _, v := range e.violations {
		pv := v.primary()
		if pv.township != t.name || v.rectified == 0 || v.recurrenceOf != "" || again[pv.id] {
			continue
		}
		for _, m := range v.members {
			if m.hasXY && m.village != "" && indexOfVillage(t, m.village) >= 0 {
				return m
			}
		}
	}
	return nil
}

// periodMembers are the period's violation records known by the end of d: an illegal patch from
// the export showing its verdict, a case from its first export.
func (w *world) periodMembers(d kit.Date) []*member {
	if w.per == nil {
		return nil
	}
	var ms []*member
	for _, p := range w.per.patches {
		if p.verdict == "违法" && p.checked != 0 && p.checked.Sunday() <= d {
			ms = append(ms, &member{channel: "卫片", id: p.id, township: p.town.name, village: p.village, hasXY: true, pt: p.pt, first: p.imaged, cat: imageryCategory(p.change, p.after)})
		}
	}
	for _, c := range w.per.cases {
		if c.found.Sunday() <= d {
			ms = append(ms, &member{channel: "案件", id: c.id, township: c.town.name, village: c.village, hasXY: c.hasXY, pt: c.pt, first: c.found, cat: c.cat, ref: c.ref})
		}
	}
	return ms
}

// periodForms are the period's township forms (nil without a period).
func (w *world) periodForms() []*form {
	if w.per == nil {
		return nil
	}
	return w.per.forms
}

// periodRectRows are the period's ledger updates.
func (w *world) periodRectRows() []rectRow {
	if w.per == nil {
		return nil
	}
	out := make([]rectRow, len(w.per.rects))
	for i, r := range w.per.rects {
		out[i] = r.rectRow
	}
	return out
}

// periodTownPoints are the coordinates of the period's records by town index (for the boundaries).
func (w *world) periodTownPoints(out [][]kit.Point) {
	if w.per == nil {
		return
	}
	for _, p := range w.per.patches {
		for _, ring := range p.polys {
			out[p.town.idx] = append(out[p.town.idx], ring...)
		}
	}
	for _, c := range w.per.cases {
		out[c.town.idx] = append(out[c.town.idx], c.pt)
	}
	for _, f := range w.per.forms {
		for _, r := range f.rows {
			if r.hasXY {
				out[f.town.idx] = append(out[f.town.idx], r.pt)
			}
		}
	}
}

// patrolWeeks is a township's patrol weeks owed and done as of d (queries/intermediate/
// int_patrol_weeks.sql): the weeks from patrol_from through d's that meet the campaign through the
// look-back or a period, done with patrols_per_week patrols dated by d — the scenario's, and those
// after it whose file had arrived by d.
func (w *world) patrolWeeks(t *town, d kit.Date, ongoing []ongoingPatrol) (weeks, done int) {
	from := kit.MkDate(w.cfg.PatrolFrom())
	if d < from {
		return 0, 0
	}
	spans := w.periodSpans()
	lookEnd := w.lookbackEnd()
	counts := map[kit.Date]int{}
	for _, p := range t.patrols {
		if p.day <= d {
			counts[p.day.Monday()]++
		}
	}
	for _, p := range ongoing {
		if p.township == t.name && p.day <= d && p.recv <= d {
			counts[p.day.Monday()]++
		}
	}
	for wk := from.Monday(); wk <= d.Monday(); wk += 7 {
		if lookEnd != 0 && wk > lookEnd && !slices.ContainsFunc(spans, func(p periodSpan) bool { return wk <= p.end && wk+6 >= p.start }) {
			continue
		}
		weeks++
		if counts[wk] >= w.cfg.Campaign.PatrolsPerWeek {
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
func (w *world) periodFigures(pt *PeriodTruth, sp periodSpan) {
	d := sp.end
	e := w.evaluate(d)
	pt.Violations = []PeriodViolationTruth{}
	for _, t := range w.towns {
		pt.Scorecards = append(pt.Scorecards, w.scorecard(e, t))
	}
	for _, v := range e.violations {
		if pv := v.primary(); sp.start <= pv.first && pv.first <= sp.end {
			pt.Violations = append(pt.Violations, PeriodViolationTruth{Township: pv.township, ViolationTruth: violationTruth(v)})
		}
	}
	pt.ImageryTriage = w.triageAsOf(d)
	if w.per != nil {
		pt.Counts = map[string]int{"patches": len(w.per.patches), "cases": len(w.per.cases), "stages": len(w.per.stages),
			"collections": len(w.per.colls), "rectifications": len(w.per.rects)}
		for _, f := range w.per.forms {
			if f.day > w.per.dl {
				pt.LateForms = append(pt.LateForms, f.town.name)
			}
		}
	}
}

// writePeriodImagery writes the period's batch: an export in the week of imaging (every patch
// 未核查) and one in the week of the check.
func (w *world) writePeriodImagery(out string) ([]File, error) {
	if w.per == nil || len(w.per.patches) == 0 {
		return nil, nil
	}
	var days []kit.Date
	for _, p := range w.per.patches {
		days = append(days, p.imaged.Sunday())
		if p.checked != 0 {
			days = append(days, p.checked.Sunday())
		}
	}
	slices.Sort(days)
	var files []File
	batch := fmt.Sprintf("%d年第1批", w.per.year)
	for _, s := range slices.Compact(days) {
		var ps []patchAsOf
		for _, p := range w.per.patches {
			if p.imaged <= s {
				pa := patchAsOf{patch: p, verdict: p.verdict, checked: p.checked}
				if p.checked == 0 || p.checked > s {
					pa.verdict, pa.checked = "未核查", 0
				}
				ps = append(ps, pa)
			}
		}
		rel := fmt.Sprintf("imagery/卫片图斑-%d第1批-%s.geojson", w.per.year, s.Compact())
		if err := kit.WriteFile(filepath.Join(out, filepath.FromSlash(rel)), []byte(w.imageryGeoJSON(strings.TrimSuffix(filepath.Base(rel), filepath.Ext(rel)), batch, ps))); err != nil {
			return nil, err
		}
		files = append(files, File{Path: rel, Rows: int64(len(ps)), ReceivedOn: s.String()})
	}
	return files, nil
}

// writePeriodCases writes the weekly cumulative exports of the period's cases.
func (w *world) writePeriodCases(out string) ([]File, error) {
	if w.per == nil || len(w.per.cases) == 0 {
		return nil, nil
	}
	header := []string{"案件编号", "线索来源", "来源编号", "乡镇", "村", "经度", "纬度", "违法类型", "发现日期", "立案日期",
		"价格认定申请日期", "价格认定完成日期", "移送公安日期", "移送检察日期", "判决日期", "罚款金额", "没收金额", "状态", "认定价值"}
	var days []kit.Date
	for _, c := range w.per.cases {
		for _, d := range []kit.Date{c.found, c.filed, c.priceReq, c.priceDone, c.police, c.proc, c.judged, caseClosed(c)} {
			if d != 0 {
				days = append(days, min(d.Sunday(), w.per.span.end))
			}
		}
	}
	slices.Sort(days)
	var files []File
	for _, s := range slices.Compact(days) {
		rel := filepath.Join("cases", fmt.Sprintf("案件台账-%d-%s.xlsx", w.per.year, s.Compact()))
		var rows [][]any
		for _, c := range w.per.cases {
			if c.found > s {
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
func (w *world) caseRow(c *caseRec, s kit.Date) []any {
	status, fine, confisc := "未立案", int64(0), int64(0)
	switch {
	case upTo(c.judged, s) != 0:
		status = "已判决"
	case upTo(c.proc, s) != 0:
		status = "已移送检察"
	case upTo(c.police, s) != 0:
		status = "已移送公安"
	case upTo(caseClosed(c), s) != 0:
		status = "已结案"
	case upTo(c.filed, s) != 0:
		status = "已立案"
	}
	if upTo(c.police, s) != 0 || upTo(caseClosed(c), s) != 0 {
		fine = c.fine
	}
	if upTo(c.proc, s) != 0 {
		confisc = c.confisc
	}
	return []any{c.id, c.source, c.ref, c.town.name, c.village, xy(c.hasXY, c.pt.Lon), xy(c.hasXY, c.pt.Lat),
		w.categoryName(c.cat), dstr(c.found), dstr(upTo(c.filed, s)), dstr(upTo(c.priceReq, s)), dstr(upTo(c.priceDone, s)),
		dstr(upTo(c.police, s)), dstr(upTo(c.proc, s)), dstr(upTo(c.judged, s)), money(fine), money(confisc), status,
		money(valueUpTo(c, s))}
}

// writePeriodStages writes the units' stage entries of the period's cases, a file per unit and
// week, received that Sunday (the period's last week on its last day).
func (w *world) writePeriodStages(out string) ([]File, error) {
	if w.per == nil {
		return nil, nil
	}
	type key struct {
		unit string
		week kit.Date
	}
	by := map[key][]periodStage{}
	var keys []key
	for _, e := range w.per.stages {
		k := key{e.unitSN, min(e.on.Sunday(), w.per.span.end)}
		if by[k] == nil {
			keys = append(keys, k)
		}
		by[k] = append(by[k], e)
	}
	slices.SortFunc(keys, func(a, b key) int {
		if a.week != b.week {
			return int(a.week - b.week)
		}
		return strings.Compare(a.unit, b.unit)
	})
	var files []File
	for _, k := range keys {
		unit, _ := w.cfg.Unit(k.unit)
		rows := [][]string{{"案件编号", "环节", "日期", "单位", "决定文号", "罚款金额", "刑期", "备注"}}
		for _, e := range by[k] {
			st, _ := w.cfg.StageByCode(e.stage)
			fine, term := "", ""
			if e.fine > 0 {
				fine = fmt.Sprint(e.fine)
			}
			if e.term > 0 {
				term = fmt.Sprint(e.term)
			}
			rows = append(rows, []string{e.c.id, st.Name, e.on.String(), unit.Name, e.doc, fine, term, ""})
		}
		rel := filepath.Join("case-stages", unit.ShortName+"-办案环节-"+k.week.Compact()+".csv")
		if err := kit.WriteCSV(filepath.Join(out, rel), rows, true); err != nil {
			return nil, err
		}
		files = append(files, File{Path: rel, Rows: int64(len(rows) - 1), ReceivedOn: k.week.String()})
	}
	return files, nil
}

// writePeriodForms writes every township's form of the first 常态化 period, received on its date.
func (w *world) writePeriodForms(out string) ([]File, error) {
	var files []File
	for _, f := range w.periodForms() {
		rel := filepath.Join("inspection", f.fileName())
		if err := writeFormXLSX(filepath.Join(out, rel), f.cells(w), len(f.header())); err != nil {
			return nil, fmt.Errorf("%s: %w", rel, err)
		}
		files = append(files, File{Path: rel, Rows: int64(len(f.rows)), ReceivedOn: f.recv.String()})
	}
	return files, nil
}

// writePeriodRects writes each township's ledger updates of the period, a file per week.
func (w *world) writePeriodRects(out string) ([]File, error) {
	if w.per == nil {
		return nil, nil
	}
	type key struct {
		town string
		week kit.Date
	}
	by := map[key][][]any{}
	var keys []key
	for _, r := range w.per.rects {
		k := key{r.town.name, r.recv}
		if by[k] == nil {
			keys = append(keys, k)
		}
		by[k] = append(by[k], []any{r.item, r.status, dstr(r.day), r.verifier, r.note})
	}
	var files []File
	for _, k := range keys {
		y, n := k.week.ISOYearWeek()
		rel := filepath.Join("rectification", fmt.Sprintf("%s-整改台账-%d第%02d周.xlsx", k.town, y, n))
		if err := kit.WriteTable(filepath.Join(out, rel), "整改台账", []string{"问题编号", "整改状态", "完成日期", "验收人", "说明"}, by[k]); err != nil {
			return nil, err
		}
		files = append(files, File{Path: rel, Rows: int64(len(by[k])), ReceivedOn: k.week.String()})
	}
	return files, nil
}

// writePeriodCollections writes the finance bureau's receipts of the period, a file per week.
func (w *world) writePeriodCollections(out string) ([]File, error) {
	if w.per == nil {
		return nil, nil
	}
	by := map[kit.Date][][]string{}
	var weeks []kit.Date
	for _, c := range w.per.colls {
		wk := min(c.on.Sunday(), w.per.span.end)
		if by[wk] == nil {
			weeks = append(weeks, wk)
		}
		by[wk] = append(by[wk], []string{c.c.id, c.doc, c.on.String(), fmt.Sprint(c.amount), c.receipt, c.kind, ""})
	}
	var files []File
	for _, wk := range weeks {
		rows := append([][]string{{"案件编号", "决定文号", "缴款日期", "金额", "票据号", "类型", "说明"}}, by[wk]...)
		rel := filepath.Join("collections", "罚没款收缴-"+wk.Compact()+".csv")
		if err := kit.WriteCSV(filepath.Join(out, rel), rows, true); err != nil {
			return nil, err
		}
		files = append(files, File{Path: rel, Rows: int64(len(rows) - 1), ReceivedOn: wk.String()})
	}
	return files, nil
}
