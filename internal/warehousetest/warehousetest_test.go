package warehousetest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMain(m *testing.M) {
	code := m.Run()
	RemoveAll()
	os.Exit(code)
}

// TestCopies: the template is built once; each copy holds the file and everything beside it with
// their modes, and a test writing into its copy changes neither the template nor another copy.
func TestCopies(t *testing.T) {
	builds := 0
	tp := &Template{Name: "w.duckdb", Build: func(_ context.Context, file string) error {
		builds++
		dir := filepath.Dir(file)
		for name, mode := range map[string]os.FileMode{"w.duckdb": 0o600, "w.duckdb.secret": 0o600, "w.duckdb.audit": 0o644} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(name), mode); err != nil {
				return err
			}
		}
		if err := os.Mkdir(filepath.Join(dir, "briefings"), 0o700); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, "briefings", "a.pdf"), []byte("pdf"), 0o600)
	}}
	a, b := tp.Copy(t), tp.Copy(t)
	if builds != 1 {
		t.Errorf("built %d times", builds)
	}
	if filepath.Dir(a) == filepath.Dir(b) || filepath.Base(a) != "w.duckdb" {
		t.Fatalf("copies %s and %s", a, b)
	}
	if err := os.WriteFile(a, []byte("changed"), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]struct {
		body string
		mode os.FileMode
	}{"w.duckdb": {"w.duckdb", 0o600}, "w.duckdb.secret": {"w.duckdb.secret", 0o600}, "w.duckdb.audit": {"w.duckdb.audit", 0o644},
		"briefings": {"", 0o700 | os.ModeDir}, filepath.Join("briefings", "a.pdf"): {"pdf", 0o600}} {
		for _, dir := range []string{filepath.Dir(b), tp.dir} {
			p := filepath.Join(dir, name)
			st, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			if st.Mode() != want.mode {
				t.Errorf("%s: mode %v, want %v", p, st.Mode(), want.mode)
			}
			if want.mode.IsDir() {
				continue
			}
			if got, _ := os.ReadFile(p); string(got) != want.body {
				t.Errorf("%s holds %q, want %q", p, got, want.body)
			}
		}
	}
}

// TestLeftWAL: a template whose warehouse was left with a write-ahead log (not checkpointed) is
// refused, and so is one whose Build fails; every test using it fails.
func TestLeftWAL(t *testing.T) {
	tp := &Template{Name: "w.duckdb", Build: func(_ context.Context, file string) error {
		if err := os.WriteFile(file, nil, 0o600); err != nil {
			return err
		}
		return os.WriteFile(file+".wal", nil, 0o600)
	}}
	for range 2 {
		if _, err := tp.CopyInto(t.TempDir()); err == nil || !strings.Contains(err.Error(), "write-ahead log") {
			t.Errorf("copy of a template with its WAL left: %v", err)
		}
	}
	none := &Template{Name: "w.duckdb", Build: func(context.Context, string) error { return nil }}
	if _, err := none.CopyInto(t.TempDir()); err == nil {
		t.Error("a template whose Build made no file was copied")
	}
}
