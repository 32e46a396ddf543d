package power_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"landwatch/campaign"
	"landwatch/etl"
	"landwatch/etl/batch"
	"landwatch/warehouse"
)

// The readings tests load meter registries through landwatch/etl, as the office does; these are
// its names and its test helpers (etl/etl_test.go).
type (
	Kind      = etl.Kind
	Options   = etl.Options
	Result    = etl.Result
	FileError = etl.FileError
)

const (
	KindMeters      = etl.KindMeters
	KindPower       = etl.KindPower
	KindPowerAlerts = etl.KindPowerAlerts
	MaxErrors       = etl.MaxErrors
)

var (
	LoadFile = etl.LoadFile
	Load     = etl.Load
)

// fixtures are the committed input files of testdata/etl (etl/fixtures_test.go writes them).
const fixtures = "../../testdata/etl"

func fixture(name string) string { return filepath.Join(fixtures, name) }

func openDB(t *testing.T) (*warehouse.DB, *campaign.Config) {
	t.Helper()
	db, err := warehouse.Open(context.Background(), filepath.Join(t.TempDir(), "w.duckdb"), warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, campaign.Default()
}

func load(t *testing.T, db *warehouse.DB, cfg *campaign.Config, kind Kind, path string) *Result {
	t.Helper()
	r, err := LoadFile(context.Background(), db, cfg, kind, path, Options{LoadedBy: "test"})
	if err != nil {
		t.Fatalf("load %s: %v", path, err)
	}
	return r
}

// rowsOf returns a query's rows with every value as text ("NULL" for NULL).
func rowsOf(t *testing.T, db *warehouse.DB, q string, args ...any) [][]string {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		rec := make([]string, len(cols))
		for i, v := range vals {
			if v == nil {
				rec[i] = "NULL"
			} else {
				rec[i] = fmt.Sprint(v)
			}
		}
		out = append(out, rec)
	}
	return out
}

func count(t *testing.T, db *warehouse.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// refused loads a bad file and checks that it names every expected message and loaded nothing.
func refused(t *testing.T, db *warehouse.DB, cfg *campaign.Config, kind Kind, path string, want ...string) *FileError {
	t.Helper()
	before := count(t, db, `SELECT count(*) FROM load_batches`)
	_, err := LoadFile(context.Background(), db, cfg, kind, path, Options{})
	var fe *FileError
	if !errors.As(err, &fe) {
		t.Fatalf("want a FileError, got %v", err)
	}
	msg := err.Error()
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("error does not contain %q:\n%s", w, msg)
		}
	}
	if after := count(t, db, `SELECT count(*) FROM load_batches`); after != before {
		t.Errorf("a batch was recorded: %d → %d", before, after)
	}
	for _, tbl := range []string{"raw_inspections", "raw_rectifications", "raw_patrols", "raw_cases", "raw_power_readings", "raw_power_checks", "raw_imagery_patches", "raw_clues"} {
		if n := count(t, db, `SELECT count(*) FROM `+tbl+` t JOIN load_batches b USING (batch_id)`) + count(t, db, `SELECT count(*) FROM `+tbl+` WHERE batch_id NOT IN (SELECT batch_id FROM load_batches)`); n != 0 && tbl != "raw_meters" {
			t.Errorf("%s has %d rows", tbl, n)
		}
	}
	return fe
}

// cancelAt holds the loads of this test the first time one reaches the pause point; while it is
// held, the test's own goroutine cancels the load's context, then lets it go on. reached tells
// whether a load got there.
func cancelAt(t *testing.T, point string, cancel context.CancelFunc) (reached func() bool) {
	t.Helper()
	held, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	var hit atomic.Bool
	hook := func(p string) {
		if p == point {
			once.Do(func() { hit.Store(true); close(held); <-release })
		}
	}
	batch.PauseAt.Store(&hook)
	done := make(chan struct{})
	go func() {
		select {
		case <-held:
			cancel()
			close(release)
		case <-done: // the load never came here
		}
	}()
	t.Cleanup(func() { close(done); batch.PauseAt.Store(nil) })
	return hit.Load
}

// leftBehind counts what a load that failed may have left: rows of the table, batches of the kind,
// their warnings, audit entries and villages added.
func leftBehind(t *testing.T, db *warehouse.DB, table string, kind Kind) map[string]int {
	t.Helper()
	return map[string]int{
		table:           count(t, db, `SELECT count(*) FROM `+table),
		"load_batches":  count(t, db, `SELECT count(*) FROM load_batches WHERE kind = ?`, string(kind)),
		"load_warnings": count(t, db, `SELECT count(*) FROM load_warnings WHERE batch_id NOT IN (SELECT batch_id FROM load_batches)`),
		"audit_log":     count(t, db, `SELECT count(*) FROM audit_log`),
		"dim_villages":  count(t, db, `SELECT count(*) FROM dim_villages`),
	}
}
