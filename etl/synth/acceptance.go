package synth

import (
	"fmt"
	"path/filepath"
	"slices"

	"landwatch/etl/synth/kit"
)

// writeAcceptances writes the acceptance records, one file per day of arrival.
func (w *world) writeAcceptances(out string) ([]File, error) {
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
