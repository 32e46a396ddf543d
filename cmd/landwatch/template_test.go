package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestTemplateCommand: `landwatch template KIND --out FILE` writes the kind's workbook (header and
// an example row) and refuses an unknown kind in Chinese.
func TestTemplateCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "案件.xlsx")
	stdout, errs, code := lw(t, "template", "cases", "--out", out)
	if code != 0 || !strings.Contains(stdout, "已写出案件台账模板") {
		t.Fatalf("template: %d %s %s", code, stdout, errs)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(f.GetSheetList()[0])
	if len(rows) != 2 || rows[0][0] != "案件编号" || rows[1][0] == "" {
		t.Errorf("rows %q", rows)
	}
	if _, errs, code := lw(t, "template", "nosuch", "--out", out); code != 2 || !strings.Contains(errs, "没有“nosuch”这类报表的模板") {
		t.Errorf("unknown kind: %d %s", code, errs)
	}
}
