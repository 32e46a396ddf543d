package queries

import (
	"database/sql"
	"errors"
	"io"
	"testing"
	"time"
)

// temporaryTables counts the temporary tables of the warehouse's one connection.
func temporaryTables(f *fixture) int64 {
	f.t.Helper()
	var n int64
	if err := f.db.QueryRowContext(f.ctx, `SELECT count(*) FROM duckdb_tables() WHERE temporary`).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

// A run's copies of its "in_run: table" views are gone when it ends, committed or rolled back, so
// the views are read live again on the run's own connection: with one connection in the pool, a
// case entered after the run is in stg_enforcement__cases at once.
func TestRunCopiesDropped(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.db.DB.SetMaxOpenConns(1)
	models, err := Models()
	if err != nil {
		t.Fatal(err)
	}
	var copies int
	for _, m := range models {
		if m.InRun {
			copies++
		}
	}
	if copies == 0 {
		t.Fatal("no model says in_run: table")
	}
	f.insert("raw_cases", row{"case_id": "C-1", "source": "巡查", "township": t1, "found_on": "2023-03-20"})
	f.run("2023-04-30")
	if n := temporaryTables(f); n != 0 {
		t.Errorf("%d temporary tables after the run, want 0", n)
	}
	f.insert("raw_cases", row{"case_id": "C-2", "source": "巡查", "township": t1, "found_on": "2023-03-21"})
	expect(t, "cases read live after the run", f.one(`SELECT count(*) AS n FROM stg_enforcement__cases`), row{"n": 2})

	// a run whose data test fails is rolled back, its copies with it
	for _, id := range []string{"T1", "T1"} {
		f.insert("tips", row{"tip_id": id, "received_at": "2023-03-06 10:00:00", "received_on": "2023-03-06", "township": t1,
			"status": "收到", "receipt_lookup": "x", "receipt_hash": "x"})
	}
	_, err = Run(f.ctx, f.db, RunOptions{AsOf: day(t, "2023-04-16")})
	var tf TestFailures
	if !errors.As(err, &tf) {
		t.Fatalf("err %v, want TestFailures", err)
	}
	if n := temporaryTables(f); n != 0 {
		t.Errorf("%d temporary tables after the failed run, want 0", n)
	}
	f.insert("raw_cases", row{"case_id": "C-3", "source": "巡查", "township": t1, "found_on": "2023-03-22"})
	expect(t, "cases read live after the failed run", f.one(`SELECT count(*) AS n FROM stg_enforcement__cases`), row{"n": 3})
}

// testModels parses models given as name → SQL with their headers, in the order given.
func testModels(t *testing.T, defs ...[2]string) []*Model {
	t.Helper()
	var out []*Model
	for _, d := range defs {
		layer := "intermediate"
		m, err := parseModel(d[0], layer, d[0]+".sql", d[1])
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

// The models after an "in_run: table" view read its rows as they were once computed: a view of
// random() read by two tables gives both the same value; without the header, each its own. A
// temporary build (as of a past day) builds the view as a temporary table.
func TestRunCopyIsRead(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	build := func(header string, temp bool) (a, b float64) {
		models := testModels(t,
			[2]string{"int_test_random", "-- materialized: view\n" + header + "SELECT random() AS r"},
			[2]string{"int_test_a", "SELECT r FROM int_test_random"},
			[2]string{"int_test_b", "SELECT r FROM int_test_random"})
		err := f.db.InTx(f.ctx, func(tx *sql.Tx) error {
			if _, err := buildAll(f.ctx, tx, models, temp, runThreads{}, 1, day(t, "2023-04-30"), time.Now(), io.Discard); err != nil {
				return err
			}
			if err := tx.QueryRowContext(f.ctx, `SELECT (SELECT r FROM int_test_a), (SELECT r FROM int_test_b)`).Scan(&a, &b); err != nil {
				return err
			}
			if !temp {
				return dropRunCopies(f.ctx, tx, models)
			}
			return errors.New("roll back")
		})
		if err != nil && temp != (err.Error() == "roll back") {
			t.Fatal(err)
		}
		return a, b
	}
	if a, b := build("-- in_run: table\n", false); a != b {
		t.Errorf("with in_run the two tables read %v and %v, want the same copy", a, b)
	}
	if a, b := build("", false); a == b {
		t.Errorf("without in_run the two tables read the same %v: the test cannot tell a copy from the view", a)
	}
	if a, b := build("-- in_run: table\n", true); a != b {
		t.Errorf("in a temporary build the two tables read %v and %v, want the view built once as a table", a, b)
	}
}

// A model whose header says "threads: all" is built on the run's all threads, the others on its
// run threads; after it the run is back on its own.
func TestThreadsAll(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	models := testModels(t,
		[2]string{"int_test_one", "SELECT current_setting('threads') AS n"},
		[2]string{"int_test_all", "-- threads: all\nSELECT current_setting('threads') AS n"},
		[2]string{"int_test_after", "SELECT current_setting('threads') AS n"})
	f.exec(`SET threads = 1`)
	defer f.exec(`SET threads = 1`)
	err := f.db.InTx(f.ctx, func(tx *sql.Tx) error {
		_, err := buildAll(f.ctx, tx, models, false, runThreads{run: 1, all: 3}, 1, day(t, "2023-04-30"), time.Now(), io.Discard)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"int_test_one": "1", "int_test_all": "3", "int_test_after": "1"} {
		expect(t, name, f.one(`SELECT n FROM `+name), row{"n": want})
	}
}

// in_run is for views; the header takes "table" and nothing else, threads "all".
func TestRunHeadersRefused(t *testing.T) {
	t.Parallel()
	for _, body := range []string{"-- in_run: yes\nSELECT 1 AS a", "-- threads: 2\nSELECT 1 AS a", "-- materialized: table\n-- in_run: table\nSELECT 1 AS a"} {
		if _, err := parseModel("int_x", "intermediate", "int_x.sql", body); err == nil {
			t.Errorf("%q parsed", body)
		}
	}
}
