package warehouse

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestFilesPrivate: the warehouse and its write-ahead log are readable by their owner only,
// whatever the umask; init and serve (RefuseShared) refuse a warehouse others may read.
func TestFilesPrivate(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	file := filepath.Join(t.TempDir(), "w.duckdb")
	ctx := context.Background()
	db, err := Open(ctx, file, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `CREATE TABLE secret_notes AS SELECT 'x' AS note`); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{file, file + ".wal"} {
		st, err := os.Stat(f)
		if err != nil {
			if f == file {
				t.Fatal(err)
			}
			continue
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v", filepath.Base(f), st.Mode().Perm())
		}
	}
	db.Close()
	os.Chmod(file, 0o644)
	_, err = Open(ctx, file, Options{RefuseShared: true})
	if err == nil || !strings.Contains(err.Error(), "chmod 600") || !strings.Contains(err.Error(), "其他用户") {
		t.Fatalf("group/world-readable warehouse: %v", err)
	}
	os.Chmod(file, 0o640)
	if _, err = Open(ctx, file, Options{RefuseShared: true}); err == nil {
		t.Fatal("group-readable warehouse accepted")
	}
}
