package synth

import (
	"fmt"
	"path/filepath"

	"landwatch/campaign"
	"landwatch/etl/synth/county"
	"landwatch/etl/synth/kit"
)

// The finance bureau's collections (罚没款收缴, kind collections): receipts against the fines the
// chain decided (the 处罚决定 entries of chain/stages.go, with their 文号) and the confiscations of cases
// sent to the procuratorate. By the order of the fined cases: the first of every four pays in full
// 14 days after the decision, the second pays half 21 days after and owes the rest, the third pays
// nothing, the fourth pays in two halves 10 and 40 days after; every other confiscation is paid in
// full 20 days after the case reached the procuratorate. Payments after the data end are not made.
// The finance bureau sends a file of the week's receipts at the end of each week. No random draw
// is spent.

func (w *world) collections() []county.Collection {
	var out []county.Collection
	add := func(c *county.CaseRec, doc, kind string, on kit.Date, amount int64) {
		if on > w.Scale.ReadTo || amount <= 0 {
			return
		}
		out = append(out, county.Collection{C: c, Doc: doc, Kind: kind, On: on, Amount: amount})
	}
	n := 0
	for _, e := range w.ChainEntries() {
		if e.Stage != campaign.StagePenalty || e.Fine <= 0 {
			continue
		}
		switch n % 4 {
		case 0:
			add(e.C, e.Doc, "罚款", e.On+14, e.Fine)
		case 1:
			add(e.C, e.Doc, "罚款", e.On+21, e.Fine/2)
		case 3:
			add(e.C, e.Doc, "罚款", e.On+10, e.Fine/2)
			add(e.C, e.Doc, "罚款", e.On+40, e.Fine-e.Fine/2)
		}
		n++
	}
	m := 0
	for _, c := range w.Cases {
		if c.Proc == 0 || c.Confisc <= 0 || c.Proc > w.Scale.ReadTo {
			continue
		}
		if m%2 == 0 {
			add(c, "", "没收违法所得", c.Proc+20, c.Confisc)
		}
		m++
	}
	// receipts numbered in the order they were paid
	for i := range out {
		for j := i; j > 0 && out[j].On < out[j-1].On; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	for i := range out {
		out[i].Receipt = fmt.Sprintf("晋财罚%d-%05d", w.Cfg.Campaign.Year, i+1)
	}
	return out
}

// writeCollections writes the finance bureau's weekly collections files.
func (w *world) writeCollections(out string) ([]File, error) {
	return writeCollectionFiles(out, w.collections(), w.WeekEnd)
}

// writeCollectionFiles writes receipts as the finance bureau sends them: a csv per week, the week
// of a receipt being week(its day).
func writeCollectionFiles(out string, colls []county.Collection, week func(kit.Date) kit.Date) ([]File, error) {
	by := map[kit.Date][][]string{}
	var weeks []kit.Date
	for _, c := range colls {
		wk := week(c.On)
		if by[wk] == nil {
			weeks = append(weeks, wk)
		}
		by[wk] = append(by[wk], []string{c.C.ID, c.Doc, c.On.String(), fmt.Sprint(c.Amount), c.Receipt, c.Kind, ""})
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
	end := w.Scale.ReadTo
	t := &FineTruth{AsOf: end.String()}
	decided := map[*county.CaseRec]int64{}
	penalty := map[*county.CaseRec]bool{}
	for _, e := range w.ChainEntries() {
		if e.Stage == campaign.StagePenalty && e.Fine > 0 && e.On <= end {
			penalty[e.C] = true
		}
	}
	for _, c := range w.Cases {
		if c.Found > end {
			continue
		}
		if penalty[c] || (c.Fine > 0 && (upTo(c.Police, end) != 0 || upTo(county.CaseClosed(c), end) != 0)) {
			decided[c] += c.Fine
		}
		if upTo(c.Proc, end) != 0 {
			decided[c] += c.Confisc
		}
	}
	collected := map[*county.CaseRec]int64{}
	for _, c := range w.collections() {
		collected[c.C] += c.Amount
	}
	for _, c := range w.Cases {
		t.DecidedYuan += decided[c]
		t.CollectedYuan += collected[c]
		if decided[c] > collected[c] {
			t.CasesOutstanding++
		}
	}
	t.OutstandingYuan = t.DecidedYuan - t.CollectedYuan
	return t
}
