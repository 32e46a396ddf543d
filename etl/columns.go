package etl

import (
	"strings"
	"unicode"
)

// field is one column of an input contract: its Chinese header (as shown in errors), other Chinese
// spellings, and the English alias the README's "Input formats" accepts.
type Field struct {
	Key      string
	Zh       string
	Alt      []string
	Required bool
}

func f(key, zh string, alt ...string) Field { return Field{Key: key, Zh: zh, Alt: alt} }
func req(key, zh string, alt ...string) Field {
	return Field{Key: key, Zh: zh, Alt: alt, Required: true}
}

// Column contracts (README "Input formats"). The key doubles as the English alias.
var specs = map[Kind][]Field{
	KindInspection: {
		f("seq", "序号", "编号"), req("village", "村", "村名", "行政村", "村庄"), f("address", "排查详细地址", "详细地址", "地址"),
		f("site_condition", "现场情况"), req("hazard", "发现隐患", "隐患", "发现问题"), f("measures", "整改措施"),
		f("cadre_signed", "包村干部签字", "包村干部"), f("head_signed", "村委负责人签字", "村委负责人"), f("remark", "备注"),
		f("township", "乡镇", "乡（镇）", "乡镇名称"), f("problem_id", "问题编号"), f("inspected_on", "排查日期"),
		f("lon", "经度"), f("lat", "纬度"), f("category", "问题类别", "违法类型", "类别"), f("deadline", "整改时限"),
		f("level", "层级"),
	},
	KindRectification: {
		req("problem_id", "问题编号", "item_id", "编号"), req("status", "整改状态", "状态"), f("rectified_on", "完成日期", "整改完成日期"),
		f("verified_by", "验收人"), f("note", "说明", "备注"),
	},
	KindPatrol: {
		req("township", "乡镇"), req("patrolled_on", "巡查日期", "日期"), f("team", "巡查人员"), f("villages", "巡查村", "巡查村庄"),
		f("findings", "发现问题"),
	},
	KindCases: {
		req("case_id", "案件编号"), req("source", "线索来源"), f("source_ref", "来源编号"), req("township", "乡镇"), f("village", "村"),
		f("lon", "经度"), f("lat", "纬度"), f("category", "违法类型", "问题类别"), req("found_on", "发现日期"), f("filed_on", "立案日期"),
		f("price_requested_on", "价格认定申请日期"), f("price_done_on", "价格认定完成日期"), f("to_police_on", "移送公安日期"),
		f("to_procuratorate_on", "移送检察日期"), f("judged_on", "判决日期"), f("fine_yuan", "罚款金额", "罚款金额元"),
		f("confiscated_yuan", "没收金额", "没收金额元"), f("status", "状态", "案件状态"),
		f("value_yuan", "认定价值", "认定价值元", "认定价值（元）", "价格认定金额"),
	},
	KindMeters: {
		req("meter_id", "户号"), f("account", "户名"), req("customer_type", "用电类别"), req("township", "乡镇"), f("village", "村"),
		f("lon", "经度"), f("lat", "纬度"), f("address", "地址"),
	},
	KindPowerChecks: {
		req("meter_id", "户号"), f("alert_id", "预警编号"), req("checked_on", "核查日期"), req("result", "核查结果"),
	},
	KindImagery: {
		req("patch_id", "图斑编号"), f("batch", "批次"), req("imaged_on", "影像日期"), req("township", "乡镇"), f("village", "村"),
		f("change_type", "变化类型"), f("land_before", "前地类"), f("land_after", "后地类"), f("area_mu", "面积亩", "面积"),
		req("verdict", "核查结果"), f("checked_on", "核查日期"), f("wkt", "WKT", "geometry", "几何", "图形"),
	},
	KindLicences: {
		req("licence_id", "许可证号", "采矿许可证号", "证号"), req("holder", "矿权人", "采矿权人", "持证人"), f("mineral", "矿种", "开采矿种"),
		req("valid_from", "有效期起", "有效期自", "有效期开始"), req("valid_to", "有效期止", "有效期至", "有效期结束"),
		f("wkt", "WKT", "geometry", "几何", "图形", "矿区范围"),
	},
	KindClues: {
		req("clue_id", "线索编号"), req("source", "来源"), req("township", "乡镇"), f("village", "村"), f("lon", "经度"), f("lat", "纬度"),
		f("category", "类别", "问题类别", "违法类型"), req("found_on", "发现日期"), req("verdict", "核查结果"),
	},
	KindResponsibilities: {
		req("township", "乡镇", "乡（镇）"), f("village", "村", "行政村"), f("post", "职务"), req("person", "姓名"),
		req("duty_type", "责任类型", "duty"), f("grid", "网格"),
	},
	KindDuties: {
		req("problem_id", "问题编号", "item_id", "编号"), req("class", "类别", "问题类别"), req("unit", "责任单位"),
		f("person", "责任人"), f("requirement", "整改要求"), f("deadline", "整改时限"),
	},
	KindRechecks: {
		req("problem_id", "问题编号", "item_id", "编号"), req("rechecked_on", "复查日期"), f("inspector", "复查人"),
		req("result", "复查结果"), f("note", "说明", "备注"),
	},
	KindCaseStages: {
		req("case_id", "案件编号"), req("stage", "环节", "办案环节"), req("stage_on", "日期", "环节日期"), req("unit", "单位", "填报单位"),
		f("note", "备注", "说明"), f("term_months", "刑期", "刑期月", "刑期（月）"),
		f("fine_yuan", "罚金", "罚金元", "罚金（元）", "罚款金额", "罚款", "罚款元", "罚款（元）"), f("doc_no", "决定文号", "文号"),
	},
	KindRestoration: {
		req("problem_id", "问题编号", "item_id", "编号"), req("party", "责任方"), req("area_mu", "应恢复面积", "应恢复面积亩"),
		f("restored_mu", "已恢复面积", "已恢复面积亩"), req("due_on", "恢复时限"), f("accepted_on", "验收日期"),
		f("cost_yuan", "估算费用", "估算费用元"), f("paid_yuan", "已付费用", "已付费用元"), f("payer", "付款方"),
		f("note", "说明", "治理方案", "备注"),
	},
	KindExplosives: {
		req("flow_id", "流向编号"), req("buyer", "购买单位"), req("licence_id", "许可证号"), req("item", "品种"),
		req("quantity", "数量"), req("unit", "单位", "计量单位"), req("drawn_on", "领用日期"), req("site", "作业地点"),
		req("lon", "经度"), req("lat", "纬度"), f("returned", "退库数量"),
	},
	KindVideo: {
		req("event_id", "事件编号"), req("camera_id", "摄像头编号"), req("township", "乡镇"), f("village", "村"), req("lon", "经度"),
		req("lat", "纬度"), req("seen_at", "时间", "事件时间"), req("event_type", "事件类型"), req("screenshot", "截图文件名", "截图"),
		f("note", "说明", "备注"),
	},
	KindAcceptances: {
		req("problem_id", "问题编号", "item_id", "编号"), req("accepted_on", "验收日期"), req("unit", "验收单位"),
		req("inspector", "验收人"), req("result", "验收结果"), f("note", "说明", "备注"),
	},
	KindCollections: {
		req("case_id", "案件编号"), f("doc_no", "决定文号", "文号"), req("paid_on", "缴款日期", "缴款时间"),
		req("amount_yuan", "金额", "金额元", "缴款金额", "收缴金额"), req("receipt_no", "票据号", "罚没票据号", "票据编号"),
		req("fine_kind", "类型", "款项类型"), f("note", "说明", "备注"),
	},
	KindPower: {
		req("meter_id", "户号"), req("ts", "时间", "采集时间", "时段"), req("kwh", "电量", "用电量"),
	},
}

