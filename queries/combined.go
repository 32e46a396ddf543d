package queries

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// A model's unique, not_null and accepted_values tests are checked by one statement per model:
// one aggregate counting, per not_null or accepted_values test, the rows that would fail it, over
// only the rows that fail at least one of them (the WHERE lets DuckDB skip the scan where the
// columns' statistics already rule out a NULL: a view over the readings costs a few milliseconds
// instead of a scan of every reading), and beside it the number of duplicate keys of the first
// unique test (a GROUP BY of its columns). Only a test whose count is not zero runs again on its
// own (runTest), for the failing rows and the count the error shows; tests of other kinds
// (relationships, the files of tests/) always run on their own.

// combinable says whether the one-statement check covers t.
func combinable(t Test) bool {
	return t.Kind == "not_null" || t.Kind == "accepted_values"
}

// combinedQuery is the one-statement check of tests (combinable) and of key (the unique test
// checked in it, or nil); it returns the count of duplicate keys first (when key is not nil), then
// one count per test, in order.
func combinedQuery(model string, key *Test, tests []Test) string {
	cond := func(t Test) string {
		if t.Kind == "not_null" {
			return t.Cols[0] + " IS NULL"
		}
		return fmt.Sprintf("(%[1]s IS NOT NULL AND %[1]s NOT IN (%[2]s))", t.Cols[0], strings.Join(t.Values, ", "))
	}
	var parts, conds []string
	if key != nil {
		parts = append(parts, "(SELECT count(*) FROM (SELECT 1 FROM "+model+" GROUP BY "+strings.Join(key.Cols, ", ")+" HAVING count(*) > 1))")
	}
	for _, t := range tests {
		parts = append(parts, "count(*) FILTER (WHERE "+cond(t)+")")
		conds = append(conds, cond(t))
	}
	q := "SELECT " + strings.Join(parts, ", ")
	if len(conds) > 0 {
		q += " FROM " + model + " WHERE " + strings.Join(conds, " OR ")
	}
	return q
}

// runModelTests runs every data test of m and returns the failures. kept says the run kept m's
// table from the run that built it (reuse.go): its unique, not-null and accepted-values tests read
// that table alone, which passed them then, and are not run again.
func runModelTests(ctx context.Context, tx *sql.Tx, m *Model, kept bool) ([]*TestFailure, error) {
	var key *Test
	var scan, alone []Test
	for _, t := range m.Tests {
		switch {
		case kept && (t.Kind == "unique" || combinable(t)):
		case t.Kind == "unique" && key == nil:
			t := t
			key = &t
		case combinable(t):
			scan = append(scan, t)
		default:
			alone = append(alone, t)
		}
	}
	if key != nil || len(scan) > 0 {
		counts := make([]int64, len(scan))
		dest := make([]any, 0, len(scan)+1)
		var keyCount int64
		if key != nil {
			dest = append(dest, &keyCount)
		}
		for i := range counts {
			dest = append(dest, &counts[i])
		}
		if err := tx.QueryRowContext(ctx, combinedQuery(m.Name, key, scan)).Scan(dest...); err != nil {
			return nil, fmt.Errorf("data tests on model %s: %w", m.Name, err)
		}
		if key != nil && keyCount > 0 {
			alone = append(alone, *key)
		}
		for i, t := range scan {
			if counts[i] > 0 {
				alone = append(alone, t)
			}
		}
	}
	var failed []*TestFailure
	for _, t := range orderLike(m.Tests, alone) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		f, err := runTest(ctx, tx, t)
		if err != nil {
			return nil, err
		}
		if f != nil {
			failed = append(failed, f)
		}
	}
	return failed, nil
}

// orderLike returns the tests of some in the order they have in all (the header's order), so that
// failures are listed as before.
func orderLike(all, some []Test) []Test {
	want := map[string]bool{}
	for _, t := range some {
		want[t.Name] = true
	}
	var out []Test
	for _, t := range all {
		if want[t.Name] {
			out = append(out, t)
		}
	}
	return out
}
