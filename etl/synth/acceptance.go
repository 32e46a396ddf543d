package synth

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"landwatch/etl/synth/kit"
)

// Independent acceptance (验收, kind acceptances; queries/README.md "Acceptance"): a 重点 item of the
// 责任分解表 — in the synthetic county every violation item — counts as rectified only once its
// category's accepting unit accepts it. The accepting units accept most declarations on the day the
// county learns of them (or of the item's being 重点, when later), so no figure moves; of the 重点
// items declared done, in id order, the first is found 不合格 three working days after the
// declaration (it is reopened like 整改不实), the second is never accepted (待验收 for ten working days,
// then 整改不到位 未验收), and the third and fourth are accepted six working days after it (待验收 in
// between). The records come in one file per day they arrive. No random draw is spent, so nothing
// else changes.

type acceptanceRec struct {
	item, unit, inspector, result, note string
	day, recv                           kit.Date
}

type acceptancePlan struct {
	recs []acceptanceRec
}

// acceptanceInspectors are the people the accepting units send (by short name).
var acceptanceInspectors = map[string]string{"自然资源": "郭永强", "生态环境": "韩志强"}

// planAcceptances plans the acceptance records, after the 责任分解表 (planChain).
func (w *world) planAcceptances() {
	p := &acceptancePlan{}
	end := w.sc.readTo
	e := w.evaluate(end) // the rule is not applied yet: these are the township's declarations
	cats := map[string]string{}
	for _, v := range e.violations {
		for _, m := range v.members {
			if m.cat != "" && m.channel != "卫片" { // a patch carries no category (int_violation_records)
				cats[v.primary().id] = m.cat
				break
			}
		}
	}
	var items []*ledgerItem
	for _, it := range e.ledger {
		if it.rectified != 0 && w.chain.dutyClass(it.id, it.ids, end) == "重点" {
			items = append(items, it)
		}
	}
	slices.SortFunc(items, func(a, b *ledgerItem) int { return strings.Compare(a.id, b.id) })
	n := w.cfg.Acceptance.DueWorkdays
	for k, it := range items {
		recv := it.rectified
		for _, t := range w.towns {
			for _, r := range t.rects {
				if r.item == it.id && r.status == "已整改" && r.day == it.rectified {
					recv = max(recv, r.recv)
				}
			}
		}
		unit := w.cfg.AcceptingUnit(cats[it.id])
		start := max(it.rectified, w.chain.dutiesRecv)
		rec := acceptanceRec{item: it.id, unit: unit.Name, inspector: acceptanceInspectors[unit.ShortName], result: "合格",
			note: "现场核查，已恢复原状", day: start, recv: max(recv, w.chain.dutiesRecv)}
		if rec.inspector == "" {
			rec.inspector = "验收组"
		}
		switch k {
		case 0:
			rec.result, rec.note = "不合格", "现场仍有违法建筑未拆除，验收不合格"
			rec.day = w.addWorkdays(start, min(3, n))
		case 1:
			continue // never accepted
		case 2, 3:
			rec.day = w.addWorkdays(start, min(6, n))
		}
		rec.recv = max(rec.recv, rec.day)
		p.recs = append(p.recs, rec)
	}
	w.acc = p
}

func (w *world) addWorkdays(d kit.Date, n int) kit.Date {
	return kit.MkDate(w.cfg.AddWorkdays(d.Time(), n))
}

// dutyClass is the item's 类别 in the 责任分解表 known at the end of d, or "": the row naming the item
// itself, else the row naming the smallest of its other ids.
func (c *chainPlan) dutyClass(id string, others []string, d kit.Date) string {
	if c == nil || c.dutiesRecv == 0 || c.dutiesRecv > d {
		return ""
	}
	var best *duty
	for i, x := range c.duties {
		switch {
		case x.item == id:
			return x.class
		case slices.Contains(others, x.item) && (best == nil || x.item < best.item):
			best = &c.duties[i]
		}
	}
	if best != nil {
		return best.class
	}
	return ""
}

// needsAcceptance: the item is 重点 as known at the end of d (or every item needs acceptance).
func (w *world) needsAcceptance(it *ledgerItem, d kit.Date) bool {
	if w.acc == nil {
		return false
	}
	return w.cfg.Acceptance.AllItems || w.chain.dutyClass(it.id, it.ids, d) == "重点"
}

// known lists the item's acceptance records of the result, dated and received by the end of d.
func (p *acceptancePlan) known(it *ledgerItem, result string, d kit.Date) []acceptanceRec {
	var out []acceptanceRec
	for _, r := range p.recs {
		if r.result == result && r.day <= d && r.recv <= d && (r.item == it.id || slices.Contains(it.ids, r.item)) {
			out = append(out, r)
		}
	}
	return out
}

// rejected is the latest 不合格 acceptance of an item that needs acceptance, known by d, or 0.
func (w *world) rejected(it *ledgerItem, d kit.Date) kit.Date {
	if !w.needsAcceptance(it, d) {
		return 0
	}
	var best kit.Date
	for _, r := range w.acc.known(it, "不合格", d) {
		best = max(best, r.day)
	}
	return best
}

// judgeAcceptance applies the rule to an item whose declared rectification (it.rectified, after
// reopenings) is known: without a 合格 acceptance dated on or after it the item is 待验收, not
// rectified, and overdue (未验收) from the working day after its acceptance deadline.
func (w *world) judgeAcceptance(it *ledgerItem, d kit.Date) {
	it.declared = it.rectified
	if it.rectified == 0 || !w.needsAcceptance(it, d) {
		return
	}
	for _, r := range w.acc.known(it, "合格", d) {
		if r.day >= it.rectified {
			return
		}
	}
	start := it.rectified
	if w.chain.dutyClass(it.id, it.ids, d) == "重点" {
		start = max(start, w.chain.dutiesRecv)
	}
	it.accDue = w.addWorkdays(start, w.cfg.Acceptance.DueWorkdays)
	it.accLate = w.addWorkdays(it.accDue, 1) <= d
	it.awaiting, it.rectified, it.status = true, 0, "待验收"
}

// overdue: 整改不到位 as of d — past the deadline and not rectified, or 待验收 past its acceptance
// deadline (未验收).
func (it *ledgerItem) overdue(d kit.Date) bool {
	if it.awaiting {
		return it.accLate
	}
	return it.deadline < d && it.rectified == 0
}

// writeAcceptances writes the acceptance records, one file per day of arrival.
func (w *world) writeAcceptances(out string) ([]File, error) {
	if w.acc == nil {
		return nil, nil
	}
	byDay := map[kit.Date][][]any{}
	var days []kit.Date
	for _, r := range w.acc.recs {
		if _, ok := byDay[r.recv]; !ok {
			days = append(days, r.recv)
		}
		byDay[r.recv] = append(byDay[r.recv], []any{r.item, r.day.String(), r.unit, r.inspector, r.result, r.note})
	}
	slices.Sort(days)
	var files []File
	for _, d := range days {
		rel := filepath.Join("acceptance", fmt.Sprintf("整改验收-%s.xlsx", d.Compact()))
		if err := kit.WriteTable(filepath.Join(out, rel), "整改验收", []string{"问题编号", "验收日期", "验收单位", "验收人", "验收结果", "说明"}, byDay[d]); err != nil {
			return nil, err
		}
		files = append(files, File{Path: rel, Rows: int64(len(byDay[d])), ReceivedOn: d.String()})
	}
	return files, nil
}
