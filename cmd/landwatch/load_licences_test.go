package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadLicencesCommand: `landwatch load licences FILE` loads the licence register (GeoJSON, and
// a later csv export of it).
func TestLoadLicencesCommand(t *testing.T) {
	db := initDB(t)
	dir := filepath.Join("..", "..", "testdata", "etl")
	out, errs, code := lw(t, "--db", db, "load", "--received-on", "2023-03-01", "licences", filepath.Join(dir, "矿业权登记.geojson"))
	if code != 0 || !strings.Contains(out, "矿业权登记.geojson【矿业权登记】：批次 1，2 行") {
		t.Fatalf("load: %d\n%s\n%s", code, out, errs)
	}
	out, errs, code = lw(t, "--db", db, "load", "--received-on", "2023-05-10", "licences", filepath.Join(dir, "矿业权登记-延续.csv"))
	if code != 0 || !strings.Contains(out, "【矿业权登记】：批次 2，1 行") {
		t.Fatalf("renewal: %d\n%s\n%s", code, out, errs)
	}
}
