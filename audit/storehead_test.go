package audit

import (
	"context"
	"path/filepath"
	"testing"

	"landwatch/warehouse"
)

// TestStoreHeadOneRow: whatever audit_head held — nothing (a new warehouse), its one row, or
// several rows (written behind the tool) — storeHead leaves exactly the one row of the new head.
func TestStoreHeadOneRow(t *testing.T) {
	ctx := context.Background()
	db, err := warehouse.Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, c := range []struct {
		name   string
		before []string
	}{
		{"empty", nil},
		{"one row", []string{`INSERT INTO audit_head VALUES (1, 'a', 's')`}},
		{"two rows", []string{`INSERT INTO audit_head VALUES (1, 'a', 's')`, `INSERT INTO audit_head VALUES (2, 'b', 't')`}},
	} {
		if _, err := db.Exec(`DELETE FROM audit_head`); err != nil {
			t.Fatal(err)
		}
		for _, q := range c.before {
			if _, err := db.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := storeHead(ctx, tx, Head{Seq: 7, MAC: "m7", Sig: "s7"}); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		var n int
		var seq int64
		var mac, sig string
		if err := db.QueryRow(`SELECT count(*), max(seq), max(mac), max(head_mac) FROM audit_head`).Scan(&n, &seq, &mac, &sig); err != nil {
			t.Fatal(err)
		}
		if n != 1 || seq != 7 || mac != "m7" || sig != "s7" {
			t.Errorf("%s: audit_head holds %d rows, max %d %s %s; want the one row 7 m7 s7", c.name, n, seq, mac, sig)
		}
	}
}
