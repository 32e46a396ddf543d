package etl

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeManifest writes dir/manifest.json listing files (kind, path, received_on).
func writeManifest(t *testing.T, dir string, files [][3]string) {
	t.Helper()
	var m Manifest
	for _, f := range files {
		m.Files = append(m.Files, struct {
			Kind       Kind   `json:"kind"`
			Path       string `json:"path"`
			ReceivedOn string `json:"received_on,omitempty"`
		}{Kind(f[0]), f[1], f[2]})
	}
	data, _ := json.Marshal(m)
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// A manifest's small files load all or none: two bad files refuse the whole manifest, every bad
// file named with its errors (file, row, column), and nothing of the good ones is loaded. Fixed,
// the manifest loads in one go — a correction replacing a form of the same manifest, readings
// checked against the manifest's meters — and again it is a no-op.
func TestManifestAllOrNothing(t *testing.T) {
	dir := t.TempDir()
	abs, _ := filepath.Abs(fixtures)
	fx := func(name string) string { return filepath.Join(abs, name) }
	badPatrol := filepath.Join(dir, "巡查记录-坏.csv")
	os.WriteFile(badPatrol, []byte("乡镇,巡查日期,巡查人员,巡查村,发现问题\n郭道镇,2023-13-02,郭道镇巡查队,郭道村,无\n"), 0o644)
	badChecks := filepath.Join(dir, "用电核查-坏.csv")
	os.WriteFile(badChecks, []byte("户号,核查日期,核查结果\n1439999999,2023-03-10,正常\n"), 0o644)
	files := [][3]string{
		{"meters", fx("用电户档案.csv"), ""},
		{"power", fx("用电数据.csv"), "2023-04-01"},
		{"power-checks", badChecks, "2023-04-01"},
		{"inspection", fx("郭道镇排查表.xlsx"), "2023-03-12T18:00"},
		{"inspection", fx("郭道镇排查表-更正.xlsx"), "2023-03-13T09:00"},
		{"patrol", fx("巡查记录.csv"), "2023-04-01"},
		{"patrol", badPatrol, "2023-04-01"},
	}
	writeManifest(t, dir, files)
	db, cfg := openDB(t)
	res, err := LoadManifest(context.Background(), db, cfg, dir, Options{LoadedBy: "test"})
	var me *ManifestError
	if !errors.As(err, &me) {
		t.Fatalf("want a ManifestError, got %v", err)
	}
	if len(me.Files) != 2 || me.Files[0].File != "用电核查-坏.csv" || me.Files[1].File != "巡查记录-坏.csv" {
		t.Errorf("refused files: %v", me)
	}
	for _, want := range []string{"用电核查-坏.csv 第2行 户号: “1439999999”", "巡查记录-坏.csv 第2行 巡查日期: “2023-13-02”"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error does not name %q:\n%v", want, err)
		}
	}
	if len(res) != 0 {
		t.Errorf("%d results of a refused manifest", len(res))
	}
	for _, tbl := range []string{"load_batches", "load_warnings", "raw_meters", "raw_power_readings", "raw_inspections", "raw_patrols", "raw_power_checks"} {
		if n := count(t, db, `SELECT count(*) FROM `+tbl); n != 0 {
			t.Errorf("%s: %d rows of a refused manifest", tbl, n)
		}
	}

	writeManifest(t, dir, append(files[:2:2], files[3:6]...))
	res, err = LoadManifest(context.Background(), db, cfg, dir, Options{LoadedBy: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 5 {
		t.Fatalf("%d results", len(res))
	}
	if res[3].Replaced != res[2].BatchID || res[3].Rows != 7 {
		t.Errorf("the correction: %+v (the form: %+v)", res[3], res[2])
	}
	if got := fmt.Sprint(rowsOf(t, db, `SELECT kind, count(*) FILTER (WHERE replaced_by IS NULL) FROM load_batches GROUP BY kind ORDER BY kind`)); got != "[[inspection 1] [meters 1] [patrol 1] [power 1]]" {
		t.Errorf("batches: %s", got)
	}
	if n := count(t, db, `SELECT count(*) FROM raw_inspections`); n != 13 {
		t.Errorf("inspection rows: %d", n)
	}
	again, err := LoadManifest(context.Background(), db, cfg, dir, Options{LoadedBy: "test"})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range again {
		if !r.AlreadyLoaded || r.BatchID != res[i].BatchID {
			t.Errorf("%s again: %+v", r.File, r)
		}
	}
}
