package synth

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"

	"landwatch/etl/synth/kit"
	"landwatch/etl/synth/power"
)

func (w *world) writeForms(out string) ([]File, error) {
	var files []File
	for _, f := range w.Forms {
		rel := filepath.Join("inspection", f.FileName())
		path := filepath.Join(out, rel)
		cells := f.Cells(w.planned())
		var err error
		if f.CSV {
			err = kit.WriteGB18030CSV(path, stringify(cells))
		} else {
			err = writeFormXLSX(path, cells, len(f.Header()))
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", rel, err)
		}
		files = append(files, File{Path: rel, Rows: int64(len(f.Rows)), ReceivedOn: f.Recv.String()})
	}
	return files, nil
}

func stringify(cells [][]any) [][]string {
	out := make([][]string, len(cells))
	for i, r := range cells {
		out[i] = make([]string, len(r))
		for j, c := range r {
			switch v := c.(type) {
			case string:
				out[i][j] = v
			case int64:
				out[i][j] = fmt.Sprint(v)
			case float64:
				out[i][j] = power.FmtCoord(v)
			}
		}
	}
	return out
}

func writeFormXLSX(path string, cells [][]any, ncols int) error {
	const sheet = "排查报表"
	f, err := kit.NewWorkbook(sheet)
	if err != nil {
		return err
	}
	defer f.Close()
	last, _ := excelize.ColumnNumberToName(ncols)
	for i, r := range cells {
		for j, c := range r {
			if s, ok := c.(string); ok && s == "" {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			switch v := c.(type) {
			case float64:
				err = f.SetCellFloat(sheet, cell, v, 6, 64)
			default:
				err = f.SetCellValue(sheet, cell, v)
			}
			if err != nil {
				return err
			}
		}
	}
	if err := f.MergeCell(sheet, "A1", last+"1"); err != nil {
		return err
	}
	if err := f.MergeCell(sheet, "A2", last+"2"); err != nil {
		return err
	}
	style, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "center", Horizontal: "center"},
		Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, "A3", last+"3", style); err != nil {
		return err
	}
	title, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{Horizontal: "center"}, Font: &excelize.Font{Bold: true, Size: 16}})
	if err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, "A1", "A1", title); err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, "B", strings.Repeat("", 0)+last, 14); err != nil {
		return err
	}
	return kit.SaveWorkbook(f, path)
}
