package etl

import "landwatch/etl/read"

import "fmt"

// KindRestoration is the restoration ledger (恢复治理台账): per damaged site, named by its 问题编号 (a
// listed problem or a source record: patch, case, clue, tip, power alert), the party responsible
// (责任方: 违法者, 责任单位 or 县财政兜底), the area to restore and the area restored (亩), the
// deadline (恢复时限), the day the restoration was accepted (验收日期), the estimated and paid cost
// (元), who paid (付款方) and the plan (说明). A later file's row for an item is its version from the
// file's arrival on (a register, like the cases file); README "Input formats" describes it.
const KindRestoration Kind = "restoration"

// RestorationParties are the accepted values of 责任方: the violator restores (谁破坏谁治理), the
// responsible unit (township, village, supervising department) does, or the county budget bears it.
var RestorationParties = []string{"违法者", "责任单位", "县财政兜底"}

func convRestoration(l *loader, g *read.Grid, h *read.Header, recs []*read.Record) (*out, error) {
	o := &out{table: "raw_restoration", cols: []string{"source_row", "item_id", "party", "area_mu", "restored_mu", "due_on",
		"accepted_on", "cost_yuan", "paid_yuan", "payer", "note", "extra"},
		idTable: "raw_restoration", idField: "item_id", idCol: "问题编号", versions: true}
	known, err := l.knownItems()
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		id := r.Get("problem_id")
		known.check(l, r.Row, id)
		party := l.oneOf(r, "party", "责任方", true, RestorationParties...)
		area := l.number(r, "area_mu", "应恢复面积", true)
		if r.Get("area_mu") == "" {
			l.p.Add(r.Row, "应恢复面积", "", "不能为空")
		} else if a, ok := area.(float64); ok && a <= 0 {
			l.p.Add(r.Row, "应恢复面积", r.Get("area_mu"), "应大于 0（亩）")
		}
		restored := l.number(r, "restored_mu", "已恢复面积", true)
		if a, ok := area.(float64); ok {
			if x, ok := restored.(float64); ok && x > a {
				l.p.Add(r.Row, "已恢复面积", r.Get("restored_mu"), fmt.Sprintf("大于应恢复面积 %s 亩", r.Get("area_mu")))
			}
		}
		due := l.anyDate(r, "due_on", "恢复时限")
		var accepted any
		if r.Get("accepted_on") != "" {
			d, ok := ParseDate(r.Get("accepted_on"), 0)
			switch {
			case !ok:
				l.p.Add(r.Row, "验收日期", r.Get("accepted_on"), "不是有效日期（应写明年份）")
			case d.Before(l.cfg.Start()):
				l.p.Add(r.Row, "验收日期", r.Get("accepted_on"), "早于专项行动开始")
			default:
				accepted = d
			}
			if x, ok := restored.(float64); r.Get("restored_mu") == "" || ok && x <= 0 {
				l.p.Add(r.Row, "已恢复面积", r.Get("restored_mu"), "已填验收日期，已恢复面积应大于 0")
			}
		}
		cost := l.number(r, "cost_yuan", "估算费用", true)
		paid := l.number(r, "paid_yuan", "已付费用", true)
		if c, ok := cost.(float64); ok {
			if p, ok := paid.(float64); ok && p > c {
				l.p.Add(r.Row, "已付费用", r.Get("paid_yuan"), fmt.Sprintf("大于估算费用 %s 元（超支请先更新估算费用）", r.Get("cost_yuan")))
			}
		}
		payer := optional(r, "payer")
		if p, _ := paid.(float64); p > 0 && payer == nil {
			l.p.Add(r.Row, "付款方", "", "已付费用大于 0，应写明付款方")
		}
		o.rows = append(o.rows, []any{r.Row, optional(r, "problem_id"), party, area, restored, due, accepted, cost, paid, payer,
			optional(r, "note"), extraJSON(r)})
		o.ids, o.idRows = append(o.ids, id), append(o.idRows, r.Row)
	}
	return o, nil
}
