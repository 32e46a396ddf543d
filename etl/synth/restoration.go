package synth

import (
	"fmt"
	"math"
	"path/filepath"

	"landwatch/etl/synth/county"
	"landwatch/etl/synth/kit"
)

// The restoration ledger (恢复治理台账, kind restoration): 自然资源 keeps one row per illegal imagery
// patch that damaged land (verdict 违法, an area), from the week the patch was checked. 谁破坏谁治理:
// the violator restores half of them; the county budget bears every fourth (县财政兜底) and the
// responsible unit (the township) every fourth after the second. Of each three, one is restored
// and accepted three weeks after the check (paid in full by its payer), one is half done (half
// paid), one not started; the deadline is 120 days after the check (45 for every seventh, which is
// missed). The ledger is exported weekly,
// cumulative, each row as it stood that Sunday (a later export is the rows' newer version). No
// random draw is spent, so nothing else changes.

type restorationItem struct {
	p                  *county.Patch
	party, payer, plan string
	area, cost         float64
	due, start, accept kit.Date // start: work begins (0: not started); accept: accepted (0: never)
}

func (w *world) restorationItems() []restorationItem {
	var out []restorationItem
	i := 0
	for _, p := range w.Patches {
		if p.Verdict != "违法" || p.Checked == 0 || p.AreaMu <= 0 || p.Checked > w.Scale.ReadTo {
			continue
		}
		it := restorationItem{p: p, area: math.Round(p.AreaMu*100) / 100, due: p.Checked + 120}
		if i%7 == 5 {
			it.due = p.Checked + 45 // a short deadline, missed
		}
		switch i % 4 {
		case 3:
			it.party, it.payer = "县财政兜底", "县财政局"
		case 2:
			it.party, it.payer = "责任单位", p.Town.Name+"人民政府"
		default:
			it.party, it.payer = "违法者", "违法者"
		}
		it.cost = math.Round(it.area*12000/100) * 100
		switch i % 3 {
		case 0:
			it.start, it.accept = p.Checked+7, p.Checked+21
		case 1:
			it.start = p.Checked + 7
		}
		it.plan = fmt.Sprintf("%s后复垦，覆土平整", p.Change)
		out = append(out, it)
		i++
	}
	return out
}

// restorationAsOf is an item's row in the export made on s: area restored, accepted day, paid.
func (it restorationItem) asOf(s kit.Date) (restored float64, accepted kit.Date, paid float64) {
	switch {
	case it.accept != 0 && it.accept <= s:
		return it.area, it.accept, it.cost
	case it.start != 0 && it.start <= s:
		return math.Round(it.area*50) / 100, 0, math.Round(it.cost/200) * 100
	}
	return 0, 0, 0
}

// writeRestoration writes 自然资源's weekly restoration ledgers.
func (w *world) writeRestoration(out string) ([]File, error) {
	items := w.restorationItems()
	var all []kit.Date
	for _, it := range items {
		all = append(all, it.p.Checked, it.start, it.accept)
	}
	header := []string{"问题编号", "责任方", "应恢复面积（亩）", "已恢复面积（亩）", "恢复时限", "验收日期", "估算费用（元）", "已付费用（元）", "付款方", "说明"}
	var files []File
	for _, s := range w.exportDays(all) {
		var rows [][]any
		for _, it := range items {
			if w.WeekEnd(it.p.Checked) > s {
				continue
			}
			restored, accepted, paid := it.asOf(s)
			payer := ""
			if paid > 0 {
				payer = it.payer
			}
			rows = append(rows, []any{it.p.ID, it.party, it.area, blankZero(restored), it.due.String(), dstr(accepted), it.cost,
				blankZero(paid), payer, it.plan})
		}
		if len(rows) == 0 {
			continue
		}
		rel := filepath.Join("restoration", "恢复治理台账-"+s.Compact()+".xlsx")
		if err := kit.WriteTable(filepath.Join(out, rel), "恢复治理台账", header, rows); err != nil {
			return nil, err
		}
		files = append(files, File{Path: rel, Rows: int64(len(rows)), ReceivedOn: s.String()})
	}
	return files, nil
}

func blankZero(v float64) any {
	if v == 0 {
		return ""
	}
	return v
}
