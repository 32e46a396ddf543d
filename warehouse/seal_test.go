package warehouse

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSealRunning: once a server's warehouse is sealed, no statement on it — on its own handle or on
// the handle forwarded commands borrow — reads a file outside the warehouse, directly, through a
// symbolic link, through a link planted in the staging folder or through `..`; external access and
// the allowed folders cannot be changed back; a staged file is read, and its copy goes afterwards.
func TestSealRunning(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(ctx, filepath.Join(dir, "w.duckdb"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	secret := filepath.Join(dir, "secret.csv")
	if err := os.WriteFile(secret, []byte("k\ntopsecret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.csv")
	if err := os.Symlink(secret, link); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM read_csv('"+secret+"')").Scan(&n); err != nil {
		t.Fatalf("before sealing, the warehouse reads files: %v", err)
	}
	if err := db.SealRunning(ctx); err != nil {
		t.Fatal(err)
	}
	planted := filepath.Join(StageDir(db.Path), "planted.csv")
	if err := os.Symlink(secret, planted); err != nil {
		t.Fatal(err)
	}
	borrowed := db.Borrow()
	defer borrowed.Close()
	for _, h := range []*DB{db, borrowed} {
		for _, q := range []string{
			"SELECT count(*) FROM read_csv('" + secret + "')",
			"SELECT count(*) FROM read_text('" + link + "')",
			"SELECT count(*) FROM '" + secret + "'",
			"SELECT count(*) FROM read_text('" + planted + "')",
			"SELECT count(*) FROM read_text('" + StageDir(db.Path) + "/../secret.csv')",
			"SELECT count(*) FROM glob('" + dir + "/*')",
		} {
			if err := h.QueryRowContext(ctx, q).Scan(&n); err == nil {
				t.Errorf("sealed warehouse ran %s", q)
			}
		}
		for _, q := range []string{
			"SET enable_external_access = true",
			"SET allowed_directories = ['/']",
			"SET allowed_paths = ['" + secret + "']",
			"COPY (SELECT 1) TO '" + filepath.Join(dir, "out.csv") + "'",
		} {
			if _, err := h.ExecContext(ctx, q); err == nil {
				t.Errorf("sealed warehouse ran %s", q)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "out.csv")); err == nil {
		t.Error("a file was written")
	}
	for _, src := range []string{secret, link} { // a loader stages the file it was given, link or not
		staged, done, err := db.Stage(src)
		if err != nil {
			t.Fatal(err)
		}
		var v string
		if err := db.QueryRowContext(ctx, "SELECT k FROM read_csv('"+staged+"')").Scan(&v); err != nil || v != "topsecret" {
			t.Errorf("staged %s: %q %v", src, v, err)
		}
		done()
		if _, err := os.Stat(staged); err == nil {
			t.Errorf("staged copy of %s left behind", src)
		}
	}
	if !strings.HasSuffix(StageDir(db.Path), ".stage") {
		t.Error("stage folder name")
	}
}
