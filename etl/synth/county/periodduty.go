package county

import (
	"slices"
	"strings"

	"landwatch/etl/synth/kit"
)

// PlanPeriodDuties adds the 责任分解表 of the first 常态化 period, received on recv (written by
// etl/synth/periodwork.go with its 期别): a row for every item of the ledger known at the end of
// recv that was reported (or first seen) in the period, assigned by duty like the campaign's
// (planChain: a unit whose duty covers the item's category, alternating between the units that
// share one; 重点 a violation, 一般 a problem), its 整改时限 the period's rectification deadline
// (the item's default, so no deadline moves). The campaign's rows stay in force: a file is the
// whole table of its own 期别 only.
func (w *World) PlanPeriodDuties(recv kit.Date) {
	if w.Per == nil || w.Chain == nil {
		return
	}
	sp := w.Per.Span
	e := w.Evaluate(recv)
	cats := map[string]string{}
	for _, f := range w.Per.Forms {
		for _, r := range f.Rows {
			if r.Problem {
				cat := r.Cat
				if cat == "" {
					cat = catOfHazard(r.Hazard)
				}
				cats[f.ProblemID(r)] = cat
			}
		}
	}
	for _, v := range e.Violations {
		// the first member's category that states one, a patch's only when no other member has one
		// (queries/intermediate/int_violations.sql)
		cat := ""
		for _, m := range v.Members {
			if cat == "" && m.Cat != "" && m.Channel != "卫片" {
				cat = m.Cat
			}
		}
		for _, m := range v.Members {
			if cat == "" && m.Cat != "" {
				cat = m.Cat
			}
		}
		cats[v.Primary().ID] = cat
	}
	var items []*ledgerItem
	for _, it := range e.Ledger {
		if sp.Start <= it.appear && it.appear <= sp.End {
			items = append(items, it)
		}
	}
	slices.SortFunc(items, func(a, b *ledgerItem) int { return strings.Compare(a.ID, b.ID) })
	shared := map[string]int{}
	for k, it := range items {
		d := w.dutyOf(it, k, cats[it.ID], shared)
		d.Deadline, d.Period, d.Recv = w.Per.RectifyBy, sp.Name, recv
		w.Chain.Duties = append(w.Chain.Duties, d)
	}
}

// dutyOf is the 责任分解表 row of the k-th item of a table, by duty: a violation is 重点, a problem
// 一般; the unit is the next of the units whose duties cover the item's category cat, taken in turn
// (shared counts the items of each category so far); the person is that unit's, the requirement
// the k-th. The caller sets the deadline, the 期别 and the arrival.
func (w *World) dutyOf(it *ledgerItem, k int, cat string, shared map[string]int) duty {
	class := "一般"
	if it.Kind == "violation" {
		class = "重点"
	}
	units := w.UnitsFor(cat)
	short := units[shared[cat]%len(units)]
	shared[cat]++
	unit, _ := w.Cfg.Unit(short)
	return duty{Item: it.ID, Class: class, Unit: unit.Name, Person: w.dutyPerson(short), Req: dutyRequirements[k%len(dutyRequirements)]}
}

// DutyRow is a row of the 责任分解表 as its file writes it.
type DutyRow struct {
	Item, Class, Unit, Person, Req, Period string
	Deadline, Recv                         kit.Date
}

// PeriodDuties are the rows of the 责任分解表 of 期别 period (a configured period's name).
func (w *World) PeriodDuties(period string) []DutyRow {
	if w.Chain == nil || period == "" {
		return nil
	}
	var out []DutyRow
	for _, d := range w.Chain.Duties {
		if d.Period == period {
			out = append(out, DutyRow{Item: d.Item, Class: d.Class, Unit: d.Unit, Person: d.Person, Req: d.Req, Period: d.Period,
				Deadline: d.Deadline, Recv: d.Recv})
		}
	}
	return out
}
