package main

import (
	"fmt"
	"strings"
	"testing"
)

func TestModelsList(t *testing.T) {
	out, errs, code := lw(t, "models", "list")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"stg_forms__inspections", "int_violations_classified", "mart_township_scorecard",
		"int_ledger_items、int_patrol_weeks", "源数据整理 stg_forms__inspections", "成果       mart_township_scorecard     "} {
		if !strings.Contains(out, want) {
			t.Errorf("list lacks %q:\n%s", want, out)
		}
	}
	// the layers and materializations in Chinese (视图, 表), the models' names as `sql` takes them
	for _, want := range []string{" 视图 ", " 表   ", "中间 "} {
		if !strings.Contains(out, want) {
			t.Errorf("list lacks %q:\n%s", want, out)
		}
	}
	// every word but the models' and tables' names (what `sql` takes) is Chinese
	var words strings.Builder
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if f := strings.Fields(line); len(f) >= 4 {
			fmt.Fprintln(&words, f[0], f[2], f[3])
		}
	}
	assertChinese(t, "models list", words.String())
}

func TestModelsRun(t *testing.T) {
	db := initDB(t)
	out, errs, code := lw(t, "--db", db, "models", "run", "--as-of", "2023-04-30")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"计算数据模型，截至 2023-04-30", "mart_township_scorecard", "108 行", "未通过 0 项"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// the default as-of: today, or the campaign's last day once it has passed
	out, errs, code = lw(t, "--db", db, "models", "run")
	if code != 0 || !strings.Contains(out, "计算数据模型，截至 ") {
		t.Fatalf("exit %d: %s %s", code, out, errs)
	}
	if _, errs, code := lw(t, "--db", db, "models", "run", "--as-of", "30.04.2023"); code != 2 || !strings.Contains(errs, "YYYY-MM-DD") {
		t.Errorf("bad date: exit %d %s", code, errs)
	}
	if _, _, code := lw(t, "--db", db, "models", "build"); code != 2 {
		t.Errorf("unknown action: exit %d", code)
	}
}
