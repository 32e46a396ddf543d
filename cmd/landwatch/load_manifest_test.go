package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeManifestDir writes dir/manifest.json listing files (kind, path, received_on).
func writeManifestDir(t *testing.T, dir string, files [][3]string) {
	t.Helper()
	type file struct {
		Kind       string `json:"kind"`
		Path       string `json:"path"`
		ReceivedOn string `json:"received_on,omitempty"`
	}
	var m struct {
		Files []file `json:"files"`
	}
	for _, f := range files {
		m.Files = append(m.Files, file{f[0], f[1], f[2]})
	}
	data, _ := json.Marshal(m)
	writeFile(t, filepath.Join(dir, "manifest.json"), string(data))
}

// `load manifest` loads its small files in one transaction and records them in one audit entry:
// the entry names every file, and binds each file's batch with the file's SHA-256, so a batch
// whose recorded content is changed afterwards is named by `audit verify`. A manifest with bad
// files among good ones loads nothing, writes no entry, and names every bad file, row and column.
func TestLoadManifestAudit(t *testing.T) {
	db := initDB(t)
	abs, _ := filepath.Abs(filepath.Join("..", "..", "testdata", "etl"))
	fx := func(name string) string { return filepath.Join(abs, name) }
	good := [][3]string{
		{"meters", fx("用电户档案.csv"), "2023-03-01"},
		{"inspection", fx("郭道镇排查表.xlsx"), "2023-03-12T18:00"},
		{"inspection", fx("郭道镇排查表-更正.xlsx"), "2023-03-13T09:00"},
		{"patrol", fx("巡查记录.csv"), "2023-04-01"},
		{"power-checks", fx("用电核查.csv"), "2023-04-01"},
	}
	dir := t.TempDir()
	badPatrol := filepath.Join(dir, "巡查记录-坏.csv")
	writeFile(t, badPatrol, "乡镇,巡查日期,巡查人员,巡查村,发现问题\n郭道镇,2023-13-02,郭道镇巡查队,郭道村,无\n东风镇,2023-03-02,郭道镇巡查队,郭道村,无\n")
	badChecks := filepath.Join(dir, "用电核查-坏.csv")
	writeFile(t, badChecks, "户号,核查日期,核查结果\n1439999999,2023-03-10,正常\n")
	writeManifestDir(t, dir, append([][3]string{good[0], {"patrol", badPatrol, "2023-04-01"}}, append(good[1:], [3]string{"power-checks", badChecks, "2023-04-01"})...))
	out, errs, code := lw(t, "--db", db, "load", "--by", "办公室", "manifest", dir)
	if code != 1 {
		t.Fatalf("a manifest with bad files: exit %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"2 个文件有错误", "巡查记录-坏.csv 第2行 巡查日期: “2023-13-02”", "巡查记录-坏.csv 第3行 乡镇: “东风镇”",
		"用电核查-坏.csv 第2行 户号: “1439999999”"} {
		if !strings.Contains(errs, want) {
			t.Errorf("the refusal does not name %q:\n%s", want, errs)
		}
	}
	w := openRW(t, db)
	var batches, entries int
	if err := w.QueryRow(`SELECT (SELECT count(*) FROM load_batches), (SELECT count(*) FROM audit_log WHERE action = 'load.manifest')`).Scan(&batches, &entries); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if batches != 0 || entries != 0 {
		t.Fatalf("a refused manifest left %d batches and %d entries", batches, entries)
	}

	writeManifestDir(t, dir, good)
	if out, errs, code = lw(t, "--db", db, "load", "--by", "办公室", "manifest", dir); code != 0 {
		t.Fatalf("load manifest: %d\n%s\n%s", code, out, errs)
	}
	if out, _, code := lw(t, "--db", db, "audit", "verify"); code != 0 {
		t.Fatalf("audit verify after the load: exit %d\n%s", code, out)
	}
	w = openRW(t, db)
	var detail string
	if err := w.QueryRow(`SELECT string_agg(detail, '') FROM audit_log WHERE action = 'load.manifest'`).Scan(&detail); err != nil {
		t.Fatal(err)
	}
	var d struct {
		Files int
		List  []struct{ File string }
		Bound []struct {
			Key string
			Row map[string]any
		}
	}
	if err := json.Unmarshal([]byte(detail), &d); err != nil {
		t.Fatalf("one entry for the manifest: %v\n%s", err, detail)
	}
	if d.Files != len(good) || len(d.List) != len(good) || len(d.Bound) != len(good) {
		t.Fatalf("the entry names %d files, lists %d, binds %d; want %d each:\n%s", d.Files, len(d.List), len(d.Bound), len(good), detail)
	}
	for i, f := range good {
		data, err := os.ReadFile(f[1])
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		name := filepath.Base(f[1])
		if d.List[i].File != name || d.Bound[i].Row["file_name"] != name || d.Bound[i].Row["sha256"] != hex.EncodeToString(sum[:]) {
			t.Errorf("file %d: listed %q, bound %v; want %s with its hash", i+1, d.List[i].File, d.Bound[i].Row, name)
		}
	}
	if _, err := w.Exec(`UPDATE load_batches SET sha256 = repeat('0', 64) WHERE file_name = '巡查记录.csv'`); err != nil {
		t.Fatal(err)
	}
	var patrol string
	if err := w.QueryRow(`SELECT CAST(batch_id AS VARCHAR) FROM load_batches WHERE file_name = '巡查记录.csv'`).Scan(&patrol); err != nil {
		t.Fatal(err)
	}
	w.Close()
	out, _, code = lw(t, "--db", db, "audit", "verify")
	if code != 1 || !strings.Contains(out, "批次 "+patrol) || strings.Count(out, "批次 ") != 1 {
		t.Errorf("a changed hash: exit %d, want batch %s named alone:\n%s", code, patrol, out)
	}
}
