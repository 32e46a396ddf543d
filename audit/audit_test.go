package audit

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"landwatch/warehouse"
)

// TestStandaloneAndVerify: a command's own appends chain and sign both heads; Verify finds them
// intact, then finds an edited entry and a deleted head file.
func TestStandaloneAndVerify(t *testing.T) {
	ctx := context.Background()
	db, err := warehouse.Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	au := Standalone(db)
	for _, obj := range []string{"1", "2", "3"} {
		if err := au.Audit(ctx, "office1", "load.received_stamp", obj, map[string]any{"file": obj + ".csv"}); err != nil {
			t.Fatal(err)
		}
	}
	n, f, err := Verify(ctx, db)
	if err != nil || n != 3 || len(f) != 0 {
		t.Fatalf("clean: %d %v %v", n, f, err)
	}
	if _, err := db.Exec(`UPDATE audit_log SET detail = '{"file":"x.csv"}' WHERE seq = 2`); err != nil {
		t.Fatal(err)
	}
	if _, f, _ := Verify(ctx, db); len(f) == 0 || f[0].Kind != "edited" || f[0].Seq != 2 {
		t.Fatalf("edited entry: %v", f)
	}
	os.Remove(HeadPath(db.Path))
	_, f, _ = Verify(ctx, db)
	found := false
	for _, x := range f {
		found = found || x.Kind == "head"
	}
	if !found {
		t.Fatalf("missing head file not reported: %v", f)
	}
}
