package reports

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"landwatch/etl"
	"landwatch/queries"
	"landwatch/warehouse"
)

// fixtureAsOf is the Sunday the report tests look at: the week before the accountability phase's
// second half, with every level, reason and list of the synthetic county present.
var fixtureAsOf = time.Date(2023, 4, 16, 0, 0, 0, 0, time.UTC)

// template is the committed synthetic county (testdata/tiny) loaded and its models built as of
// fixtureAsOf, once per test binary; each test gets a copy of its file.
var tiny struct {
	once sync.Once
	dir  string
	err  error
}

// fixtureDB is a fresh copy of the tiny county's warehouse with the real models built as of
// fixtureAsOf: the reports read exactly what the models produce.
func fixtureDB(t testing.TB) *warehouse.DB {
	t.Helper()
	tiny.once.Do(func() { tiny.dir, tiny.err = buildTemplate() })
	if tiny.err != nil {
		t.Fatalf("build the tiny county: %v", tiny.err)
	}
	dir := t.TempDir()
	for _, name := range []string{"w.duckdb", "w.duckdb.secret"} {
		if err := copyFile(filepath.Join(tiny.dir, name), filepath.Join(dir, name)); err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
	db, err := warehouse.Open(context.Background(), filepath.Join(dir, "w.duckdb"), warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// scan reads one row of a query into dst, failing the test when the query fails or has no row.
func scan(t testing.TB, db *warehouse.DB, q string, dst ...any) {
	t.Helper()
	if err := db.QueryRow(q).Scan(dst...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func buildTemplate() (string, error) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "landwatch-reports-*")
	if err != nil {
		return "", err
	}
	db, err := warehouse.Open(ctx, filepath.Join(dir, "w.duckdb"), warehouse.Options{})
	if err != nil {
		return "", err
	}
	defer db.Close()
	cfg, err := db.Config(ctx)
	if err != nil {
		return "", err
	}
	if _, err := etl.LoadManifest(ctx, db, cfg, filepath.Join("..", "testdata", "tiny"), etl.Options{LoadedBy: "test"}); err != nil {
		return "", err
	}
	if _, err := queries.Run(ctx, db, queries.RunOptions{AsOf: fixtureAsOf}); err != nil {
		return "", err
	}
	if _, err := db.ExecContext(ctx, `CHECKPOINT`); err != nil {
		return "", err
	}
	return dir, nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func TestMain(m *testing.M) {
	code := m.Run()
	if tiny.dir != "" {
		os.RemoveAll(tiny.dir)
	}
	os.Exit(code)
}
