package etl

import "landwatch/etl/read"

import "strings"

// KindAcceptances is the acceptance record (验收) of rectified ledger items: per item (问题编号, a
// listed problem or a source record), the day (验收日期), the accepting member unit (验收单位, a
// unit that accepts some category, by full or short name — never a township: acceptance is by a unit
// outside it), the
// person (验收人), the result (验收结果: 合格, or 不合格 — which reopens the item, and needs its 说明)
// and a note (说明). README "Input formats" describes it; queries/intermediate/int_ledger_items.sql
// applies it.
const KindAcceptances Kind = "acceptances"

// AcceptanceResults are the values of 验收结果.
var AcceptanceResults = []string{"合格", "不合格"}

func convAcceptances(l *loader, g *read.Grid, h *read.Header, recs []*read.Record) (*out, error) {
	o := &out{table: "raw_acceptances", cols: []string{"source_row", "item_id", "accepted_on", "unit", "inspector", "result", "note", "extra"}}
	known, err := l.knownItems()
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		id := r.Get("problem_id")
		known.check(l, r.Row, id)
		on := l.date(r, "accepted_on", "验收日期", true)
		unit := l.acceptingUnit(r)
		inspector := l.required(r, "inspector", "验收人")
		result := l.oneOf(r, "result", "验收结果", true, AcceptanceResults...)
		note := optional(r, "note")
		if result == "不合格" && note == nil {
			l.p.Add(r.Row, "说明", "", "验收不合格须写明原因")
		}
		o.rows = append(o.rows, []any{r.Row, id, on, unit, inspector, result, note, extraJSON(r)})
	}
	return o, nil
}

// acceptingUnit reads 验收单位: a configured member unit that accepts some category ([acceptance];
// stored by its full name). A township, another unit, or anything else is refused with the units that
// may accept; which of them accepts an item is the models' (its category's accepting unit).
func (l *loader) acceptingUnit(r *read.Record) any {
	s := strings.TrimSpace(r.Get("unit"))
	if s == "" {
		l.p.Add(r.Row, "验收单位", "", "不能为空")
		return nil
	}
	accepting := strings.Join(l.cfg.AcceptingUnits(), "、")
	u, ok := l.cfg.Unit(s)
	if ok && l.cfg.Accepts(u.Name) {
		return u.Name
	}
	why := "不是领导小组成员单位，验收单位应为" + accepting
	switch _, town := l.cfg.Township(s); {
	case ok:
		why = "不负责整改验收，验收单位应为" + accepting
	case town || strings.HasSuffix(s, "镇") || strings.HasSuffix(s, "乡"):
		why = "乡镇不能验收本乡镇的整改，验收单位应为" + accepting
	}
	l.p.Add(r.Row, "验收单位", s, why)
	return nil
}
