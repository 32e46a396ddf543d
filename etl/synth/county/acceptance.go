package county

import (
	"slices"
	"strings"

	"landwatch/etl/synth/kit"
)

// What is planned here is written and described in etl/synth/chain/acceptance.go.

type acceptanceRec struct {
	Item, Unit, Inspector, Result, Note string
	Day, Recv                           kit.Date
}

type acceptancePlan struct {
	Recs []acceptanceRec
}

// acceptanceInspectors are the people the accepting units send (by short name).
var acceptanceInspectors = map[string]string{"自然资源": "郭永强", "生态环境": "韩志强"}

// planAcceptances plans the acceptance records, after the 责任分解表 (planChain).
func (w *World) planAcceptances() {
	p := &acceptancePlan{}
	end := w.Scale.ReadTo
	e := w.Evaluate(end) // the rule is not applied yet: these are the township's declarations
	cats := map[string]string{}
	for _, v := range e.Violations {
		for _, m := range v.Members {
			if m.Cat != "" && m.Channel != "卫片" { // a patch carries no category (int_violation_records)
				cats[v.Primary().ID] = m.Cat
				break
			}
		}
	}
	var items []*ledgerItem
	for _, it := range e.Ledger {
		if it.Rectified != 0 && w.Chain.dutyClass(it.ID, it.ids, end) == "重点" {
			items = append(items, it)
		}
	}
	slices.SortFunc(items, func(a, b *ledgerItem) int { return strings.Compare(a.ID, b.ID) })
	n := w.Cfg.Acceptance.DueWorkdays
	for k, it := range items {
		recv := it.Rectified
		for _, t := range w.Towns {
			for _, r := range t.Rects {
				if r.Item == it.ID && r.Status == "已整改" && r.Day == it.Rectified {
					recv = max(recv, r.Recv)
				}
			}
		}
		unit := w.Cfg.AcceptingUnit(cats[it.ID])
		start := max(it.Rectified, w.Chain.DutiesRecv)
		rec := acceptanceRec{Item: it.ID, Unit: unit.Name, Inspector: acceptanceInspectors[unit.ShortName], Result: "合格",
			Note: "现场核查，已恢复原状", Day: start, Recv: max(recv, w.Chain.DutiesRecv)}
		if rec.Inspector == "" {
			rec.Inspector = "验收组"
		}
		switch k {
		case 0:
			rec.Result, rec.Note = "不合格", "现场仍有违法建筑未拆除，验收不合格"
			rec.Day = w.AddWorkdays(start, min(3, n))
		case 1:
			continue // never accepted
		case 2, 3:
			rec.Day = w.AddWorkdays(start, min(6, n))
		}
		rec.Recv = max(rec.Recv, rec.Day)
		p.Recs = append(p.Recs, rec)
	}
	w.Acc = p
}

func (w *World) AddWorkdays(d kit.Date, n int) kit.Date {
	return kit.MkDate(w.Cfg.AddWorkdays(d.Time(), n))
}

// dutyClass is the item's 类别 in the 责任分解表 known at the end of d, or "" (dutyRow).
func (c *chainPlan) dutyClass(id string, others []string, d kit.Date) string {
	if x := c.dutyRow(id, others, d); x != nil {
		return x.Class
	}
	return ""
}

// needsAcceptance: the item is 重点 as known at the end of d (or every item needs acceptance).
func (w *World) needsAcceptance(it *ledgerItem, d kit.Date) bool {
	if w.Acc == nil {
		return false
	}
	return w.Cfg.Acceptance.AllItems || w.Chain.dutyClass(it.ID, it.ids, d) == "重点"
}

// known lists the item's acceptance records of the result, dated and received by the end of d.
func (p *acceptancePlan) known(it *ledgerItem, result string, d kit.Date) []acceptanceRec {
	var out []acceptanceRec
	for _, r := range p.Recs {
		if r.Result == result && r.Day <= d && r.Recv <= d && (r.Item == it.ID || slices.Contains(it.ids, r.Item)) {
			out = append(out, r)
		}
	}
	return out
}

// rejected is the latest 不合格 acceptance of an item that needs acceptance, known by d, or 0.
func (w *World) rejected(it *ledgerItem, d kit.Date) kit.Date {
	if !w.needsAcceptance(it, d) {
		return 0
	}
	var best kit.Date
	for _, r := range w.Acc.known(it, "不合格", d) {
		best = max(best, r.Day)
	}
	return best
}

// judgeAcceptance applies the rule to an item whose declared rectification (it.rectified, after
// reopenings) is known: without a 合格 acceptance dated on or after it the item is 待验收, not
// rectified, and overdue (未验收) from the working day after its acceptance deadline.
func (w *World) judgeAcceptance(it *ledgerItem, d kit.Date) {
	it.Declared = it.Rectified
	if it.Rectified == 0 || !w.needsAcceptance(it, d) {
		return
	}
	for _, r := range w.Acc.known(it, "合格", d) {
		if r.Day >= it.Rectified {
			return
		}
	}
	start := it.Rectified
	if x := w.Chain.dutyRow(it.ID, it.ids, d); x != nil && x.Class == "重点" {
		start = max(start, x.Recv) // the first day the item was known as 重点
	}
	it.accDue = w.AddWorkdays(start, w.Cfg.Acceptance.DueWorkdays)
	it.AccLate = w.AddWorkdays(it.accDue, 1) <= d
	it.Awaiting, it.Rectified, it.Status = true, 0, "待验收"
}

// Overdue: 整改不到位 as of d — past the deadline and not rectified, or 待验收 past its acceptance
// deadline (未验收).
func (it *ledgerItem) Overdue(d kit.Date) bool {
	if it.Awaiting {
		return it.AccLate
	}
	return it.Deadline < d && it.Rectified == 0
}
