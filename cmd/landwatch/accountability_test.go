package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The office's path through the accountability list: the list as of a date, a transfer (entered
// later, backdated and audited), its outcome, the list again once the models pass them, and the
// refusals.
func TestAccountabilityCommands(t *testing.T) {
	db := initDB(t)
	etlDir := filepath.Join("..", "..", "testdata", "etl")
	if out, errs, code := lw(t, "--db", db, "load", "--received-on", "2023-03-21", "imagery", filepath.Join(etlDir, "卫片图斑.geojson")); code != 0 {
		t.Fatalf("load: %d %s %s", code, out, errs)
	}
	if out, errs, code := lw(t, "--db", db, "models", "run", "--as-of", "2023-04-30"); code != 0 {
		t.Fatalf("models run: %d %s %s", code, out, errs)
	}
	out, errs, code := lw(t, "--db", db, "accountability", "list")
	if code != 0 || !strings.Contains(out, "追责问责名单（截至 2023-04-30）") || !strings.Contains(out, "WP-2023-001") || !strings.Contains(out, "应排漏排") {
		t.Fatalf("list: %d\n%s\n%s", code, out, errs)
	}
	_, errs, code = lw(t, "--db", db, "accountability", "outcome", "--item", "WP-2023-001", "--outcome", "诫勉", "--on", "2023-05-02")
	if code != 1 || !strings.Contains(errs, "尚未移交纪检监察") {
		t.Fatalf("outcome before transfer: %d %s", code, errs)
	}
	_, errs, code = lw(t, "--db", db, "accountability", "transfer", "--item", "WP-9", "--as-of", "2023-04-30")
	if code != 1 || !strings.Contains(errs, "不在 2023-04-30 的追责问责名单上") {
		t.Fatalf("unknown item: %d %s", code, errs)
	}
	out, errs, code = lw(t, "--db", db, "accountability", "transfer", "--by", "郭局长", "--item", "WP-2023-001", "--as-of", "2023-04-30",
		"--on", "2023-05-01", "--recorded-on", "2023-05-01", "--note", "应排漏排，移交问责")
	if code != 0 || !strings.Contains(out, "已移交纪检监察：WP-2023-001（郭道镇") {
		t.Fatalf("transfer: %d %s %s", code, out, errs)
	}
	out, errs, code = lw(t, "--db", db, "accountability", "outcome", "--by", "纪委", "--item", "WP-2023-001", "--outcome", "诫勉",
		"--on", "2023-05-05", "--doc", "沁纪〔2023〕12号", "--recorded-on", "2023-05-05")
	if code != 0 || !strings.Contains(out, "已记录处理结果：WP-2023-001 诫勉") {
		t.Fatalf("outcome: %d %s %s", code, out, errs)
	}
	if out, errs, code = lw(t, "--db", db, "models", "run", "--as-of", "2023-05-07"); code != 0 {
		t.Fatalf("models run: %d %s %s", code, out, errs)
	}
	out, _, _ = lw(t, "--db", db, "accountability", "list")
	if !strings.Contains(out, "已处理") || !strings.Contains(out, "沁纪〔2023〕12号") || !strings.Contains(out, "2023-05-01") {
		t.Fatalf("list after: %s", out)
	}
	// the list of an earlier day shows what was known then
	out, _, _ = lw(t, "--db", db, "accountability", "list", "--as-of", "2023-04-30")
	if strings.Contains(out, "已处理") || !strings.Contains(out, "待移交") {
		t.Fatalf("list as of 04-30: %s", out)
	}
	out, errs, code = lw(t, "--db", db, "sql", "SELECT action, actor FROM audit_log WHERE action LIKE 'accountability.%' ORDER BY seq")
	if code != 0 || !strings.Contains(out, "accountability.transfer") || !strings.Contains(out, "accountability.outcome") {
		t.Fatalf("audit entries: %d %s %s", code, out, errs)
	}
	dir := t.TempDir()
	for _, r := range [][]string{{"duties", "责任分解表.xlsx"}, {"lookback", "回头看.pdf"}} {
		file := filepath.Join(dir, r[1])
		if out, errs, code = lw(t, "--db", db, "report", r[0], "--out", file); code != 0 {
			t.Fatalf("report %s: %d %s %s", r[0], code, out, errs)
		}
		if st, err := os.Stat(file); err != nil || st.Size() < 1000 {
			t.Errorf("report %s: %v", r[0], err)
		}
	}
	if out, errs, code = lw(t, "--db", db, "audit", "verify"); code != 0 {
		t.Fatalf("verify: %d %s %s", code, out, errs)
	}
}
