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
				fs, err := runModelTests(ctx, tx, m, false)
				if err != nil {
					return err
				}
				var got []string
				for _, f := range fs {
					got = append(got, fmt.Sprintf("%s=%d", f.Test, f.Count))
				}
				// each test on its own agrees
				var alone []string
				for _, tt := range m.Tests {
					f, err := runTest(ctx, tx, tt)
					if err != nil {
						return err
					}
					if f != nil {
						alone = append(alone, fmt.Sprintf("%s=%d", f.Test, f.Count))
					}
				}
				if strings.Join(got, " ") != strings.Join(c.want, " ") || strings.Join(alone, " ") != strings.Join(c.want, " ") {
					t.Errorf("combined %v, alone %v, want %v", got, alone, c.want)
				}
				return nil
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
