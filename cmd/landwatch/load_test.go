package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadCommand(t *testing.T) {
	db := initDB(t)
	meters := filepath.Join("..", "..", "testdata", "etl", "用电户档案.csv")
	out, errs, code := lw(t, "--db", db, "load", "meters", meters)
	if code != 0 || !strings.Contains(out, "用电户档案.csv【用电户档案】：批次 1，3 行") {
		t.Fatalf("load: %d\n%s\n%s", code, out, errs)
	}
	out, _, code = lw(t, "--db", db, "load", "meters", meters)
	if code != 0 || !strings.Contains(out, "已导入过（批次 1），未做改动") {
		t.Fatalf("reload: %d %s", code, out)
	}
	form := filepath.Join("..", "..", "testdata", "etl", "郭道镇排查表.xlsx")
	corrected := filepath.Join("..", "..", "testdata", "etl", "郭道镇排查表-更正.xlsx")
	out, errs, code = lw(t, "--db", db, "load", "inspection", form, corrected)
	if code != 0 || !strings.Contains(out, "替换批次 2") {
		t.Fatalf("corrected form: %d\n%s\n%s", code, out, errs)
	}
	bad := filepath.Join(t.TempDir(), "patrol.csv")
	writeFile(t, bad, "乡镇,巡查日期\n东风镇,2023-03-02\n郭道镇,2023-02-30\n")
	out, errs, code = lw(t, "--db", db, "load", "patrol", bad)
	if code != 1 || !strings.Contains(errs, "patrol.csv 第2行 乡镇: “东风镇” 不是本县的乡镇") ||
		!strings.Contains(errs, "patrol.csv 第3行 巡查日期: “2023-02-30” 不是有效日期") {
		t.Fatalf("bad file: %d\n%s\n%s", code, out, errs)
	}
	if _, _, code = lw(t, "--db", db, "load", "nonsense", bad); code != 2 {
		t.Errorf("unknown kind: exit %d", code)
	}
}
