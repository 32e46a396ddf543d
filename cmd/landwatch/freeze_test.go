package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// The office's path through arrival stamps and freezing, as the CLI runs it: a file stamped by hand
// (audited), a past week's briefing without another run, a freeze, a backdated load refused, a
// later one accepted, a second freeze refused, and a tampered snapshot caught by audit verify.
func TestArrivalAndFreezeCommands(t *testing.T) {
	db := initDB(t)
	etlDir := filepath.Join("..", "..", "testdata", "etl")
	patrol := filepath.Join(etlDir, "巡查记录.csv")
	out, errs, code := lw(t, "--db", db, "load", "--by", "王主任", "--received-on", "2023-03-10", "patrol", patrol)
	if code != 0 || !strings.Contains(out, "送达时间 2023-03-10 23:59，王主任补录") {
		t.Fatalf("stamped load: %d\n%s\n%s", code, out, errs)
	}
	late := filepath.Join(t.TempDir(), "late.csv")
	writeFile(t, late, "乡镇,巡查日期\n郭道镇,2023-03-09\n")
	_, errs, code = lw(t, "--db", db, "load", "--received-on", "2023-03-08", "patrol", late)
	if code == 0 || !strings.Contains(errs, "日期晚于送达时间") {
		t.Fatalf("a stamp before the file's own dates: %d %s", code, errs)
	}
	_, errs, code = lw(t, "--db", db, "load", "--received-on", "3月8日", "patrol", patrol)
	if code != 2 || !strings.Contains(errs, "送达时间“3月8日”应写作 YYYY-MM-DD") {
		t.Fatalf("bad stamp: %d %s", code, errs)
	}
	if out, errs, code = lw(t, "--db", db, "models", "run", "--as-of", "2023-04-30"); code != 0 {
		t.Fatalf("models run: %d %s %s", code, out, errs)
	}
	pdf := filepath.Join(t.TempDir(), "w.pdf")
	if out, errs, code = lw(t, "--db", db, "report", "weekly", "--as-of", "2023-04-16", "--out", pdf); code != 0 {
		t.Fatalf("a past week's briefing: %d %s %s", code, out, errs)
	}
	if _, errs, code = lw(t, "--db", db, "report", "weekly", "--as-of", "2023-05-07", "--out", pdf); code == 0 || !strings.Contains(errs, "尚未计算") {
		t.Fatalf("a week after the last run: %d %s", code, errs)
	}
	out, errs, code = lw(t, "--db", db, "models", "freeze", "--as-of", "2023-04-16", "--by", "郭局长")
	if code != 0 || !strings.Contains(out, "2023-04-16 已锁定") || !strings.Contains(out, "记分卡 12 行") {
		t.Fatalf("freeze: %d\n%s\n%s", code, out, errs)
	}
	if _, errs, code = lw(t, "--db", db, "models", "freeze", "--as-of", "2023-04-16"); code != 1 || !strings.Contains(errs, "不能重复锁定") {
		t.Fatalf("second freeze: %d %s", code, errs)
	}
	newPatrol := filepath.Join(t.TempDir(), "p.csv")
	writeFile(t, newPatrol, "乡镇,巡查日期\n郭道镇,2023-04-12\n")
	if _, errs, code = lw(t, "--db", db, "load", "--received-on", "2023-04-16T20:00", "patrol", newPatrol); code != 1 || !strings.Contains(errs, "2023-04-16 已锁定") {
		t.Fatalf("backdated load after the freeze: %d %s", code, errs)
	}
	if out, errs, code = lw(t, "--db", db, "load", "--received-on", "2023-04-17", "patrol", newPatrol); code != 0 {
		t.Fatalf("a load after the frozen day: %d %s %s", code, out, errs)
	}
	if out, errs, code = lw(t, "--db", db, "audit", "verify"); code != 0 {
		t.Fatalf("verify: %d %s %s", code, out, errs)
	}
	if _, errs, code = lw(t, "--db", db, "sql", "SELECT 1"); code != 0 {
		t.Fatal(errs)
	}
	// tamper with the snapshot behind the tool's back
	w := openRW(t, db)
	if _, err := w.Exec(`UPDATE frozen_scorecards SET level = 'green', reasons = '' WHERE level <> 'green'`); err != nil {
		t.Fatal(err)
	}
	w.Close()
	out, errs, code = lw(t, "--db", db, "audit", "verify")
	if code != 1 || !strings.Contains(out+errs, "2023-04-16 的锁定数据被改动") {
		t.Fatalf("tampered snapshot: %d\n%s\n%s", code, out, errs)
	}
}
