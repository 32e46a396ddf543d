package etl

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"landwatch/etl/read"
)

var (
	reFormDate = regexp.MustCompile(`(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日`)
	reGovt     = regexp.MustCompile(`(\p{Han}{2,10}?[乡镇])\s*人民政府`)
)

// formLine reads the line above a form's header: `郭道镇人民政府（盖章）   2023年3月7日`.
type formLine struct {
	row      int
	township string // known township, or ""
	unknown  string // a township-like name that is not in the configuration
	date     *time.Time
	dateText string
}

func scanFormLine(l *loader, g *read.Grid, h *read.Header) formLine {
	var fl formLine
	for i := 0; i < h.Index; i++ {
		var parts []string
		for j, c := range g.Rows[i] {
			c = strings.TrimSpace(c)
			if c != "" && (j == 0 || c != strings.TrimSpace(g.Rows[i][j-1])) { // merged cells repeat their text
				parts = append(parts, c)
			}
		}
		text := strings.Join(parts, " ")
		if !strings.Contains(text, "人民政府") && !reFormDate.MatchString(text) {
			continue
		}
		if fl.row == 0 {
			fl.row = g.Nums[i]
		}
		if fl.township == "" && strings.Contains(text, "人民政府") {
			best := ""
			for _, t := range l.cfg.Townships {
				if strings.Contains(text, t.Name) && len(t.Name) > len(best) {
					best = t.Name
				}
			}
			if best != "" {
				fl.township, fl.row = best, g.Nums[i]
			} else if m := reGovt.FindStringSubmatch(text); m != nil && !strings.HasSuffix(m[1], "县") {
				fl.unknown, fl.row = m[1], g.Nums[i]
			}
		}
		if fl.date == nil {
			if m := reFormDate.FindStringSubmatch(text); m != nil {
				fl.dateText = m[0]
				if d, ok := read.MkDate(m[1], m[2], m[3]); ok {
					fl.date = &d
				} else {
					fl.date = &time.Time{} // marks "a date that is not one"
				}
			}
		}
	}
	return fl
}

func normLevel(s string) (string, bool) {
	s = read.NormalizeText(s)
	switch s {
	case "", "乡镇", "乡镇级", "乡级", "镇级", "乡", "镇":
		return "乡镇", true
	case "村级", "村", "村委", "行政村":
		return "村级", true
	}
	return "", false
}

