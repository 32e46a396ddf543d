package etl

import (
	"fmt"
	"sort"
	"strings"

	"landwatch/etl/read"
)

// DutyTypes are the 责任类型 of the responsibility register: per township its 第一责任人 (乡镇长) and
// 分管领导, per village its 直接责任人 (村支书/村委主任), 包村干部 and 监管网格员.
var DutyTypes = []string{"第一责任人", "分管领导", "直接责任人", "包村干部", "监管网格员"}

// villageDuty says which duty types belong to a village (and need the 村 column).
var villageDuty = map[string]bool{"直接责任人": true, "包村干部": true}

// RecheckResults are the results of a 回头看 re-inspection.
var RecheckResults = []string{"整改到位", "整改不实", "复发"}

// convResponsibilities reads a responsibility register (责任人名册). The file is the whole register:
// from its arrival it replaces every earlier register file (staging: known_until). A township or a
// village not in the configuration (or the villages already seen), an empty name or an unknown type
// is refused; a village of the configuration without a 包村干部, or a township without a 第一责任人,
// is a warning.
func convResponsibilities(l *loader, g *read.Grid, h *read.Header, recs []*read.Record) (*out, error) {
	o := &out{table: "raw_responsibilities", cols: []string{"source_row", "township", "village", "post", "person", "duty_type", "grid", "extra"}}
	cadre, first := map[[2]string]bool{}, map[string]bool{}
	for _, r := range recs {
		t := l.township(r.Row, "乡镇", r.Get("township"))
		typ := l.oneOf(r, "duty_type", "责任类型", true, DutyTypes...)
		person := l.required(r, "person", "姓名")
		v := strings.TrimSpace(r.Get("village"))
		var village any
		switch {
		case v != "" && t != "" && !l.villages[t][v]:
			l.p.Add(r.Row, "村", v, fmt.Sprintf("不是%s的行政村", t))
		case v != "":
			village = v
		case typ != nil && villageDuty[typ.(string)]:
			l.p.Add(r.Row, "村", "", fmt.Sprintf("%s须填写所在村", typ))
		}
		if typ == "包村干部" && village != nil {
			cadre[[2]string{t, v}] = true
		}
		if typ == "第一责任人" {
			first[t] = true
		}
		o.rows = append(o.rows, []any{r.Row, t, village, optional(r, "post"), person, typ, optional(r, "grid"), extraJSON(r)})
	}
	if len(l.p.Errs) == 0 {
		for _, t := range l.cfg.Townships {
			if !first[t.Name] {
				l.p.Warn(0, "责任类型", fmt.Sprintf("%s没有第一责任人", t.Name))
			}
			var missing []string
			for _, v := range t.Villages {
				if !cadre[[2]string{t.Name, v}] {
					missing = append(missing, v)
				}
			}
			sort.Strings(missing)
			for _, v := range missing {
				l.p.Warn(0, "包村干部", fmt.Sprintf("%s%s没有包村干部", t.Name, v))
			}
		}
	}
	return o, nil
}

// convDuties reads a 责任分解表: per ledger item its class (重点/一般), responsible unit (a configured
// unit, by full or short name; stored by full name), person, requirement, deadline and 期别 (a
// configured 常态化 period's name; blank for the campaign's items). The file is the whole table of
// each 期别 its rows name from its arrival on, like the register: a period's table leaves the
// campaign's rows in force.
func convDuties(l *loader, g *read.Grid, h *read.Header, recs []*read.Record) (*out, error) {
	o := &out{table: "raw_duties", cols: []string{"source_row", "item_id", "class", "unit", "person", "requirement", "deadline", "period", "extra"}}
	known, err := l.knownItems()
	if err != nil {
		return nil, err
	}
	seen := map[string]int{}
	for _, r := range recs {
		id := r.Get("problem_id")
		known.check(l, r.Row, id)
		if prev, dup := seen[id]; dup && id != "" {
			l.p.Add(r.Row, "问题编号", id, fmt.Sprintf("编号重复（第%d行已有）", prev))
		} else {
			seen[id] = r.Row
		}
		class := l.oneOf(r, "class", "类别", true, "重点", "一般")
		var unit any
		if s := r.Get("unit"); s == "" {
			l.p.Add(r.Row, "责任单位", "", "不能为空")
		} else if u, ok := l.cfg.Unit(s); ok {
			unit = u.Name
		} else {
			names := make([]string, len(l.cfg.Units))
			for i, u := range l.cfg.Units {
				names[i] = u.ShortName
			}
			l.p.Add(r.Row, "责任单位", s, "不是领导小组成员单位（"+strings.Join(names, "、")+"）")
		}
		o.rows = append(o.rows, []any{r.Row, id, class, unit, optional(r, "person"), optional(r, "requirement"),
			l.date(r, "deadline", "整改时限", false), l.period(r), extraJSON(r)})
	}
	return o, nil
}

// convRechecks reads 回头看 re-inspections: the item, the date, who, and the result (整改到位,
// 整改不实 — the item is reopened — or 复发 — a recurrence at the site).
func convRechecks(l *loader, g *read.Grid, h *read.Header, recs []*read.Record) (*out, error) {
	o := &out{table: "raw_rechecks", cols: []string{"source_row", "item_id", "rechecked_on", "inspector", "result", "note", "extra"}}
	known, err := l.knownItems()
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		id := r.Get("problem_id")
		known.check(l, r.Row, id)
		o.rows = append(o.rows, []any{r.Row, id, l.date(r, "rechecked_on", "复查日期", true), optional(r, "inspector"),
			l.oneOf(r, "result", "复查结果", true, RecheckResults...), optional(r, "note"), extraJSON(r)})
	}
	return o, nil
}

// period reads a 责任分解表 row's 期别: blank (the campaign) or a configured 常态化 period's name.
func (l *loader) period(r *read.Record) any {
	s := r.Get("period")
	if s == "" {
		return nil
	}
	names := make([]string, len(l.cfg.Periods))
	for i, p := range l.cfg.Periods {
		if p.Name == s {
			return s
		}
		names[i] = p.Name
	}
	msg := "不是配置的常态化期别（" + strings.Join(names, "、") + "），专项行动的事项留空"
	if len(names) == 0 {
		msg = "配置中没有常态化期别，专项行动的事项留空"
	}
	l.p.Add(r.Row, "期别", s, msg)
	return nil
}
