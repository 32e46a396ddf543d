package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// lwUmask runs the CLI in-process as a shell with umask 022 would start it.
func lwUmask(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	return lw(t, args...)
}

// assertPrivate walks root (itself included) and names every file or folder that its group or others may use.
func assertPrivate(t *testing.T, root string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		n++
		if perm := info.Mode().Perm(); perm&0o077 != 0 {
			t.Errorf("%s is %v: group or others may read it", p, perm)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Every file and folder the commands write is the owner's only, though the shell's umask (022)
// would let everyone read them: gen's files, the warehouse, export parquet (DuckDB's COPY writes the
// marts and the partition folders of the readings, holding meter holders' names and addresses),
// the synthetic province and its roll-up PDF, the reports (PDF and xlsx) and the notice digests.
func TestPrivateFilesWhateverTheUmask(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a county")
	}
	dir := t.TempDir()
	gen := filepath.Join(dir, "gen")
	db := filepath.Join(dir, "w.duckdb")
	export := filepath.Join(dir, "export")
	province := filepath.Join(dir, "province")
	steps := [][]string{
		{"gen", "--out", gen, "--scale", "tiny", "--seed", "7"},
		{"--db", db, "init"},
		{"--db", db, "load", "--quiet", "manifest", filepath.Join("..", "..", "testdata", "tiny")},
		{"--db", db, "models", "run", "--as-of", "2023-04-30"},
		{"--db", db, "export", "parquet", "--out", export},
		{"province", "synth", "--from", export, "--counties", "2", "--out", province},
		{"province", "--out", filepath.Join(dir, "province.pdf"), filepath.Join(province, "county-001"), filepath.Join(province, "county-002")},
		{"--db", db, "report", "weekly", "--out", filepath.Join(dir, "reports", "weekly.pdf")},
		{"--db", db, "report", "duties", "--out", filepath.Join(dir, "reports", "duties.xlsx")},
		{"--db", db, "notify", "--day", "2023-04-30", "--out", filepath.Join(dir, "digests")},
	}
	for _, args := range steps {
		if strings.Contains(strings.Join(args, " "), filepath.Join(dir, "reports")) {
			// an existing folder the user made: the report inside it is private all the same
			syscall.Mkdir(filepath.Join(dir, "reports"), 0o700)
		}
		if out, errs, code := lwUmask(t, args...); code != 0 {
			t.Fatalf("%v: exit %d\n%s\n%s", args, code, out, errs)
		}
	}
	for _, want := range []string{"gen/manifest.json", "export/power_readings", "export/meters.parquet", "province/county-001/marts",
		"province.pdf", "reports/weekly.pdf", "reports/duties.xlsx", "digests"} {
		if _, err := fs.Stat(dirFS(dir), want); err != nil {
			t.Errorf("%s was not written: %v", want, err)
		}
	}
	entries, err := os.ReadDir(dir) // dir itself is the test's
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		n += assertPrivate(t, filepath.Join(dir, e.Name()))
	}
	if n < 100 {
		t.Errorf("only %d files and folders walked", n)
	}
}

func dirFS(dir string) fs.FS { return os.DirFS(dir) }