func convInspection(l *loader, g *read.Grid, h *read.Header, recs []*read.Record) (*out, error) {
	o := &out{table: "raw_inspections", cols: []string{"source_row", "sheet", "township", "form_date", "level", "seq", "problem_id",
		"is_problem", "village", "address", "site_condition", "hazard", "measures", "cadre_signed", "head_signed", "remark",
		"inspected_on", "reported_on", "lon", "lat", "category", "category_inferred", "deadline", "extra"},
		idTable: "raw_inspections", idField: "problem_id", idCol: "问题编号"}
	fl := scanFormLine(l, g, h)
	var formDate *time.Time
	if fl.unknown != "" {
		l.p.Add(fl.row, "乡镇", fl.unknown, "不是本县的乡镇")
	}
	if fl.date != nil {
		switch {
		case fl.date.IsZero():
			l.p.Add(fl.row, "填报日期", fl.dateText, "不是有效日期")
		case !l.cfg.Covers(*fl.date):
			l.p.Add(fl.row, "填报日期", fl.dateText, "不在专项行动的阶段或常态化周期内（"+l.cfg.DataSpansText()+"）")
		default:
			formDate = fl.date
			l.formYear = fl.date.Year()
		}
	}
	var sheet any
	if g.Sheet != "" {
		sheet = g.Sheet
	}
	towns, levels, villages := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for n, r := range recs {
		town := fl.township
		if s := r.Get("township"); s != "" {
			town = l.township(r.Row, "乡镇", s)
		} else if town == "" && fl.unknown == "" {
			l.p.Add(r.Row, "乡镇", "", "无法确定乡镇：表头行没有“XX镇人民政府”，也没有乡镇列")
		}
		level, ok := normLevel(r.Get("level"))
		if !ok {
			l.p.Add(r.Row, "层级", r.Get("level"), "应为村级或乡镇")
		}
		towns[town], levels[level] = true, true
		village := l.village(r.Row, "村", town, r.Get("village"))
		if v, ok := village.(string); ok {
			villages[v] = true
		} else {
			villages[""] = true
		}
		var seq any
		seqText := r.Get("seq")
		if seqText != "" {
			if v, ok := ParseNumber(seqText); ok && v == math.Trunc(v) && v >= 0 && v < 1e9 {
				seq = int64(v)
				seqText = strconv.FormatInt(int64(v), 10)
			} else {
				l.p.Add(r.Row, "序号", seqText, "不是有效序号")
			}
		}
		hazard := r.Get("hazard")
		isProblem := !read.IsNoneMarker(hazard)
		inspected := l.date(r, "inspected_on", "排查日期", false)
		reported := inspected
		if reported == nil && formDate != nil {
			reported = *formDate
		}
		if reported == nil && r.Get("inspected_on") == "" {
			l.p.Add(r.Row, "排查日期", "", "没有排查日期，表头行也没有填报日期")
		}
		pid := r.Get("problem_id")
		if pid == "" {
			switch {
			case seqText == "":
				seqText = strconv.Itoa(n + 1)
				seq = int64(n + 1)
				l.p.Warn(r.Row, "序号", fmt.Sprintf("序号为空，按行次记为%d", n+1))
			}
			if formDate == nil {
				if fl.date == nil { // (a bad date on the line is reported already)
					l.p.Add(r.Row, "问题编号", "", "没有问题编号，表头行也没有填报日期，无法编号")
				}
			} else if level == "村级" {
				pid = fmt.Sprintf("%s-%s-%s-%s", town, r.Get("village"), ymd(*formDate), seqText)
			} else {
				pid = fmt.Sprintf("%s-%s-%s", town, ymd(*formDate), seqText)
			}
		}
		lon, lat := l.coords(r)
		var cat any
		var inferred bool
		if isProblem || r.Get("category") != "" {
			cat, inferred = l.category(r, "category", "问题类别", hazard, r.Get("site_condition"))
			if inferred {
				l.p.Warn(r.Row, "问题类别", fmt.Sprintf("问题类别按关键词推断为“%s”", l.categoryName(cat)))
			}
		}
		deadline := l.date(r, "deadline", "整改时限", false)
		var fd any
		if formDate != nil {
			fd = *formDate
		}
		o.ids, o.idRows = append(o.ids, pid), append(o.idRows, r.Row)
		o.rows = append(o.rows, []any{r.Row, sheet, town, fd, level, seq, pid, isProblem, village,
			optional(r, "address"), optional(r, "site_condition"), optional(r, "hazard"), optional(r, "measures"),
			optional(r, "cadre_signed"), optional(r, "head_signed"), optional(r, "remark"),
			inspected, reported, lon, lat, cat, inferred, deadline, extraJSON(r)})
	}
	// The form this file is, for replacing an earlier submission of it.
	if len(towns) == 1 && len(levels) == 1 && formDate != nil {
		for t := range towns {
			o.b.Township = t
		}
		for lv := range levels {
			o.b.Level = lv
		}
		o.b.FormDate, o.b.FormRow = formDate, fl.row
		if o.b.Level == "村级" {
			if len(villages) == 1 {
				for v := range villages {
					o.b.Village = v
				}
			} else {
				o.b.Township = "" // a village form must be one village's
			}
		}
	} else if len(recs) == 0 && fl.township != "" && formDate != nil {
		o.b.Township, o.b.FormDate, o.b.Level, o.b.FormRow = fl.township, formDate, "乡镇", fl.row
	}
	if o.b.Township == "" && len(towns) == 1 {
		for t := range towns {
			o.b.Township = t
		}
		o.b.FormDate = formDate
	}
	if o.b.FormDate == nil && formDate != nil {
		o.b.FormDate = formDate
	}
	return o, nil
}

func convRectification(l *loader, g *read.Grid, h *read.Header, recs []*read.Record) (*out, error) {
	o := &out{table: "raw_rectifications", cols: []string{"source_row", "item_id", "status", "rectified_on", "verified_by", "note", "extra"}}
	known, err := l.knownItems()
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		id := r.Get("problem_id")
		known.check(l, r.Row, id)
		status := l.oneOf(r, "status", "整改状态", true, "未整改", "整改中", "已整改")
		done := l.date(r, "rectified_on", "完成日期", false)
		if status == "已整改" && done == nil && r.Get("rectified_on") == "" {
			l.p.Warn(r.Row, "完成日期", "已整改但没有完成日期")
		}
		o.rows = append(o.rows, []any{r.Row, id, status, done, optional(r, "verified_by"), optional(r, "note"), extraJSON(r)})
	}
	return o, nil
}

