package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"landwatch/warehouse"
)

// boundaryCounts reads how many township boundaries the warehouse holds and their total area.
func boundaryCounts(t *testing.T, db string) (int, float64) {
	t.Helper()
	w, err := warehouse.Open(context.Background(), db, warehouse.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var n int
	var km2 float64
	if err := w.QueryRow(`SELECT count(*), coalesce(sum(area_km2), 0) FROM dim_township_boundaries`).Scan(&n, &km2); err != nil {
		t.Fatal(err)
	}
	return n, km2
}

func TestInitBoundaries(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "w.duckdb")
	tiny := filepath.Join("..", "..", "testdata", "tiny", "boundaries", "乡镇边界.geojson")
	out, errs, code := lw(t, "--db", db, "init", "--boundaries", tiny)
	if code != 0 || !strings.Contains(out, "乡镇边界：12 个，来自") {
		t.Fatalf("init --boundaries: %d %s %s", code, out, errs)
	}
	n, km2 := boundaryCounts(t, db)
	// The synthetic cells tile the county box, 0.8° × 0.8° at 36.65°N.
	if n != 12 || km2 < 6300 || km2 > 6420 {
		t.Errorf("stored %d boundaries, %.0f km²", n, km2)
	}

	// Kept by a later init without boundaries.
	cfgFile := filepath.Join(dir, "c.toml")
	out, errs, code = lw(t, "--db", db, "init")
	if code != 0 || !strings.Contains(out, "乡镇边界：12 个，沿用") {
		t.Fatalf("re-init: %d %s %s", code, out, errs)
	}
	if n, _ := boundaryCounts(t, db); n != 12 {
		t.Errorf("re-init left %d boundaries", n)
	}

	// county.boundaries in a configuration file, relative to the file's directory.
	text, err := os.ReadFile(filepath.Join("..", "..", "campaign", "default.toml"))
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "maps", "b.geojson")
	os.MkdirAll(filepath.Dir(bad), 0o755)
	writeFile(t, bad, `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"name":"沁河镇"},"geometry":{"type":"Polygon","coordinates":[[[112.3,36.5],[112.4,36.5],[112.4,36.6],[112.3,36.6],[112.3,36.5]]]}},
{"type":"Feature","properties":{"name":"晋城市"},"geometry":{"type":"Polygon","coordinates":[[[112.3,36.5],[112.4,36.5],[112.4,36.6],[112.3,36.6],[112.3,36.5]]]}}]}`)
	writeFile(t, cfgFile, strings.Replace(string(text), `boundaries = ""`, `boundaries = "maps/b.geojson"`, 1))
	_, errs, code = lw(t, "--db", db, "init", "--config", cfgFile)
	if code != 1 || !strings.Contains(errs, `b.geojson 第2个要素 properties.name："晋城市" 不是配置中的乡镇`) {
		t.Errorf("bad boundaries: %d %s", code, errs)
	}
	// A refused file changes nothing.
	if n, _ := boundaryCounts(t, db); n != 12 {
		t.Errorf("refused init left %d boundaries", n)
	}
	// The flag overrides the key.
	good := filepath.Join(dir, "good.geojson")
	writeFile(t, good, `{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"乡镇":"郭道镇"},"geometry":{"type":"Polygon","coordinates":[[[112.1,36.7],[112.2,36.7],[112.2,36.8],[112.1,36.8],[112.1,36.7]]]}}]}`)
	out, errs, code = lw(t, "--db", db, "init", "--config", cfgFile, "--boundaries", good)
	if code != 0 || !strings.Contains(out, "乡镇边界：1 个，来自") {
		t.Fatalf("init --boundaries good: %d %s %s", code, out, errs)
	}
	if n, _ := boundaryCounts(t, db); n != 1 {
		t.Errorf("stored %d boundaries, want 1", n)
	}
	_, errs, code = lw(t, "--db", db, "init", "--boundaries", filepath.Join(dir, "missing.geojson"))
	if code != 1 || !strings.Contains(errs, "missing.geojson") {
		t.Errorf("missing file: %d %s", code, errs)
	}
}
