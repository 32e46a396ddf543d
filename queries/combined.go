package queries

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// A model's unique, not_null, accepted_values and relationships tests are checked by one statement
// per model, which returns:
//   - the number of duplicate keys of the first unique test (a GROUP BY of its columns);
//   - the number of rows that fail at least one not_null or accepted_values test (one count(*)
//     over a WHERE of their conditions OR-ed: DuckDB skips the scan where the columns' statistics
//     already rule out a NULL, so a view over the readings costs a few milliseconds instead of a
//     scan of every reading; one count, not one per test, which costs DuckDB less to plan);
//   - per relationships test, the number of rows whose column names no row of the model referred
//     to (the test's own condition).
//
// A view's SQL runs again wherever the view is read, so when the statement would read a view more
// than once (its unique or relationships tests read every row anyway), the columns the tests read
// are read once into a materialized CTE and the checks read that.
//
// Only a test found failing runs again on its own (runTest), for the failing rows and the count
// the error shows: the unique test, each relationships test whose count is not zero, and, when some
// row fails a not_null or accepted_values test, each of those tests (runTest reports only those
// that fail). The files of tests/ always run on their own.

// combinable says whether the one-statement check counts t among the rows failing some test.
func combinable(t Test) bool {
	return t.Kind == "not_null" || t.Kind == "accepted_values"
}

// combined is the one-statement check of a model's tests.
type combined struct {
	key  *Test  // the unique test checked, or nil
	scan []Test // not_null and accepted_values tests
	rels []Test // relationships tests
}

// query is the statement; it returns the count of duplicate keys first (when key is not nil), then
// the number of rows failing some test of scan (when scan is not empty), then one count per test of
// rels, in order. view says the model is a view.
func (c combined) query(model string, view bool) string {
	cond := func(t Test) string {
		if t.Kind == "not_null" {
			return t.Cols[0] + " IS NULL"
		}
		return fmt.Sprintf("(%[1]s IS NOT NULL AND %[1]s NOT IN (%[2]s))", t.Cols[0], strings.Join(t.Values, ", "))
	}
	var conds []string
	for _, t := range c.scan {
		conds = append(conds, cond(t))
	}
	reads := len(c.rels)
	if c.key != nil {
		reads++
	}
	if len(conds) > 0 {
		reads++
	}
	from, with := model, ""
	if view && reads > 1 {
		var cols []string
		seen := map[string]bool{}
		add := func(cs []string) {
			for _, col := range cs {
				if !seen[strings.ToLower(col)] {
					seen[strings.ToLower(col)] = true
					cols = append(cols, col)
				}
			}
		}
		if c.key != nil {
			add(c.key.Cols)
		}
		for _, t := range c.scan {
			add(t.Cols)
		}
		for _, t := range c.rels {
			add(t.Cols)
		}
		with = "WITH t AS MATERIALIZED (SELECT " + strings.Join(cols, ", ") + " FROM " + model + ")\n"
		from = "t"
	}
	var parts []string
	if c.key != nil {
		parts = append(parts, "(SELECT count(*) FROM (SELECT 1 FROM "+from+" GROUP BY "+strings.Join(c.key.Cols, ", ")+" HAVING count(*) > 1))")
	}
	if len(conds) > 0 {
		parts = append(parts, "(SELECT count(*) FROM "+from+" WHERE "+strings.Join(conds, " OR ")+")")
	}
	for _, t := range c.rels {
		parts = append(parts, fmt.Sprintf("(SELECT count(*) FROM %[1]s c WHERE c.%[2]s IS NOT NULL AND NOT EXISTS (SELECT 1 FROM %[3]s r WHERE r.%[4]s = c.%[2]s))",
			from, t.Cols[0], t.Ref[0], t.Ref[1]))
	}
	return with + "SELECT " + strings.Join(parts, ", ")
}

// runModelTests runs every data test of m and returns the failures. kept says the run kept m's
// table from the run that built it (reuse.go): its unique, not-null and accepted-values tests read
// that table alone, which passed them then, and are not run again.
func runModelTests(ctx context.Context, tx *sql.Tx, m *Model, kept bool) ([]*TestFailure, error) {
	var c combined
	var alone []Test
	for _, t := range m.Tests {
		switch {
		case kept && (t.Kind == "unique" || combinable(t)):
		case t.Kind == "unique" && c.key == nil:
			t := t
			c.key = &t
		case combinable(t):
			c.scan = append(c.scan, t)
		case t.Kind == "relationships":
			c.rels = append(c.rels, t)
		default:
			alone = append(alone, t)
		}
	}
	if c.key != nil || len(c.scan) > 0 || len(c.rels) > 0 {
		var keyCount, scanCount int64
		relCounts := make([]int64, len(c.rels))
		var dest []any
		if c.key != nil {
			dest = append(dest, &keyCount)
		}
		if len(c.scan) > 0 {
			dest = append(dest, &scanCount)
		}
		for i := range relCounts {
			dest = append(dest, &relCounts[i])
		}
		if err := tx.QueryRowContext(ctx, c.query(m.Name, m.Materialized == "view")).Scan(dest...); err != nil {
			return nil, fmt.Errorf("data tests on model %s: %w", m.Name, err)
		}
		if keyCount > 0 {
			alone = append(alone, *c.key)
		}
		if scanCount > 0 {
			alone = append(alone, c.scan...)
		}
		for i, t := range c.rels {
			if relCounts[i] > 0 {
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
