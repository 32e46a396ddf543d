package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReportCommand(t *testing.T) {
	db := initDB(t)
	if _, errs, code := lw(t, "--db", db, "report", "monthly", "--out", "x.pdf"); code != 2 || !strings.Contains(errs, "weekly、dossier、duties、lookback 或 finance") {
		t.Errorf("unknown report: %d %s", code, errs)
	}
	if _, errs, code := lw(t, "--db", db, "report", "weekly"); code != 2 || !strings.Contains(errs, "--out") {
		t.Errorf("no --out: %d %s", code, errs)
	}
	if _, errs, code := lw(t, "--db", db, "report", "weekly", "--as-of", "2023-13-01", "--out", "x.pdf"); code != 2 || !strings.Contains(errs, "日期格式应为") {
		t.Errorf("bad date: %d %s", code, errs)
	}
	if _, errs, code := lw(t, "--db", db, "report", "dossier", "--out", "x.pdf"); code != 2 || !strings.Contains(errs, "--township") {
		t.Errorf("dossier without township: %d %s", code, errs)
	}
	// Without the marts the command says what to run first, and writes nothing.
	out := filepath.Join(t.TempDir(), "b.pdf")
	if _, errs, code := lw(t, "--db", db, "report", "weekly", "--as-of", "2023-04-16", "--out", out); code != 1 || !strings.Contains(errs, "models run") {
		t.Errorf("no marts: %d %s", code, errs)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a file was written: %v", err)
	}
}

// TestReportWeeklyOnTiny loads the tiny county, builds the marts and writes both reports.
func TestReportWeeklyOnTiny(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the tiny county")
	}
	db := initDB(t)
	for _, args := range [][]string{
		{"load", "--quiet", "manifest", filepath.Join("..", "..", "testdata", "tiny")},
		{"models", "run", "--as-of", "2023-04-16"},
	} {
		if _, errs, code := lw(t, append([]string{"--db", db}, args...)...); code != 0 {
			t.Fatalf("%v: %d %s", args, code, errs)
		}
	}
	dir := t.TempDir()
	for _, args := range [][]string{
		{"report", "weekly", "--out", filepath.Join(dir, "weekly.pdf")}, // as-of: the models run's
		{"report", "dossier", "--township", "韩洪乡", "--as-of", "2023-04-16", "--out", filepath.Join(dir, "dossier.pdf")},
		{"report", "finance", "--as-of", "2023-04-16", "--out", filepath.Join(dir, "finance.xlsx")},
	} {
		if _, errs, code := lw(t, append([]string{"--db", db}, args...)...); code != 0 {
			t.Fatalf("%v: %d %s", args, code, errs)
		}
	}
	for _, f := range []string{"weekly.pdf", "dossier.pdf"} {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil || !strings.HasPrefix(string(data), "%PDF-") {
			t.Errorf("%s: %v", f, err)
		}
	}
	if data, err := os.ReadFile(filepath.Join(dir, "finance.xlsx")); err != nil || !strings.HasPrefix(string(data), "PK") {
		t.Errorf("finance.xlsx: %v", err)
	}
}
