package audit

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"landwatch/warehouse"
)

// One entry binds several batches (a manifest's): each is vouched for as if it had its own entry
// — an edited stamp, a deleted batch and a batch without entry are named; a key without a row
// refuses the entry.
func TestBindAll(t *testing.T) {
	ctx := context.Background()
	db, err := warehouse.Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	batch := func(id int) {
		t.Helper()
		if _, err := db.Exec(`INSERT INTO load_batches (batch_id, kind, file_name, sha256, rows, warnings, loaded_by, loaded_at, received_at)
			VALUES (?, 'patrol', 'f' || ?::VARCHAR || '.csv', 'x' || ?::VARCHAR, 3, 0, 'cli', TIMESTAMP '2023-03-10 09:00:00', TIMESTAMP '2023-03-10 09:00:00')`, id, id, id); err != nil {
			t.Fatal(err)
		}
	}
	for id := 1; id <= 3; id++ {
		batch(id)
	}
	au := Standalone(db)
	if err := au.Audit(ctx, "office", "load.manifest", "tiny", map[string]any{"bound": BindAll("load_batches", "1", "2", "3")}); err != nil {
		t.Fatal(err)
	}
	if got := boundFindings(t, db); got != "" {
		t.Fatalf("three batches bound by one entry: %s", got)
	}
	if err := au.Audit(ctx, "office", "load.manifest", "tiny", map[string]any{"bound": BindAll("load_batches", "4")}); err == nil ||
		!strings.Contains(err.Error(), "no row to bind") {
		t.Fatalf("a batch that does not exist was bound: %v", err)
	}
	if _, err := db.Exec(`UPDATE load_batches SET received_at = TIMESTAMP '2023-03-01 09:00:00' WHERE batch_id = 2`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`DELETE FROM load_batches WHERE batch_id = 3`); err != nil {
		t.Fatal(err)
	}
	batch(5)
	got := boundFindings(t, db)
	for _, want := range []string{"批次 2", "批次 3", "批次 5"} {
		if !strings.Contains(got, want) {
			t.Errorf("%s is not named:\n%s", want, got)
		}
	}
	if strings.Contains(got, "批次 1") {
		t.Errorf("batch 1 is named though untouched:\n%s", got)
	}
}