// normHeader folds a header cell for matching: no spaces or line breaks (包村干部\n签字), no
// brackets, no required-markers, lower case.
func normHeader(s string) string {
	s = NormalizeText(s)
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsSpace(r), strings.ContainsRune("()（）[]【】*:：", r):
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// stripParen drops a bracketed note: 面积（亩） → 面积.
func stripParen(s string) string {
	for _, pair := range [][2]string{{"（", "）"}, {"(", ")"}, {"[", "]"}} {
		if i := strings.Index(s, pair[0]); i > 0 {
			if j := strings.Index(s[i:], pair[1]); j > 0 {
				s = s[:i] + s[i+j+len(pair[1]):]
			}
		}
	}
	return s
}

// matcher maps normalized header text to field keys for one kind.
type Matcher struct {
	byName map[string]*Field
	fields []Field
}

func newMatcher(kind Kind) *Matcher {
	m := &Matcher{byName: map[string]*Field{}, fields: specs[kind]}
	for i := range m.fields {
		fd := &m.fields[i]
		for _, n := range append([]string{fd.Zh, fd.Key}, fd.Alt...) {
			if _, dup := m.byName[normHeader(n)]; !dup {
				m.byName[normHeader(n)] = fd
			}
		}
	}
	return m
}

func (m *Matcher) Match(header string) *Field {
	if fd, ok := m.byName[normHeader(header)]; ok {
		return fd
	}
	if fd, ok := m.byName[normHeader(stripParen(header))]; ok {
		return fd
	}
	// "户号 [meter_id]": the Chinese name followed by the English alias.
	if i := strings.IndexAny(header, "[【"); i > 0 {
		return m.byName[normHeader(header[:i])]
	}
	return nil
}

// record is one data row: contract values by field key, other columns in extra (header → text).
type Record struct {
	Row   int
	Vals  map[string]string
	Extra map[string]string
	Order []string // extra headers in file order
}

func (r *Record) Get(key string) string { return r.Vals[key] }

// header is where the header row is and which column holds which field.
type Header struct {
	Index   int // index in grid.rows
	Cols    []*Field
	Names   []string // the header text of each column (cleaned)
	Present map[string]bool
}

// findHeader picks, among the first rows, the one that names the most contract columns.
func FindHeader(g *Grid, m *Matcher) *Header {
	best, bestN := -1, 1
	limit := min(len(g.Rows), 40)
	for i := 0; i < limit; i++ {
		seen := map[string]bool{}
		for _, c := range g.Rows[i] {
			if fd := m.Match(c); fd != nil {
				seen[fd.Key] = true
			}
		}
		if len(seen) > bestN {
			best, bestN = i, len(seen)
		}
	}
	if best < 0 {
		return nil
	}
	h := &Header{Index: best, Present: map[string]bool{}}
	for _, c := range g.Rows[best] {
		fd := m.Match(c)
		if fd != nil && h.Present[fd.Key] {
			fd = nil // a second column of the same name: kept as extra
		}
		if fd != nil {
			h.Present[fd.Key] = true
		}
		h.Cols = append(h.Cols, fd)
		h.Names = append(h.Names, strings.Join(strings.Fields(NormalizeText(c)), ""))
	}
	return h
}

// footerPrefixes start the lines under a form's table (填报说明…, 填报人：…).
var footerPrefixes = []string{"填报说明", "填报人", "填表说明", "填表人", "说明：", "注：", "制表人", "审核人"}

func isFooter(row []string) bool {
	for _, c := range row {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		for _, p := range footerPrefixes {
			if strings.HasPrefix(c, p) {
				return true
			}
		}
		return false
	}
	return false
}

// records turns the rows under the header into records, skipping blank rows and stopping at the
// footer. A row with only a 序号 is a blank line of the form.
func Records(g *Grid, h *Header) []*Record {
	var out []*Record
	for i := h.Index + 1; i < len(g.Rows); i++ {
		row := g.Rows[i]
		if isFooter(row) {
			break
		}
		rec := &Record{Row: g.Nums[i], Vals: map[string]string{}, Extra: map[string]string{}}
		filled := false
		for j, c := range row {
			c = strings.TrimSpace(c)
			if c == "" || j >= len(h.Cols) {
				if c != "" && j >= len(h.Cols) {
					name := ColName(j)
					rec.Extra[name] = c
					rec.Order = append(rec.Order, name)
					filled = true
				}
				continue
			}
			if fd := h.Cols[j]; fd != nil {
				rec.Vals[fd.Key] = c
				if fd.Key != "seq" {
					filled = true
				}
			} else {
				name := h.Names[j]
				if name == "" {
					name = ColName(j)
				}
				rec.Extra[name] = c
				rec.Order = append(rec.Order, name)
				filled = true
			}
		}
		if filled {
			out = append(out, rec)
		}
	}
	return out
}

// colName is the spreadsheet letter of a column index: 0 → A.
func ColName(i int) string {
	s := ""
	for i++; i > 0; i = (i - 1) / 26 {
		s = string(rune('A'+(i-1)%26)) + s
	}
	return s
}

// lookalike returns the contract column a header that matched none resembles — one of the missing
// columns whose name (or another spelling) differs from it by a character or two, or contains it, or
// is contained in it — so that "发现的隐患" is refused as a misspelt "发现隐患" instead of being kept
// as an extra column while the real one stays empty.
func (m *Matcher) Lookalike(header string, present map[string]bool) (string, bool) {
	h := normHeader(stripParen(header))
	if len([]rune(h)) < 2 {
		return "", false
	}
	for _, fd := range m.fields {
		if present[fd.Key] {
			continue
		}
		for _, n := range append([]string{fd.Zh}, fd.Alt...) {
			nn := normHeader(n)
			d := editDistance([]rune(h), []rune(nn))
			limit := 1
			if len([]rune(nn)) >= 5 {
				limit = 2
			}
			if d <= limit || (len([]rune(nn)) >= 2 && (strings.Contains(h, nn) || strings.Contains(nn, h))) {
				return fd.Zh, true
			}
		}
	}
	return "", false
}

// editDistance is the Levenshtein distance between two rune strings.
func editDistance(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