// itemIDs are the ids a ledger row may name: problem ids and the ids of source records, and power
// alert ids of a registered meter.
type itemIDs struct {
	ids    map[string]bool
	meters map[string]bool
}

// knownItems reads the ids of the active batches (and the portal's tips).
func (l *loader) knownItems() (*itemIDs, error) {
	known, err := l.idSet(`SELECT i.problem_id FROM raw_inspections i JOIN load_batches b USING (batch_id) WHERE b.replaced_by IS NULL
		UNION SELECT p.patch_id FROM raw_imagery_patches p JOIN load_batches b USING (batch_id) WHERE b.replaced_by IS NULL
		UNION SELECT c.case_id FROM raw_cases c JOIN load_batches b USING (batch_id) WHERE b.replaced_by IS NULL
		UNION SELECT c.clue_id FROM raw_clues c JOIN load_batches b USING (batch_id) WHERE b.replaced_by IS NULL
		UNION SELECT tip_id FROM tips`)
	if err != nil {
		return nil, fmt.Errorf("读取已有编号：%w", err)
	}
	meters, err := l.knownMeters()
	if err != nil {
		return nil, fmt.Errorf("读取电表户号：%w", err)
	}
	return &itemIDs{ids: known, meters: meters}, nil
}

// check records an error on the row when id is empty or names nothing known.
func (k *itemIDs) check(l *loader, row int, id string) {
	if id == "" {
		l.p.Add(row, "问题编号", "", "不能为空")
		return
	}
	if k.ids[id] {
		return
	}
	m := reAlert.FindStringSubmatch(id)
	_, dayOK := ParseDate(safeIdx(m, 3), 0)
	if m == nil || !k.meters[m[1]] || !dayOK {
		l.p.Add(row, "问题编号", id, "不是已导入的问题编号或线索编号（图斑、案件、线索、举报、用电预警）")
	}
}

func safeIdx(m []string, i int) string {
	if i < len(m) {
		return m[i]
	}
	return ""
}

func convPatrol(l *loader, g *read.Grid, h *read.Header, recs []*read.Record) (*out, error) {
	o := &out{table: "raw_patrols", cols: []string{"source_row", "township", "patrolled_on", "team", "villages", "findings", "extra"}}
	towns := map[string]bool{}
	for _, r := range recs {
		t := l.township(r.Row, "乡镇", r.Get("township"))
		towns[t] = true
		on := l.date(r, "patrolled_on", "巡查日期", true)
		o.rows = append(o.rows, []any{r.Row, t, on, optional(r, "team"), optional(r, "villages"), optional(r, "findings"), extraJSON(r)})
	}
	if len(towns) == 1 {
		for t := range towns {
			o.b.Township = t
		}
	}
	return o, nil
}

func convCases(l *loader, g *read.Grid, h *read.Header, recs []*read.Record) (*out, error) {
	o := &out{table: "raw_cases", cols: []string{"source_row", "case_id", "source", "source_ref", "township", "village", "lon", "lat",
		"category", "found_on", "filed_on", "price_requested_on", "price_done_on", "to_police_on", "to_procuratorate_on", "judged_on",
		"fine_yuan", "confiscated_yuan", "status", "value_yuan", "extra"},
		idTable: "raw_cases", idField: "case_id", idCol: "案件编号", versions: true}
	for _, r := range recs {
		id := l.required(r, "case_id", "案件编号")
		src := l.oneOf(r, "source", "线索来源", true, "巡查", "举报", "卫片", "用电", "媒体", "上级督察", "领导批办", "部门移送")
		t := l.township(r.Row, "乡镇", r.Get("township"))
		v := l.village(r.Row, "村", t, r.Get("village"))
		lon, lat := l.coords(r)
		cat, _ := l.category(r, "category", "违法类型")
		o.rows = append(o.rows, []any{r.Row, id, src, optional(r, "source_ref"), t, v, lon, lat, cat,
			l.date(r, "found_on", "发现日期", true), l.date(r, "filed_on", "立案日期", false),
			l.date(r, "price_requested_on", "价格认定申请日期", false), l.date(r, "price_done_on", "价格认定完成日期", false),
			l.date(r, "to_police_on", "移送公安日期", false), l.date(r, "to_procuratorate_on", "移送检察日期", false),
			l.date(r, "judged_on", "判决日期", false), l.number(r, "fine_yuan", "罚款金额", true),
			l.number(r, "confiscated_yuan", "没收金额", true), optional(r, "status"), l.number(r, "value_yuan", "认定价值", true), extraJSON(r)})
		o.ids, o.idRows = append(o.ids, r.Get("case_id")), append(o.idRows, r.Row)
	}
	return o, nil
}

