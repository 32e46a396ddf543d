package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// hostileQueries are statements an adversary with a shell sends to `landwatch sql`; every one must be
// refused before anything is prepared, leaving no file written, read or created and no row changed.
func hostileQueries(dir, secret string) map[string]string {
	return map[string]string{
		"delete":                 "DELETE FROM dim_townships",
		"explain analyze":        "EXPLAIN ANALYZE DELETE FROM dim_townships",
		"explain analyze select": "EXPLAIN ANALYZE SELECT 1",
		"copy to":                "COPY dim_townships TO '" + filepath.Join(dir, "out.csv") + "'",
		"copy select to":         "COPY (SELECT 1) TO '" + filepath.Join(dir, "out2.csv") + "'",
		"export database":        "EXPORT DATABASE '" + filepath.Join(dir, "exported") + "'",
		"read_text":              "SELECT content FROM read_text('" + secret + "')",
		"read_blob":              "SELECT content FROM read_blob('" + secret + "')",
		"read_csv":               "SELECT * FROM read_csv('" + secret + "')",
		"replacement scan":       "SELECT * FROM '" + secret + "'",
		"nested read_text":       "SELECT (SELECT content FROM read_text('" + secret + "')) AS c",
		"cte read_text":          "WITH s AS (SELECT * FROM read_text('" + secret + "')) SELECT * FROM s",
		"glob":                   "SELECT * FROM glob('" + dir + "/*')",
		"query":                  "SELECT * FROM query('DELETE FROM dim_townships')",
		"install":                "INSTALL httpfs",
		"load":                   "LOAD httpfs",
		"attach":                 "ATTACH '" + filepath.Join(dir, "other.duckdb") + "' AS o",
		"create table":           "CREATE TABLE evil AS SELECT 1 AS x",
		"pragma":                 "PRAGMA enable_checkpoint_on_shutdown",
		"set":                    "SET enable_external_access = true",
		"multiple":               "SELECT 1; DELETE FROM dim_townships",
		"checkpoint":             "CHECKPOINT",
	}
}

// checkNoTrace fails when a refused statement left something behind.
func checkNoTrace(t *testing.T, dir string, townships string) {
	t.Helper()
	for _, f := range []string{"out.csv", "out2.csv", "exported", "other.duckdb"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			t.Errorf("%s was created", f)
		}
	}
	_ = townships
}

func townshipCount(t *testing.T, db string) string {
	t.Helper()
	out, errs, code := lw(t, "--db", db, "sql", "--format", "csv", "SELECT count(*) AS n FROM dim_townships")
	if code != 0 {
		t.Fatalf("count: %d %s", code, errs)
	}
	return out
}

func runHostile(t *testing.T, db string) {
	t.Helper()
	dir := filepath.Dir(db)
	secret := filepath.Join(dir, "secret-test.txt")
	writeFile(t, secret, "topsecret-key\n")
	before := townshipCount(t, db)
	for name, q := range hostileQueries(dir, secret) {
		out, errs, code := lw(t, "--db", db, "sql", "--format", "csv", q)
		if code == 0 || strings.Contains(out, "topsecret") {
			t.Errorf("%s: not refused: %d %q %q", name, code, out, errs)
			continue
		}
		if !strings.Contains(errs, "只读") {
			t.Errorf("%s: message not in Chinese: %q", name, errs)
		}
	}
	checkNoTrace(t, dir, before)
	if after := townshipCount(t, db); after != before {
		t.Errorf("townships changed: %q → %q", before, after)
	}
	// what is allowed still works
	out, errs, code := lw(t, "--db", db, "sql", "--format", "csv", "WITH t AS (SELECT township FROM dim_townships) SELECT count(*) AS n FROM t")
	if code != 0 || out != before {
		t.Errorf("allowed query: %d %q %q", code, out, errs)
	}
}

// TestSQLReadOnlyDirect: `landwatch sql` run on its own refuses every writing, file-touching or
// configuration statement.
func TestSQLReadOnlyDirect(t *testing.T) {
	runHostile(t, initDB(t))
}

// TestSQLReadOnlyForwarded: the same statements forwarded to a running server are refused too.
func TestSQLReadOnlyForwarded(t *testing.T) {
	db := initDB(t)
	startServer(t, db)
	runHostile(t, db)
}

// TestSQLSealedConnection: behind the statement check, the warehouse `landwatch sql` opens on its
// own cannot reach a file, an extension or its own configuration even with a statement that got
// through.
func TestSQLSealedConnection(t *testing.T) {
	db := initDB(t)
	secret := filepath.Join(filepath.Dir(db), "secret-test.txt")
	writeFile(t, secret, "topsecret-key\n")
	a := &app{dbFlag: db}
	w, err := a.openSQL(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for _, q := range []string{
		"SELECT content FROM read_text('" + secret + "')",
		"COPY (SELECT 1) TO '" + filepath.Join(filepath.Dir(db), "x.csv") + "'",
		"SET enable_external_access = true",
		"INSTALL httpfs",
	} {
		if _, err := w.ExecContext(context.Background(), q); err == nil {
			t.Errorf("sealed warehouse ran %q", q)
		}
	}
}

// TestServeInitRefuseSharedWarehouse: init and serve refuse a warehouse its group or others may
// read, in Chinese, naming the fix.
func TestServeInitRefuseSharedWarehouse(t *testing.T) {
	db := initDB(t)
	if err := os.Chmod(db, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range [][]string{{"init"}, {"serve", "--addr", "127.0.0.1:0"}} {
		_, errs, code := lw(t, append([]string{"--db", db}, cmd...)...)
		if code == 0 || !strings.Contains(errs, "chmod 600") || !strings.Contains(errs, "其他用户") {
			t.Errorf("%s on a 0644 warehouse: %d %q", cmd[0], code, errs)
		}
	}
}
