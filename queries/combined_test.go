package queries

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"landwatch/warehouse"
)

// The one-scan check of a model's header tests finds every failure each test finds on its own: for
// each defect (a duplicate key, a NULL in each not-null column, a value outside the accepted ones,
// a duplicate of the second unique key) exactly the tests it breaks fail, with the counts and rows
// the test's own query gives.
func TestCombinedTests(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := warehouse.Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	m, err := parseModel("m", "marts", "marts/m.sql", "-- unique: a, b\n-- unique: c\n-- not_null: a, c\n-- not_null: d\n"+
		"-- accepted_values: d = x, y\nSELECT 1\n")
	if err != nil {
		t.Fatal(err)
	}
	clean := `(1, 1, 10, 'x'), (1, 2, 11, 'y'), (2, NULL, 12, 'x')`
	for _, c := range []struct {
		name, rows string
		want       []string // failing tests with their count
	}{
		{"clean", clean, nil},
		{"empty", "", nil},
		{"duplicate key", clean + `, (1, 1, 13, 'x')`, []string{"unique(a, b)=1"}},
		{"duplicate key with NULL", clean + `, (2, NULL, 13, 'y')`, []string{"unique(a, b)=1"}},
		{"NULL a", clean + `, (NULL, 5, 13, 'x')`, []string{"not_null(a)=1"}},
		{"NULL c and d", clean + `, (3, 5, NULL, NULL), (4, 5, NULL, 'y')`, []string{"unique(c)=1", "not_null(c)=2", "not_null(d)=1"}},
		{"value not accepted", clean + `, (3, 5, 13, 'z'), (4, 5, 14, 'z'), (5, 5, 15, 'w')`, []string{"accepted_values(d)=2"}},
		{"second key", clean + `, (3, 5, 10, 'x')`, []string{"unique(c)=1"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := db.InTx(ctx, func(tx *sql.Tx) error {
				stmt := "CREATE OR REPLACE TABLE m (a INTEGER, b INTEGER, c INTEGER, d VARCHAR)"
				if _, err := tx.ExecContext(ctx, stmt); err != nil {
					return err
				}
				if c.rows != "" {
					if _, err := tx.ExecContext(ctx, "INSERT INTO m VALUES "+c.rows); err != nil {
						return err
					}
				}
				// each test on its own agrees
				return checkCombinedAndAlone(ctx, t, tx, m, c.want)
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

// Without a unique test the check counts only the rows that fail some test (a WHERE the columns'
// statistics can answer); each count is still that of the test's own query, also when one row fails
// several tests or a not-null column is NULL next to an accepted value that is NULL.
func TestCombinedTestsNoKey(t *testing.T) {
	ctx := context.Background()
	db, err := warehouse.Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	m, err := parseModel("m", "staging", "staging/m.sql", "-- not_null: a, b\n-- accepted_values: d = x, y\nSELECT 1\n")
	if err != nil {
		t.Fatal(err)
	}
	clean := `(1, 1, 'x'), (2, 2, NULL), (3, 3, 'y')`
	for _, c := range []struct {
		name, rows string
		want       []string
	}{
		{"clean", clean, nil},
		{"empty", "", nil},
		{"NULL a", clean + `, (NULL, 4, 'x')`, []string{"not_null(a)=1"}},
		{"one row fails all three", clean + `, (NULL, NULL, 'z')`, []string{"not_null(a)=1", "not_null(b)=1", "accepted_values(d)=1"}},
		{"values not accepted", clean + `, (4, 4, 'z'), (5, 5, 'z'), (6, NULL, 'w')`, []string{"not_null(b)=1", "accepted_values(d)=2"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := db.InTx(ctx, func(tx *sql.Tx) error {
				if _, err := tx.ExecContext(ctx, "CREATE OR REPLACE TABLE m_rows (a INTEGER, b INTEGER, d VARCHAR)"); err != nil {
					return err
				}
				if c.rows != "" {
					if _, err := tx.ExecContext(ctx, "INSERT INTO m_rows VALUES "+c.rows); err != nil {
						return err
					}
				}
				// a view, as staging models are
				if _, err := tx.ExecContext(ctx, "CREATE OR REPLACE VIEW m AS SELECT * FROM m_rows"); err != nil {
					return err
				}
				fs, err := runModelTests(ctx, tx, m, false)
				if err != nil {
					return err
				}
				var got []string
				for _, f := range fs {
					got = append(got, fmt.Sprintf("%s=%d", f.Test, f.Count))
				}
				if strings.Join(got, " ") != strings.Join(c.want, " ") {
					t.Errorf("combined %v, want %v", got, c.want)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

// Relationships tests are checked in the same statement, on a table and on a view (whose columns
// the statement reads once, into a materialized CTE, when it has more than one check to make):
// exactly the tests a defect breaks fail, with the counts and rows of the test's own query.
func TestCombinedTestsRelationships(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := warehouse.Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const header = "-- unique: a\n-- not_null: b\n-- accepted_values: d = x, y\n-- relationships: r -> ref.k\n-- relationships: s -> ref.k\nSELECT 1\n"
	onlyRels := "-- relationships: r -> ref.k\nSELECT 1\n"
	clean := `(1, 1, 'x', 'k1', 'k2'), (2, 2, NULL, NULL, 'k1'), (3, 3, 'y', 'k2', NULL)`
	for _, c := range []struct {
		name, header, rows string
		want               []string
	}{
		{"clean", header, clean, nil},
		{"empty", header, "", nil},
		{"duplicate key", header, clean + `, (1, 4, 'x', 'k1', 'k1')`, []string{"unique(a)=1"}},
		{"NULL b", header, clean + `, (4, NULL, 'x', 'k1', 'k1')`, []string{"not_null(b)=1"}},
		{"r unknown", header, clean + `, (4, 4, 'x', 'k9', 'k1'), (5, 5, 'x', 'k8', 'k2')`, []string{"relationships(r -> ref.k)=2"}},
		{"s unknown", header, clean + `, (4, 4, 'x', 'k1', 'k9')`, []string{"relationships(s -> ref.k)=1"}},
		{"everything", header, clean + `, (1, NULL, 'z', 'k9', 'k9')`, []string{"unique(a)=1", "not_null(b)=1", "accepted_values(d)=1",
			"relationships(r -> ref.k)=1", "relationships(s -> ref.k)=1"}},
		{"relationships alone, clean", onlyRels, clean, nil},
		{"relationships alone, r unknown", onlyRels, clean + `, (4, 4, 'x', 'k9', 'k1')`, []string{"relationships(r -> ref.k)=1"}},
	} {
		for _, layer := range []string{"staging", "marts"} {
			t.Run(c.name+" "+layer, func(t *testing.T) {
				name := "m_" + layer // a view, a table
				m, err := parseModel(name, layer, layer+"/"+name+".sql", c.header)
				if err != nil {
					t.Fatal(err)
				}
				err = db.InTx(ctx, func(tx *sql.Tx) error {
					for _, q := range []string{"CREATE OR REPLACE TABLE ref AS SELECT * FROM (VALUES ('k1'), ('k2')) v(k)",
						"CREATE OR REPLACE TABLE m_rows (a INTEGER, b INTEGER, d VARCHAR, r VARCHAR, s VARCHAR)"} {
						if _, err := tx.ExecContext(ctx, q); err != nil {
							return err
						}
					}
					if c.rows != "" {
						if _, err := tx.ExecContext(ctx, "INSERT INTO m_rows VALUES "+c.rows); err != nil {
							return err
						}
					}
					create := "CREATE OR REPLACE TABLE " + name + " AS SELECT * FROM m_rows"
					if m.Materialized == "view" {
						create = "CREATE OR REPLACE VIEW " + name + " AS SELECT * FROM m_rows"
					}
					if _, err := tx.ExecContext(ctx, create); err != nil {
						return err
					}
					return checkCombinedAndAlone(ctx, t, tx, m, c.want)
				})
				if err != nil {
					t.Fatal(err)
				}
			})
		}
	}
}

// The statement reads a view once (a materialized CTE) when it makes more than one check of it, and
// reads the view itself, where its WHERE can skip what statistics rule out, when it only counts the
// rows failing not-null and accepted-values tests.
func TestCombinedQueryReadsViewOnce(t *testing.T) {
	t.Parallel()
	m, err := parseModel("m", "staging", "staging/m.sql", "-- unique: a\n-- not_null: b\n-- relationships: r -> ref.k\nSELECT 1\n")
	if err != nil {
		t.Fatal(err)
	}
	c := combined{key: &m.Tests[0], scan: m.Tests[1:2], rels: m.Tests[2:]}
	q := c.query("m", true)
	if !strings.HasPrefix(q, "WITH t AS MATERIALIZED (SELECT a, b, r FROM m)\n") || strings.Count(q, " FROM m") != 1 {
		t.Errorf("view, three checks:\n%s", q)
	}
	if q := c.query("m", false); strings.Contains(q, "MATERIALIZED") {
		t.Errorf("table:\n%s", q)
	}
	if q := (combined{scan: m.Tests[1:2]}).query("m", true); q != "SELECT (SELECT count(*) FROM m WHERE b IS NULL)" {
		t.Errorf("view, not-null only:\n%s", q)
	}
}

// checkCombinedAndAlone runs m's data tests as a run does (runModelTests) and each test on its
// own (runTest), and fails t unless both find exactly the failures want (test=count, in order).
func checkCombinedAndAlone(ctx context.Context, t *testing.T, tx *sql.Tx, m *Model, want []string) error {
	fs, err := runModelTests(ctx, tx, m, false)
	if err != nil {
		return err
	}
	var got, alone []string
	for _, f := range fs {
		got = append(got, fmt.Sprintf("%s=%d", f.Test, f.Count))
	}
	for _, tt := range m.Tests {
		f, err := runTest(ctx, tx, tt)
		if err != nil {
			return err
		}
		if f != nil {
			alone = append(alone, fmt.Sprintf("%s=%d", f.Test, f.Count))
		}
	}
	if strings.Join(got, " ") != strings.Join(want, " ") || strings.Join(alone, " ") != strings.Join(want, " ") {
		t.Errorf("combined %v, alone %v, want %v", got, alone, want)
	}
	return nil
}