func convMeters(l *loader, g *read.Grid, h *read.Header, recs []*read.Record) (*out, error) {
	o := &out{table: "raw_meters", cols: []string{"source_row", "meter_id", "account", "customer_type", "township", "village", "lon", "lat", "address", "extra"},
		idTable: "raw_meters", idField: "meter_id", idCol: "户号", versions: true}
	for _, r := range recs {
		id := l.required(r, "meter_id", "户号")
		typ := l.oneOf(r, "customer_type", "用电类别", true, l.cfg.CustomerTypeNames()...)
		t := l.township(r.Row, "乡镇", r.Get("township"))
		v := l.village(r.Row, "村", t, r.Get("village"))
		lon, lat := l.coords(r)
		o.rows = append(o.rows, []any{r.Row, id, optional(r, "account"), typ, t, v, lon, lat, optional(r, "address"), extraJSON(r)})
		o.ids, o.idRows = append(o.ids, r.Get("meter_id")), append(o.idRows, r.Row)
	}
	return o, nil
}

func convPowerChecks(l *loader, g *read.Grid, h *read.Header, recs []*read.Record) (*out, error) {
	o := &out{table: "raw_power_checks", cols: []string{"source_row", "meter_id", "alert_id", "checked_on", "result", "extra"}}
	meters, err := l.knownMeters()
	if err != nil {
		return nil, fmt.Errorf("读取电表户号：%w", err)
	}
	alerts := map[string]int{}
	for _, r := range recs {
		id := l.required(r, "meter_id", "户号")
		if id != nil && !meters[id.(string)] {
			l.p.Add(r.Row, "户号", id.(string), "不在用电户档案中")
		}
		alert := optional(r, "alert_id")
		if a, ok := alert.(string); ok {
			m := reAlert.FindStringSubmatch(a)
			if _, dayOK := ParseDate(safeIdx(m, 3), 0); m == nil || !dayOK {
				l.p.Add(r.Row, "预警编号", a, "格式应为 户号-NOD/SRG/CLM/CUT-年月日")
			} else if id != nil && m[1] != id.(string) {
				l.p.Add(r.Row, "预警编号", a, "与本行户号不一致")
			} else if prev, dup := alerts[a]; dup {
				l.p.Add(r.Row, "预警编号", a, fmt.Sprintf("预警编号重复（第%d行已有）", prev))
			} else {
				alerts[a] = r.Row
			}
		}
		o.rows = append(o.rows, []any{r.Row, id, alert, l.date(r, "checked_on", "核查日期", true),
			l.oneOf(r, "result", "核查结果", true, "非法采矿", "正常", "其他"), extraJSON(r)})
	}
	return o, nil
}

func convClues(l *loader, g *read.Grid, h *read.Header, recs []*read.Record) (*out, error) {
	o := &out{table: "raw_clues", cols: []string{"source_row", "clue_id", "source", "township", "village", "lon", "lat", "category", "found_on", "verdict", "extra"},
		idTable: "raw_clues", idField: "clue_id", idCol: "线索编号", versions: true}
	for _, r := range recs {
		id := l.required(r, "clue_id", "线索编号")
		src := l.oneOf(r, "source", "来源", true, "媒体曝光", "上级督察", "领导批办", "日常监管")
		t := l.township(r.Row, "乡镇", r.Get("township"))
		v := l.village(r.Row, "村", t, r.Get("village"))
		lon, lat := l.coords(r)
		cat, _ := l.category(r, "category", "类别")
		o.rows = append(o.rows, []any{r.Row, id, src, t, v, lon, lat, cat, l.date(r, "found_on", "发现日期", true),
			l.oneOf(r, "verdict", "核查结果", true, "属实", "不属实", "核查中"), extraJSON(r)})
		o.ids, o.idRows = append(o.ids, r.Get("clue_id")), append(o.idRows, r.Row)
	}
	return o, nil
}
