package read

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// A workbook without the parts ReadXLSX does not read (lean) reads as the whole workbook does:
// every sheet, cell and merged range of every xlsx under testdata, and of workbooks with number
// formats, dates, booleans, formulas and a merged range written here.
func TestLeanReadsAsWhole(t *testing.T) {
	var files []string
	filepath.WalkDir(filepath.Join("..", "..", "testdata"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".xlsx") {
			files = append(files, p)
		}
		return nil
	})
	f := excelize.NewFile()
	f.SetSheetRow("Sheet1", "A1", &[]any{"日期", "金额", "是否", "公式"})
	f.SetSheetRow("Sheet1", "A2", &[]any{"2023-03-05", 1234.5, true, nil})
	f.SetCellFormula("Sheet1", "D2", "B2*2")
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	f.SetCellValue("Sheet1", "A3", 45000)
	f.SetCellStyle("Sheet1", "A3", "B3", style)
	f.MergeCell("Sheet1", "A4", "C5")
	f.SetCellValue("Sheet1", "A4", "合并")
	made := filepath.Join(t.TempDir(), "formats.xlsx")
	if err := f.SaveAs(made); err != nil {
		t.Fatal(err)
	}
	files = append(files, made)
	if len(files) < 10 {
		t.Fatalf("only %d workbooks", len(files))
	}
	shrunk := 0
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if len(lean(data)) < len(data) {
			shrunk++
		}
		leanPart = lean
		a, errA := ReadXLSX(filepath.Base(p), data)
		leanPart = func(b []byte) []byte { return b }
		b, errB := ReadXLSX(filepath.Base(p), data)
		leanPart = lean
		if (errA == nil) != (errB == nil) || !reflect.DeepEqual(a, b) {
			t.Errorf("%s: lean %v (%v), whole %v (%v)", p, a, errA, b, errB)
		}
	}
	if shrunk == 0 {
		t.Error("no workbook had a part to leave out")
	}
}
