package chain

import (
	"fmt"
	"path/filepath"
	"slices"

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

// WriteAcceptances writes the acceptance records, one file per day of arrival.
func (w *World) WriteAcceptances(out string) ([]kit.File, error) {
	if w.Acc == nil {
		return nil, nil
	}
	byDay := map[kit.Date][][]any{}
	var days []kit.Date
	for _, r := range w.Acc.Recs {
		if _, ok := byDay[r.Recv]; !ok {
			days = append(days, r.Recv)
		}
		byDay[r.Recv] = append(byDay[r.Recv], []any{r.Item, r.Day.String(), r.Unit, r.Inspector, r.Result, r.Note})
	}
	slices.Sort(days)
	var files []kit.File
	for _, d := range days {
		rel := filepath.Join("acceptance", fmt.Sprintf("整改验收-%s.xlsx", d.Compact()))
		if err := kit.WriteTable(filepath.Join(out, rel), "整改验收", []string{"问题编号", "验收日期", "验收单位", "验收人", "验收结果", "说明"}, byDay[d]); err != nil {
			return nil, err
		}
		files = append(files, kit.File{Path: rel, Rows: int64(len(byDay[d])), ReceivedOn: d.String()})
	}
	return files, nil
}
