package queries

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"landwatch/etl"
	"landwatch/internal/warehousetest"
	"landwatch/warehouse"
)

func TestMain(m *testing.M) {
	code := m.Run()
	warehousetest.RemoveAll()
	os.Exit(code)
}

// emptyWarehouse is a new warehouse (migrated, the default campaign configuration applied), built
// once per test process; newFixture gives each test its own copy (internal/warehousetest).
var emptyWarehouse = &warehousetest.Template{Name: "w.duckdb", Build: func(ctx context.Context, file string) error {
	db, err := warehouse.Open(ctx, file, warehouse.Options{})
	if err != nil {
		return err
	}
	return db.Close()
}}

// tinyDir is the committed synthetic county.
var tinyDir = filepath.Join("..", "testdata", "tiny")

// tinyLoaded is a new warehouse (default campaign configuration) with testdata/tiny loaded by
// etl.LoadManifest and no model run: built once per test process, each test gets its own copy
// (internal/warehousetest).
var tinyLoaded = &warehousetest.Template{Name: "w.duckdb", Build: func(ctx context.Context, file string) error {
	db, err := warehouse.Open(ctx, file, warehouse.Options{})
	if err != nil {
		return err
	}
	cfg, err := db.Config(ctx)
	if err == nil {
		_, err = etl.LoadManifest(ctx, db, cfg, tinyDir, etl.Options{})
	}
	if err != nil {
		db.Close()
		return err
	}
	return db.Close()
}}

// loadedFixture is a fixture with the county in dir loaded by etl.LoadManifest, no model run; for
// testdata/tiny it is a copy of tinyLoaded.
func loadedFixture(t *testing.T, dir string) *fixture {
	t.Helper()
	if filepath.Clean(dir) == filepath.Clean(tinyDir) {
		return openFixture(t, tinyLoaded.Copy(t))
	}
	f := newFixture(t)
	cfg, err := f.db.Config(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := etl.LoadManifest(f.ctx, f.db, cfg, dir, etl.Options{}); err != nil {
		t.Fatalf("load %s: %v", dir, err)
	}
	return f
}
