package synth

import (
	"fmt"
	"path/filepath"

	"landwatch/campaign"
	"landwatch/etl/synth/kit"
)

// The finance bureau's collections (罚没款收缴, kind collections): receipts against the fines the
// chain decided (the 处罚决定 entries of stages.go, with their 文号) and the confiscations of cases
// sent to the procuratorate. By the order of the fined cases: the first of every four pays in full
// 14 days after the decision, the second pays half 21 days after and owes the rest, the third pays
// nothing, the fourth pays in two halves 10 and 40 days after; every other confiscation is paid in
// full 20 days after the case reached the procuratorate. Payments after the data end are not made.
// The finance bureau sends a file of the week's receipts at the end of each week. No random draw
// is spent.

type collection struct {
	c       *caseRec
	doc     string
	kind    string
	on      kit.Date
	amount  int64
	receipt string
}

func (w *world) collections() []collection {
	var out []collection
	add := func(c *caseRec, doc, kind string, on kit.Date, amount int64) {
		if on > w.sc.readTo || amount <= 0 {
			return
		}
		out = append(out, collection{c: c, doc: doc, kind: kind, on: on, amount: amount})
	}
	n := 0
	for _, e := range w.chainEntries() {
		if e.stage != campaign.StagePenalty || e.fine <= 0 {
			continue
		}
		switch n % 4 {
		case 0:
			add(e.c, e.doc, "罚款", e.on+14, e.fine)
		case 1:
			add(e.c, e.doc, "罚款", e.on+21, e.fine/2)
		case 3:
			add(e.c, e.doc, "罚款", e.on+10, e.fine/2)
			add(e.c, e.doc, "罚款", e.on+40, e.fine-e.fine/2)
		}
		n++
	}
	m := 0
	for _, c := range w.cases {
		if c.proc == 0 || c.confisc <= 0 || c.proc > w.sc.readTo {
			continue
		}
		if m%2 == 0 {
			add(c, "", "没收违法所得", c.proc+20, c.confisc)
		}
		m++
	}
	// receipts numbered in the order they were paid
	for i := range out {
		for j := i; j > 0 && out[j].on < out[j-1].on; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	for i := range out {
		out[i].receipt = fmt.Sprintf("晋财罚%d-%05d", w.cfg.Campaign.Year, i+1)
	}
	return out
}

// writeCollections writes the finance bureau's weekly collections files.
func (w *world) writeCollections(out string) ([]File, error) {
	by := map[kit.Date][][]string{}
	var weeks []kit.Date
	for _, c := range w.collections() {
		wk := w.weekEnd(c.on)
		if by[wk] == nil {
			weeks = append(weeks, wk)
		}
		by[wk] = append(by[wk], []string{c.c.id, c.doc, c.on.String(), fmt.Sprint(c.amount), c.receipt, c.kind, ""})
	}
	var files []File
	for _, wk := range weeks {
		rows := append([][]string{{"案件编号", "决定文号", "缴款日期", "金额", "票据号", "类型", "说明"}}, by[wk]...)
		rel := filepath.Join("collections", "罚没款收缴-"+wk.Compact()+".csv")
		if err := kit.WriteCSV(filepath.Join(out, rel), rows, true); err != nil {
			return nil, err
		}
		files = append(files, File{Path: rel, Rows: int64(len(rows) - 1), ReceivedOn: wk.String()})
	}
	return files, nil
}

// fineTruth is 罚没款 as of the end of the data (queries/README.md "Fines and confiscations"): 罚款
// decided once its 处罚决定 entry or the register shows it, 没收违法所得 once the case reached the
// procuratorate, every receipt paid by then collected.
func (w *world) fineTruth() *FineTruth {
	end := w.sc.readTo
	t := &FineTruth{AsOf: end.String()}
	decided := map[*caseRec]int64{}
	penalty := map[*caseRec]bool{}
	for _, e := range w.chainEntries() {
		if e.stage == campaign.StagePenalty && e.fine > 0 && e.on <= end {
			penalty[e.c] = true
		}
	}
	for _, c := range w.cases {
		if c.found > end {
			continue
		}
		if penalty[c] || (c.fine > 0 && (upTo(c.police, end) != 0 || upTo(caseClosed(c), end) != 0)) {
			decided[c] += c.fine
		}
		if upTo(c.proc, end) != 0 {
			decided[c] += c.confisc
		}
	}
	collected := map[*caseRec]int64{}
	for _, c := range w.collections() {
		collected[c.c] += c.amount
	}
	for _, c := range w.cases {
		t.DecidedYuan += decided[c]
		t.CollectedYuan += collected[c]
		if decided[c] > collected[c] {
			t.CasesOutstanding++
		}
	}
	t.OutstandingYuan = t.DecidedYuan - t.CollectedYuan
	return t
}
