package etl

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// Every file `landwatch gen --scale tiny` writes loads, with the row counts gen reports, and a second
// pass over the manifest is a no-op.
func TestLoadTinyManifest(t *testing.T) {
	dir := filepath.Join("..", "testdata", "tiny")
	data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatalf("the committed tiny data set is missing: %v", err)
	}
	var m struct {
		Files []struct {
			Kind Kind   `json:"kind"`
			Path string `json:"path"`
			Rows int64  `json:"rows"`
		} `json:"files"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	db, cfg := openDB(t)
	ctx := context.Background()
	res, err := LoadManifest(ctx, db, cfg, dir, Options{LoadedBy: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != len(m.Files) {
		t.Fatalf("%d results for %d files", len(res), len(m.Files))
	}
	var total int64
	for i, r := range res {
		if r.AlreadyLoaded {
			t.Errorf("%s: already loaded on the first pass", r.File)
		}
		if m.Files[i].Rows != 0 && r.Rows != m.Files[i].Rows {
			t.Errorf("%s: %d rows, manifest says %d", m.Files[i].Path, r.Rows, m.Files[i].Rows)
		}
		total += r.Rows
	}
	var n int64
	for _, tbl := range []string{"raw_inspections", "raw_rectifications", "raw_patrols", "raw_cases", "raw_meters",
		"raw_power_readings", "raw_power_checks", "raw_imagery_patches", "raw_clues", "raw_responsibilities", "raw_duties", "raw_rechecks",
		"raw_licences", "raw_case_stages", "raw_restoration", "raw_explosives", "raw_video_events", "raw_acceptances", "raw_collections"} {
		n += int64(count(t, db, `SELECT count(*) FROM `+tbl))
	}
	if n != total {
		t.Errorf("raw tables hold %d rows, loads reported %d", n, total)
	}
	again, err := LoadManifest(ctx, db, cfg, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range again {
		if !r.AlreadyLoaded {
			t.Errorf("%s: loaded again", r.File)
		}
	}
}
