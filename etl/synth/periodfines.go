package synth

import (
	"landwatch/campaign"
	"landwatch/etl/synth/county"
)

// periodFineTruth is 罚没款 as of the end of the first 常态化 period (queries/README.md "Fines and
// confiscations", mart_fines): the campaign's cases as the end of the data left them (their register
// and receipts stop there: fineTruth), plus the period's cases (periodwork.go) — 罚款 decided by its
// 处罚决定 entry, 没收违法所得 once the case reached the procuratorate, 罚金 by the 判决 entry — against
// the finance bureau's receipts of the period. A case owes some when any of its kinds is not fully
// collected.
func (w *world) periodFineTruth() *FineTruth {
	t := w.fineTruth()
	if w.Per == nil {
		return t
	}
	end := w.Per.Span.End
	t.AsOf = end.String()
	type key struct {
		c    *county.CaseRec
		kind string
	}
	decided, collected := map[key]int64{}, map[key]int64{}
	for _, e := range w.Per.Stages {
		if e.Fine <= 0 || e.On > end {
			continue
		}
		switch e.Stage {
		case campaign.StagePenalty:
			decided[key{e.C, "罚款"}] += e.Fine
		case campaign.StageJudged:
			decided[key{e.C, "罚金"}] += e.Fine
		}
	}
	for _, c := range w.Per.Cases {
		if c.Found <= end && upTo(c.Proc, end) != 0 && c.Confisc > 0 {
			decided[key{c, "没收违法所得"}] += c.Confisc
		}
	}
	for _, c := range w.Per.Colls {
		if c.On <= end {
			collected[key{c.C, c.Kind}] += c.Amount
		}
	}
	for _, c := range w.Per.Cases {
		owes := false
		for _, kind := range []string{"罚款", "没收违法所得", "罚金"} {
			k := key{c, kind}
			t.DecidedYuan += decided[k]
			t.CollectedYuan += collected[k]
			owes = owes || decided[k] > collected[k]
		}
		if owes {
			t.CasesOutstanding++
		}
	}
	t.OutstandingYuan = t.DecidedYuan - t.CollectedYuan
	return t
}
