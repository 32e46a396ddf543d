package main

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"landwatch/warehouse"
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

// fileQueries read the secret through a symlink (link) or a csv (csvFile) next to it: a CTE that
// shadows the file's name in one scope only, table functions under every alias form and nesting,
// replacement scans, SUMMARIZE and DESCRIBE of a file.
func fileQueries(dir, link, csvFile string) map[string]string {
	l, c := "\""+link+"\"", "'"+csvFile+"'"
	return map[string]string{
		"cte shadowing one scope":    "SELECT * FROM (WITH " + l + " AS (SELECT 1) SELECT * FROM " + l + "), " + l,
		"cte shadowing, quoted":      "SELECT * FROM (WITH " + l + " AS (SELECT 1) SELECT * FROM " + l + ") a, '" + link + "' b",
		"cte in a sibling subquery":  "SELECT * FROM (WITH x AS (SELECT 1) SELECT * FROM x) a, (SELECT * FROM " + l + ") b",
		"cte body reads itself":      "WITH " + l + " AS (SELECT * FROM " + l + ") SELECT * FROM " + l,
		"cte in a union branch":      "SELECT * FROM (WITH " + l + " AS (SELECT 1 AS a) SELECT * FROM " + l + ") UNION ALL SELECT * FROM " + l,
		"replacement scan symlink":   "SELECT * FROM '" + link + "'",
		"from-first":                 "FROM " + c,
		"read_csv":                   "SELECT * FROM read_csv(" + c + ")",
		"read_csv_auto as t":         "SELECT * FROM read_csv_auto(" + c + ") AS t",
		"read_csv t(x)":              "SELECT x FROM read_csv(" + c + ", header = false) t(x)",
		"read_csv_auto t":            "SELECT * FROM read_csv_auto(" + c + ") t",
		"read_parquet":               "SELECT * FROM read_parquet('" + filepath.Join(dir, "x.parquet") + "')",
		"parquet_scan":               "SELECT * FROM parquet_scan('" + filepath.Join(dir, "x.parquet") + "')",
		"read_text symlink":          "SELECT content FROM read_text('" + link + "')",
		"read_json":                  "SELECT * FROM read_json_auto(" + c + ")",
		"glob":                       "SELECT * FROM glob('" + dir + "/*') g(f)",
		"nested subquery":            "SELECT * FROM (SELECT * FROM (SELECT * FROM read_csv(" + c + ")))",
		"scalar subquery":            "SELECT (SELECT max(column0) FROM read_csv(" + c + ")) AS v",
		"lateral":                    "SELECT * FROM dim_townships, LATERAL (SELECT * FROM read_csv(" + c + ")) r",
		"in a cte":                   "WITH r AS (SELECT * FROM read_csv(" + c + ")) SELECT * FROM r",
		"in a recursive cte":         "WITH RECURSIVE r AS (SELECT * FROM read_text('" + link + "') UNION ALL SELECT * FROM r WHERE false) SELECT * FROM r",
		"in a where":                 "SELECT * FROM dim_townships WHERE EXISTS (SELECT * FROM read_text('" + link + "'))",
		"in a join":                  "SELECT * FROM dim_townships JOIN read_text('" + link + "') t ON true",
		"replacement scan in a cte":  "WITH x AS (SELECT * FROM " + c + ") SELECT * FROM x",
		"replacement scan in exists": "SELECT 1 WHERE EXISTS (FROM " + c + ")",
		"summarize file":             "SUMMARIZE " + c,
		"describe file":              "DESCRIBE " + c,
		"unknown name, scoped cte":   "SELECT * FROM (WITH zz AS (SELECT 1) SELECT * FROM zz), zz",
		"pivot over a file":          "SELECT * FROM " + c + " PIVOT (count(*) FOR column0 IN ('a'))",
		"sniff_csv":                  "SELECT * FROM sniff_csv(" + c + ")",
		"scalar read in unnest":      "SELECT * FROM unnest((SELECT list(content) FROM read_text('" + link + "')))",
		"table function in set op":   "SELECT 1 UNION SELECT 1 FROM read_text('" + link + "')",
		"uppercase function":         "SELECT * FROM READ_TEXT('" + link + "')",
		"schema-qualified file scan": "SELECT * FROM main." + l,
	}
}

