package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTownshipShortName: a township named without its 镇 (郭道 for 郭道镇) is the same township for
// load, report dossier and user add; a name that is no township is refused by all three.
func TestTownshipShortName(t *testing.T) {
	db := initDB(t)
	dir := t.TempDir()
	meters := filepath.Join(dir, "用电户档案.csv")
	if err := os.WriteFile(meters, []byte("户号,户名,用电类别,乡镇,村,经度,纬度,地址,备注\n"+
		"1430000001,郭道洗煤厂,洗煤厂,郭道镇,郭道村,112.1811,36.7902,郭道村东,\n"+
		"1430000002,白坪养殖场,养殖场,郭道,白坪村,112.1702,36.7811,白坪村南,\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"load", "--received-on", "2023-03-02", "meters", meters},
		{"models", "run", "--as-of", "2023-04-16"},
		{"user", "add", "--by", "管理员", "--name", "guo1", "--role", "township", "--scope", "郭道镇"},
		{"user", "add", "--by", "管理员", "--name", "guo2", "--role", "township", "--scope", "郭道"},
		{"report", "dossier", "--township", "郭道镇", "--as-of", "2023-04-16", "--out", filepath.Join(dir, "full.pdf")},
		{"report", "dossier", "--township", "郭道", "--as-of", "2023-04-16", "--out", filepath.Join(dir, "short.pdf")},
	} {
		if out, errs, code := lw(t, append([]string{"--db", db}, args...)...); code != 0 {
			t.Fatalf("%v: %d %s %s", args, code, out, errs)
		}
	}
	out, errs, code := lw(t, "--db", db, "sql", "--format", "csv",
		"SELECT (SELECT string_agg(DISTINCT township, ',') FROM raw_meters) AS meters, (SELECT string_agg(DISTINCT scope, ',') FROM users) AS scopes")
	if code != 0 || !strings.Contains(out, "郭道镇,郭道镇") {
		t.Errorf("meters and accounts of 郭道 and 郭道镇: %d %q %s", code, out, errs)
	}
	for _, f := range []string{"full.pdf", "short.pdf"} {
		data, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil || !strings.HasPrefix(string(data), "%PDF-") {
			t.Errorf("%s: %v", f, err)
		}
	}
	bad := filepath.Join(dir, "用电户档案-错.csv")
	if err := os.WriteFile(bad, []byte("户号,户名,用电类别,乡镇,村,经度,纬度,地址,备注\n"+
		"1430000009,某厂,洗煤厂,郭家,郭道村,112.1811,36.7902,郭道村东,\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"load", "meters", bad},
		{"user", "add", "--by", "管理员", "--name", "guo3", "--role", "township", "--scope", "郭家"},
		{"report", "dossier", "--township", "郭家", "--as-of", "2023-04-16", "--out", filepath.Join(dir, "bad.pdf")},
	} {
		if _, errs, code := lw(t, append([]string{"--db", db}, args...)...); code == 0 || !strings.Contains(errs, "郭家") {
			t.Errorf("%v: %d %s, want refused naming 郭家", args, code, errs)
		}
	}
}
