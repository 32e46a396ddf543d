package intake

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"landwatch/warehouse"
)

// TestCheckTownshipFile: a township's inspection form is accepted for its own township and refused,
// naming the header and the rows, for another; ledger updates of items the warehouse does not know
// are refused row by row. Nothing reaches the warehouse either way.
func TestCheckTownshipFile(t *testing.T) {
	ctx := t.Context()
	db, err := warehouse.Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cfg, err := db.Config(ctx)
	if err != nil {
		t.Fatal(err)
	}
	form, err := os.ReadFile("../../testdata/etl/沁河镇村级排查表.csv")
	if err != nil {
		t.Fatal(err)
	}
	if rows, err := CheckTownshipFile(ctx, db, cfg, "沁河镇", "inspection", "表.csv", form); err != nil {
		t.Fatalf("own form: %v %v", err, rows)
	}
	rows, err := CheckTownshipFile(ctx, db, cfg, "郭道镇", "inspection", "表.csv", form)
	if err == nil || !strings.Contains(err.Error(), "不属于郭道镇") || len(rows) < 2 || !strings.HasPrefix(rows[0], "表.csv 表头：") ||
		!strings.Contains(rows[1], "第 4 行") {
		t.Fatalf("another township's form: %v %q", err, rows)
	}
	ledger, err := os.ReadFile("../../testdata/etl/整改台账.csv")
	if err != nil {
		t.Fatal(err)
	}
	rows, err = CheckTownshipFile(ctx, db, cfg, "郭道镇", "rectification", "台账.csv", ledger)
	if err == nil || len(rows) == 0 || !strings.Contains(rows[0], "郭道镇-20230312-1") {
		t.Fatalf("items not on the list: %v %q", err, rows)
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM load_batches`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d batches loaded by the checks (%v)", n, err)
	}
}
