package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mattn/go-runewidth"
)

// lw runs the CLI in-process and returns stdout, stderr and the exit code.
func lw(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), code
}

func initDB(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "w.duckdb")
	if out, errs, code := lw(t, "--db", db, "init"); code != 0 {
		t.Fatalf("init: %d %s %s", code, out, errs)
	}
	return db
}

const formatsQuery = `SELECT 1 AS n, 'å沁河镇' AS s, DATE '2023-03-14' AS d, TIMESTAMP '2023-03-01 22:00:00' AS ts,
	12.50::DECIMAL(10,2) AS amount, NULL AS nothing, [DATE '2023-03-01', NULL] AS days, {'a': 1, 'b': 'x'} AS obj,
	0.3::DOUBLE AS rate, true AS ok`

func TestSQLJSON(t *testing.T) {
	db := initDB(t)
	out, errs, code := lw(t, "--db", db, "sql", "--format", "json", formatsQuery)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rows []map[string]any
	dec := json.NewDecoder(strings.NewReader(out))
	dec.UseNumber()
	if err := dec.Decode(&rows); err != nil {
		t.Fatalf("not one JSON array: %v\n%s", err, out)
	}
	if len(rows) != 1 {
		t.Fatalf("rows: %d", len(rows))
	}
	r := rows[0]
	want := map[string]string{"n": "1", "s": "å沁河镇", "d": "2023-03-14", "ts": "2023-03-01 22:00:00",
		"amount": "12.50", "rate": "0.3", "ok": "true"}
	for k, v := range want {
		got, _ := json.Marshal(r[k])
		if s := strings.Trim(string(got), `"`); s != v {
			t.Errorf("%s: got %s, want %s", k, got, v)
		}
	}
	if r["nothing"] != nil {
		t.Errorf("NULL should be null, got %#v", r["nothing"])
	}
	if days, _ := json.Marshal(r["days"]); string(days) != `["2023-03-01",null]` {
		t.Errorf("list of dates: %s", days)
	}
	if obj, _ := json.Marshal(r["obj"]); string(obj) != `{"a":1,"b":"x"}` {
		t.Errorf("struct: %s", obj)
	}
	// keys keep the column order
	if i, j := strings.Index(out, `"n"`), strings.Index(out, `"ok"`); i < 0 || j < i {
		t.Errorf("column order lost: %s", out)
	}
	// an empty result is an empty array
	out, _, code = lw(t, "--db", db, "sql", "--format", "json", "SELECT 1 AS x WHERE false")
	if code != 0 || strings.TrimSpace(out) != "[]" {
		t.Errorf("empty result: %d %q", code, out)
	}
}

func TestSQLCSVAndTable(t *testing.T) {
	db := initDB(t)
	out, errs, code := lw(t, "--db", db, "sql", "--format", "csv", formatsQuery)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(recs) != 2 {
		t.Fatalf("csv: %v %q", err, out)
	}
	if got := strings.Join(recs[0], ","); got != "n,s,d,ts,amount,nothing,days,obj,rate,ok" {
		t.Errorf("header: %s", got)
	}
	if got := strings.Join(recs[1][:6], "|"); got != "1|å沁河镇|2023-03-14|2023-03-01 22:00:00|12.50|" {
		t.Errorf("row: %s", got)
	}
	out, _, code = lw(t, "--db", db, "sql", "SELECT township, kind FROM dim_townships ORDER BY sort_order LIMIT 2")
	if code != 0 {
		t.Fatal(code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 5 || !strings.HasPrefix(lines[2], "沁河镇   | 镇") || lines[4] != "（共 2 行）" {
		t.Errorf("table:\n%s", out)
	}
	// Chinese takes two columns: the bars line up in display width
	bar := func(s string) int { return runewidth.StringWidth(s[:strings.IndexAny(s, "|+")]) }
	if bar(lines[0]) != bar(lines[1]) || bar(lines[1]) != bar(lines[2]) {
		t.Errorf("alignment:\n%s", out)
	}
}

func TestSQLRefusesWritesAndBadInput(t *testing.T) {
	db := initDB(t)
	if _, errs, code := lw(t, "--db", db, "sql", "DELETE FROM dim_townships"); code == 0 || !strings.Contains(errs, "只读") {
		t.Errorf("write allowed: %d %s", code, errs)
	}
	if _, _, code := lw(t, "--db", db, "sql", "--format", "xml", "SELECT 1"); code != 2 {
		t.Errorf("unknown format: exit %d", code)
	}
	if _, _, code := lw(t, "--db", db, "sql"); code != 2 {
		t.Errorf("no query: exit %d", code)
	}
	if _, errs, code := lw(t, "--db", filepath.Join(t.TempDir(), "none.duckdb"), "sql", "SELECT 1"); code != 1 || !strings.Contains(errs, "landwatch init") {
		t.Errorf("missing warehouse: %d %s", code, errs)
	}
}

func TestHelpAndUnknown(t *testing.T) {
	out, _, code := lw(t, "help")
	if code != 0 || !strings.Contains(out, "sql") || !strings.Contains(out, "demo") {
		t.Errorf("help: %d %s", code, out)
	}
	for _, c := range commandList() {
		name := c.name
		out, _, code := lw(t, name, "--help")
		if code != 0 || !strings.Contains(out, "用法：landwatch "+name) {
			t.Errorf("%s --help: %d %q", name, code, out)
		}
	}
	if _, errs, code := lw(t, "frobnicate"); code != 2 || !strings.Contains(errs, "未知命令“frobnicate”") {
		t.Errorf("unknown: %d %s", code, errs)
	}
	if _, errs, code := lw(t, "modles", "run"); code != 2 || !strings.Contains(errs, "您是不是要输入“landwatch models”？") {
		t.Errorf("mistyped: %d %s", code, errs)
	}
}

func TestInitOtherConfigAndRefusal(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "w.duckdb")
	bad := filepath.Join(dir, "bad.toml")
	writeFile(t, bad, "[county]\nname = \"x\"\nfoo = 1\n")
	_, errs, code := lw(t, "--db", db, "init", "--config", bad)
	if code != 1 || !strings.Contains(errs, "bad.toml 第3行 county.foo：未知配置项") {
		t.Errorf("refusal: %d %s", code, errs)
	}
}