// runFileReads: every file query is refused and nothing of the secret comes back.
func runFileReads(t *testing.T, db string) {
	t.Helper()
	dir := filepath.Dir(db)
	secret := filepath.Join(dir, "secret-test.txt")
	writeFile(t, secret, "topsecret-key\n")
	link := filepath.Join(dir, "s.csv")
	if err := os.Symlink(secret, link); err != nil {
		t.Fatal(err)
	}
	csvFile := filepath.Join(dir, "t.csv")
	if err := os.Symlink(secret, csvFile); err != nil {
		t.Fatal(err)
	}
	for name, q := range fileQueries(dir, link, csvFile) {
		out, errs, code := lw(t, "--db", db, "sql", "--format", "csv", q)
		if code == 0 || strings.Contains(out, "topsecret") || strings.Contains(errs, "topsecret") {
			t.Errorf("%s: not refused: %d %q %q", name, code, out, errs)
			continue
		}
		if !strings.Contains(errs, "只读") {
			t.Errorf("%s: not refused by the check: %q", name, errs)
		}
	}
	// scoped CTEs that are used where they are visible still work
	for _, q := range []string{
		"WITH x AS (SELECT 1 AS a) SELECT * FROM (SELECT * FROM x) s, x",
		"SELECT * FROM (WITH x AS (SELECT 1 AS a) SELECT * FROM x) s",
		"WITH a AS (SELECT 1 AS v), b AS (SELECT v FROM a) SELECT * FROM b",
		"WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT count(*) FROM r",
		"SELECT township, count(*) OVER () AS n FROM dim_townships ORDER BY township LIMIT 1",
		"SELECT * FROM range(3) t(i)",
	} {
		if _, errs, code := lw(t, "--db", db, "sql", "--format", "csv", q); code != 0 {
			t.Errorf("allowed query %q: %d %q", q, code, errs)
		}
	}
}

// TestSQLFileReadsDirect: `landwatch sql` on its own reads no file, whatever form the query takes.
func TestSQLFileReadsDirect(t *testing.T) {
	runFileReads(t, initDB(t))
}

// TestSQLFileReadsForwarded: the same queries forwarded to the running server through its socket.
func TestSQLFileReadsForwarded(t *testing.T) {
	db := initDB(t)
	startServer(t, db)
	runFileReads(t, db)
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

// TestForwardedLoadsOnSealedServer: the running server's warehouse has file access off, yet the
// loaders that need DuckDB's readers still work through the staging folder — a readings csv that
// only read_csv can read (a blank line inside), and a Parquet file — and leave nothing staged.
func TestForwardedLoadsOnSealedServer(t *testing.T) {
	db := initDB(t)
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "readings.csv")
	writeFile(t, csvPath, "户号,时间,电量\n1430000003,2023-03-14 10:00:00,3\n\n1430000003,2023-03-16 10:00:00,4\n")
	pq := filepath.Join(dir, "readings.parquet")
	mem, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mem.Exec(`COPY (SELECT '1430000003' AS "户号", TIMESTAMP '2023-03-15 10:00:00' AS "时间", 5.0 AS "电量") TO '` + pq + `' (FORMAT parquet)`); err != nil {
		t.Fatal(err)
	}
	mem.Close()
	startServer(t, db)
	for _, l := range [][]string{
		{"meters", filepath.Join("..", "..", "testdata", "etl", "用电户档案.csv")},
		{"power", csvPath},
		{"power", pq},
	} {
		if out, errs, code := lw(t, "--db", db, "load", "--received-on", "2023-03-17", l[0], l[1]); code != 0 {
			t.Fatalf("forwarded load %s %s: %d %s %s", l[0], filepath.Base(l[1]), code, out, errs)
		}
	}
	out, errs, code := lw(t, "--db", db, "sql", "--format", "csv", "SELECT count(*) AS n FROM raw_power_readings JOIN power_meter_keys USING (meter_key) WHERE meter_id = '1430000003' AND ts >= TIMESTAMP '2023-03-14'")
	if code != 0 || out != "n\n3\n" {
		t.Errorf("readings loaded through the staging folder: %d %q %q", code, out, errs)
	}
	left, err := os.ReadDir(warehouse.StageDir(db))
	if err != nil || len(left) != 0 {
		t.Errorf("staging folder after the loads: %v %v", left, err)
	}
}
