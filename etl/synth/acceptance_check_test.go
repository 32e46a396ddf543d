package synth_test

import (
	"slices"

	"landwatch/campaign"
)

// The checker's reading of the acceptance rule (queries/README.md "Acceptance"), from the files:
// a 重点 item of the 责任分解表 known then counts as rectified only with a 合格 acceptance by a member
// unit, dated on or after the declaration and known then; till then it is 待验收, overdue from the
// working day after its acceptance deadline; 不合格 reopens it.

type cAcceptance struct {
	item, unit, result string
	on, recv           day
}

// important reports whether the 责任分解表 known at asOf classes the item 重点 (its own row, else the
// row of its smallest other id), and the day that table arrived.
func (ds *dataset) important(it cItem, asOf day) (bool, day) {
	if ds.dutiesRecv == nil || ds.dutiesRecv.After(asOf) {
		return false, day{}
	}
	class, ok := ds.classes[it.id]
	if !ok {
		best := ""
		for _, id := range it.ids {
			if _, has := ds.classes[id]; has && (best == "" || id < best) {
				best = id
			}
		}
		class = ds.classes[best]
	}
	return class == "重点", *ds.dutiesRecv
}

// needsAcceptance: 重点 as known at asOf, or every item with acceptance.all_items.
func (ds *dataset) needsAcceptance(it cItem, asOf day, cfg *campaign.Config) bool {
	imp, _ := ds.important(it, asOf)
	return imp || cfg.Acceptance.AllItems
}

func (ds *dataset) acceptancesOf(it cItem, result string, asOf day, cfg *campaign.Config) []cAcceptance {
	var out []cAcceptance
	for _, a := range ds.acceptances {
		if a.result == result && cfg.Accepts(a.unit) && slices.Contains(it.ids, a.item) && !a.on.After(asOf) && !a.recv.After(asOf) {
			out = append(out, a)
		}
	}
	return out
}

// rejectItem moves the item's reopening to its latest 不合格 acceptance when later.
func (ds *dataset) rejectItem(it *cItem, asOf day, cfg *campaign.Config) {
	if !ds.needsAcceptance(*it, asOf, cfg) {
		return
	}
	for _, a := range ds.acceptancesOf(*it, "不合格", asOf, cfg) {
		if it.reopened == nil || a.on.After(*it.reopened) {
			on := a.on
			it.reopened = &on
		}
	}
}

// judgeItem applies the rule once the declaration (it.rectified) is known.
func (ds *dataset) judgeItem(it *cItem, asOf day, cfg *campaign.Config) {
	it.declared = it.rectified
	if it.rectified == nil || !ds.needsAcceptance(*it, asOf, cfg) {
		return
	}
	for _, a := range ds.acceptancesOf(*it, "合格", asOf, cfg) {
		if !a.on.Before(*it.rectified) {
			return
		}
	}
	start := *it.rectified
	if imp, since := ds.important(*it, asOf); imp && since.After(start) {
		start = since
	}
	due := cfg.AddWorkdays(start, cfg.Acceptance.DueWorkdays)
	it.awaiting, it.accLate, it.rectified = true, !cfg.AddWorkdays(due, 1).After(asOf), nil
}

// overdueAt: past the deadline and not rectified, or 待验收 past the acceptance deadline.
func (it cItem) overdueAt(asOf day) bool {
	if it.awaiting {
		return it.accLate
	}
	return it.deadline.Before(asOf) && it.rectified == nil
}
