package portal

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"landwatch/etl"
	"landwatch/internal/warehousetest"
	"landwatch/queries"
	"landwatch/warehouse"
)

// A new warehouse is migrated, and the tiny county loaded and its models run, once per test
// process; every test gets its own copy of the warehouse it needs (internal/warehousetest) and
// opens its own server on it, as if it had made the warehouse itself.

// emptyWarehouse is a new warehouse: migrated, the default campaign configuration applied.
var emptyWarehouse = &warehousetest.Template{Name: "lw.duckdb", Build: func(ctx context.Context, file string) error {
	db, err := warehouse.Open(ctx, file, warehouse.Options{})
	if err != nil {
		return err
	}
	return db.Close()
}}

// The tests that only send requests through app.Test to a server on their own warehouse, and do
// the slow work (model runs, page walks), call t.Parallel: they run two at a time after the others.
// Tests that start a browser, listen on a socket, time something, count goroutines or measure
// memory never do, so they run alone.

// tinyAsOf is the day tinyEnv's models are run as of.
var tinyAsOf = time.Date(2023, 4, 16, 0, 0, 0, 0, time.UTC)

// tinyLoaded is a new warehouse with the committed tiny county (testdata/tiny) loaded by
// etl.LoadManifest; no model has run.
var tinyLoaded = &warehousetest.Template{Name: "lw.duckdb", Build: func(ctx context.Context, file string) error {
	db, err := warehouse.Open(ctx, file, warehouse.Options{})
	if err != nil {
		return err
	}
	cfg, err := db.Config(ctx)
	if err == nil {
		_, err = etl.LoadManifest(ctx, db, cfg, filepath.Join("..", "testdata", "tiny"), etl.Options{LoadedBy: "test"})
	}
	if err != nil {
		db.Close()
		return err
	}
	return db.Close()
}}

// tinyModelled is tinyLoaded with the models run as of tinyAsOf.
var tinyModelled = &warehousetest.Template{Name: "lw.duckdb", Build: func(ctx context.Context, file string) error {
	if _, err := tinyLoaded.CopyInto(filepath.Dir(file)); err != nil {
		return err
	}
	db, err := warehouse.Open(ctx, file, warehouse.Options{})
	if err != nil {
		return err
	}
	if _, err := queries.Run(ctx, db, queries.RunOptions{AsOf: tinyAsOf}); err != nil {
		db.Close()
		return err
	}
	return db.Close()
}}

// tinyEnv is a portal on the committed tiny county (testdata/tiny), models run as of 2023-04-16
// (tinyAsOf).
func tinyEnv(t *testing.T, opts ...Options) *testEnv {
	t.Helper()
	return openEnv(t, tinyModelled.Copy(t), opts...)
}

// tinyLoadedEnv is a portal on the tiny county loaded, before any model has run.
func tinyLoadedEnv(t *testing.T, opts ...Options) *testEnv {
	t.Helper()
	return openEnv(t, tinyLoaded.Copy(t), opts...)
}
