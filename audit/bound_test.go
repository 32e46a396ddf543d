package audit

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"landwatch/warehouse"
)

// boundFindings are the bound-row findings of Verify, as text.
func boundFindings(t *testing.T, db *warehouse.DB) string {
	t.Helper()
	_, fs, err := Verify(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range fs {
		if f.Kind == "bound" {
			out = append(out, f.String())
		}
	}
	return strings.Join(out, "\n")
}

// A freeze audited before binding existed (models.freeze with the snapshot's hash only) still
// binds its day: the baseline leaves it alone, a re-freeze and a deleted freeze are named.
func TestLegacyFreezeEntry(t *testing.T) {
	ctx := context.Background()
	db, err := warehouse.Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	freeze := func(sum string) {
		t.Helper()
		if _, err := db.Exec(`INSERT INTO freezes VALUES (DATE '2023-04-30', TIMESTAMP '2023-05-01 09:00:00', '郭局长', ?, 12, 3, 4, '{}')`, sum); err != nil {
			t.Fatal(err)
		}
	}
	au := Standalone(db)
	freeze("aaaa")
	if err := au.Audit(ctx, "郭局长", "models.freeze", "2023-04-30", map[string]any{"sha256": "aaaa"}); err != nil {
		t.Fatal(err)
	}
	if got := boundFindings(t, db); got != "" {
		t.Fatalf("a legacy freeze that matches: %s", got)
	}
	if _, err := Baseline(ctx, au, "管理员"); err != nil {
		t.Fatal(err)
	}
	if got := boundFindings(t, db); got != "" {
		t.Fatalf("after the baseline: %s", got)
	}
	if _, err := db.Exec(`UPDATE freezes SET sha256 = 'bbbb'`); err != nil {
		t.Fatal(err)
	}
	if got := boundFindings(t, db); !strings.Contains(got, "锁定被改动：2023-04-30 的快照哈希现为“bbbb”，记录时为“aaaa”") {
		t.Fatalf("an edited legacy freeze: %s", got)
	}
	// deleted and frozen again through the tool
	if _, err := db.Exec(`DELETE FROM freezes`); err != nil {
		t.Fatal(err)
	}
	if got := boundFindings(t, db); !strings.Contains(got, "锁定被删除：2023-04-30") {
		t.Fatalf("a deleted legacy freeze: %s", got)
	}
	freeze("cccc")
	if err := au.Audit(ctx, "某人", "models.freeze", "2023-04-30", map[string]any{"sha256": "cccc", "bound": Bind("freezes", "2023-04-30")}); err != nil {
		t.Fatal(err)
	}
	if got := boundFindings(t, db); !strings.Contains(got, "锁定被重新锁定：2023-04-30 已由审计日志第 1 条记录（哈希 aaaa），第") {
		t.Fatalf("a re-freeze over a legacy freeze: %s", got)
	}
}
