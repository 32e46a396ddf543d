package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExportAndProvinceCommands(t *testing.T) {
	db := initDB(t)
	if _, errs, code := lw(t, "--db", db, "export", "csv", "--out", "x"); code != 2 || !strings.Contains(errs, "parquet") {
		t.Errorf("unknown format: %d %s", code, errs)
	}
	if _, errs, code := lw(t, "--db", db, "export", "parquet"); code != 2 || !strings.Contains(errs, "--out") {
		t.Errorf("no --out: %d %s", code, errs)
	}
	if _, errs, code := lw(t, "province", "some-dir"); code != 2 || !strings.Contains(errs, "--out") {
		t.Errorf("province without --out: %d %s", code, errs)
	}
	if testing.Short() {
		t.Skip("loads the tiny county")
	}
	for _, args := range [][]string{
		{"load", "--quiet", "manifest", filepath.Join("..", "..", "testdata", "tiny")},
		{"models", "run", "--as-of", "2023-04-30"},
	} {
		if _, errs, code := lw(t, append([]string{"--db", db}, args...)...); code != 0 {
			t.Fatalf("%v: %d %s", args, code, errs)
		}
	}
	dir := t.TempDir()
	export := filepath.Join(dir, "export")
	out, errs, code := lw(t, "--db", db, "export", "parquet", "--out", export)
	if code != 0 || !strings.Contains(out, "截至 2023-04-30 的数据已导出") || !strings.Contains(out, "power_readings") {
		t.Fatalf("export: %d %s %s", code, out, errs)
	}
	counties := filepath.Join(dir, "province")
	if out, errs, code := lw(t, "province", "synth", "--from", export, "--counties", "3", "--missing", "1", "--out", counties); code != 0 {
		t.Fatalf("synth: %d %s %s", code, out, errs)
	}
	pdf := filepath.Join(dir, "province.pdf")
	out, errs, code = lw(t, "province", "--out", pdf, filepath.Join(counties, "county-001"), filepath.Join(counties, "county-002"),
		filepath.Join(counties, "county-003"))
	if code != 0 || !strings.Contains(out, "3 个县，纳入 2 个") || !strings.Contains(out, "county-003：没有 manifest.json") {
		t.Fatalf("province: %d %s %s", code, out, errs)
	}
	if data, err := os.ReadFile(pdf); err != nil || !strings.HasPrefix(string(data), "%PDF-") {
		t.Errorf("province.pdf: %v", err)
	}
}
