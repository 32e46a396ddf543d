package synth

import (
	"math"

	"landwatch/etl/synth/kit"
)

// RestorationTruth is the restoration ledger (mart_restoration) as of a day: its items, those
// accepted, by party, and 恢复土地面积 — the area restored and accepted (queries/README.md
// "Restoration"), which the public page and the briefing publish (mart_campaign_weekly.area_restored_mu
// summed over the weeks).
type RestorationTruth struct {
	AsOf       string         `json:"as_of"`
	Items      int            `json:"items"`
	Accepted   int            `json:"accepted"`
	AcceptedMu float64        `json:"accepted_mu"`
	Parties    map[string]int `json:"parties"` // items per 责任方
	PaidYuan   float64        `json:"paid_yuan"`
	CostYuan   float64        `json:"cost_yuan"`
}

// restorationTruth is the ledger as known at the end of d: each item in the row of the latest weekly
// export made by d (writeRestoration), accepted when that row states a 验收日期.
func (w *world) restorationTruth(d kit.Date) *RestorationTruth {
	items := w.restorationItems()
	var all []kit.Date
	for _, it := range items {
		all = append(all, it.p.Checked, it.start, it.accept)
	}
	var last kit.Date
	for _, s := range w.exportDays(all) {
		if s <= d {
			last = s
		}
	}
	t := &RestorationTruth{AsOf: d.String(), Parties: map[string]int{}}
	for _, it := range items {
		if last == 0 || w.WeekEnd(it.p.Checked) > last {
			continue
		}
		t.Items++
		t.Parties[it.party]++
		restored, accepted, paid := it.asOf(last)
		if accepted != 0 && accepted <= d {
			t.Accepted++
			t.AcceptedMu += restored
		}
		t.PaidYuan += paid
		t.CostYuan += it.cost
	}
	t.AcceptedMu = math.Round(t.AcceptedMu*100) / 100
	return t
}
