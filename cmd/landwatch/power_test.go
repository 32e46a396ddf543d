package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The cut-off path on the command line: an order needs a meter whose alert was checked 非法采矿; a
// confirmation needs the order and a day not before it; consumption the day after the confirmed day
// fires 终止供电后仍用电, the day before does not; both entries are audited, the backdated one
// with its day.
func TestPowerCutoffCommands(t *testing.T) {
	db := initDB(t)
	dir := t.TempDir()
	etlDir := filepath.Join("..", "..", "testdata", "etl")
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, l := range [][]string{
		{"meters", filepath.Join(etlDir, "用电户档案.csv")},
		{"power", filepath.Join(etlDir, "用电数据.csv")},
		{"power-checks", write("checks.csv", "户号,预警编号,核查日期,核查结果\n1430000003,1430000003-CLM-20230305,2023-03-08,非法采矿\n")},
		{"power", write("later.csv", "户号,时间,电量\n1430000003,2023-03-14 10:00:00,3\n1430000003,2023-03-16 10:00:00,4\n")},
	} {
		if out, errs, code := lw(t, "--db", db, "load", "--received-on", "2023-03-17", l[0], l[1]); code != 0 {
			t.Fatalf("load %s: %d %s %s", l[0], code, out, errs)
		}
	}
	if out, errs, code := lw(t, "--db", db, "models", "run", "--as-of", "2023-03-17"); code != 0 {
		t.Fatalf("models run: %d %s %s", code, out, errs)
	}
	_, errs, code := lw(t, "--db", db, "power", "cutoff", "--meter", "1430000001", "--ordered", "2023-03-12")
	if code != 1 || !strings.Contains(errs, "没有经现场核查为非法采矿的用电预警") {
		t.Fatalf("order without a verified violation: %d %s", code, errs)
	}
	_, errs, code = lw(t, "--db", db, "power", "cutoff", "--meter", "1430000003", "--done", "2023-03-15")
	if code != 1 || !strings.Contains(errs, "尚无终止供电指令") {
		t.Fatalf("confirmation without an order: %d %s", code, errs)
	}
	_, errs, code = lw(t, "--db", db, "power", "cutoff", "--meter", "1430000003")
	if code != 2 || !strings.Contains(errs, "--ordered 或 --done") {
		t.Fatalf("neither date: %d %s", code, errs)
	}
	_, errs, code = lw(t, "--db", db, "power", "cutoff", "--meter", "1430000003", "--ordered", "2999-01-01")
	if code != 1 || !strings.Contains(errs, "晚于今天") {
		t.Fatalf("an order dated in the future: %d %s", code, errs)
	}
	_, errs, code = lw(t, "--db", db, "power", "cutoff", "--received-on", "2023-03-11", "--meter", "1430000003", "--ordered", "2023-03-12")
	if code != 1 || !strings.Contains(errs, "补录日期 2023-03-11 早于记录所载日期 2023-03-12") {
		t.Fatalf("an entry backdated before its own date: %d %s", code, errs)
	}
	_, errs, code = lw(t, "--db", db, "power", "cutoff", "--meter", "1430000003", "--ordered", "12/03/2023")
	if code != 2 || !strings.Contains(errs, "日期格式应为") {
		t.Fatalf("a date not YYYY-MM-DD: %d %s", code, errs)
	}
	out, errs, code := lw(t, "--db", db, "power", "cutoff", "--received-on", "2023-03-12", "--by", "办公室", "--meter", "1430000003", "--ordered", "2023-03-12")
	if code != 0 || !strings.Contains(out, "已记录终止供电指令：户号 1430000003，日期 2023-03-12，违法点位 1430000003-CLM-20230305，记录时间 2023-03-12 23:59") {
		t.Fatalf("order: %d %s %s", code, out, errs)
	}
	_, errs, code = lw(t, "--db", db, "power", "cutoff", "--meter", "1430000003", "--done", "2023-03-11")
	if code != 1 || !strings.Contains(errs, "早于指令日期 2023-03-12") {
		t.Fatalf("done before the order: %d %s", code, errs)
	}
	out, errs, code = lw(t, "--db", db, "power", "cutoff", "--received-on", "2023-03-15", "--meter", "1430000003", "--done", "2023-03-15")
	if code != 0 || !strings.Contains(out, "已记录终止供电确认：户号 1430000003，日期 2023-03-15") {
		t.Fatalf("done: %d %s %s", code, out, errs)
	}
	if out, errs, code := lw(t, "--db", db, "models", "run", "--as-of", "2023-03-17"); code != 0 {
		t.Fatalf("models run: %d %s %s", code, out, errs)
	}
	out, _, _ = lw(t, "--db", db, "sql", "SELECT alert_id, first_day, last_day, cutoff_done_on FROM mart_power_alerts WHERE rule = 'supply_after_cutoff'")
	if !strings.Contains(out, "1430000003-CUT-20230316") || !strings.Contains(out, "2023-03-16") || strings.Contains(out, "20230314") {
		t.Fatalf("supply after cut-off: %s", out)
	}
	out, _, _ = lw(t, "--db", db, "sql", "SELECT action, actor, json_extract_string(detail, '$.backdated') FROM audit_log WHERE action LIKE 'power.%' ORDER BY seq")
	if !strings.Contains(out, "power.cutoff_ordered") || !strings.Contains(out, "power.cutoff_done") || !strings.Contains(out, "办公室") {
		t.Fatalf("audit: %s", out)
	}
	if out, errs, code := lw(t, "--db", db, "audit", "verify"); code != 0 {
		t.Fatalf("audit verify: %d %s %s", code, out, errs)
	}
}

// TestPowerCutoffForwarded: while `serve` holds the warehouse, `power cutoff` is handed to the
// server, which records and audits it.
func TestPowerCutoffForwarded(t *testing.T) {
	db := initDB(t)
	startServer(t, db)
	dir := t.TempDir()
	checks := filepath.Join(dir, "checks.csv")
	if err := os.WriteFile(checks, []byte("户号,预警编号,核查日期,核查结果\n1430000003,1430000003-CLM-20230305,2023-03-08,非法采矿\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	etlDir := filepath.Join("..", "..", "testdata", "etl")
	for _, l := range [][]string{{"meters", filepath.Join(etlDir, "用电户档案.csv")}, {"power", filepath.Join(etlDir, "用电数据.csv")}, {"power-checks", checks}} {
		if out, errs, code := lw(t, "--db", db, "load", "--received-on", "2023-03-09", l[0], l[1]); code != 0 {
			t.Fatalf("forwarded load %s: %d %s %s", l[0], code, out, errs)
		}
	}
	if out, errs, code := lw(t, "--db", db, "models", "run", "--as-of", "2023-03-09"); code != 0 {
		t.Fatalf("forwarded models run: %d %s %s", code, out, errs)
	}
	out, errs, code := lw(t, "--db", db, "power", "cutoff", "--meter", "1430000003", "--ordered", "2023-03-10")
	if code != 0 || !strings.Contains(out, "已记录终止供电指令：户号 1430000003") {
		t.Fatalf("forwarded power cutoff: %d %s %s", code, out, errs)
	}
	out, _, code = lw(t, "--db", db, "sql", "--format", "csv", "SELECT count(*) AS n FROM audit_log WHERE action = 'power.cutoff_ordered'")
	if code != 0 || out != "n\n1\n" {
		t.Fatalf("audited: %d %q", code, out)
	}
	if out, errs, code := lw(t, "--db", db, "audit", "verify"); code != 0 {
		t.Fatalf("audit verify: %d %s %s", code, out, errs)
	}
}
