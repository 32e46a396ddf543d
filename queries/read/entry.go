package read

// One entry of the accountability list with its evidence (portal/accountability.go), and the day a
// figure's page opens on (mart_figure_days, portal/figuredays.go).

import (
	"context"
	"slices"
	"time"

	"landwatch/queries"
)

// Entry is one item of the accountability list: its rows on the list (mart_accountability), the
// violations it concerns (mart_violations: the item itself, the problem that detected it or the late
// problem), their evidence (mart_evidence: ids, dates, files and rows — never a tipster's contact)
// and its ledger item (mart_ledger). Columns keep the marts' names; the values are CellText.
type Entry struct {
	List, Violations, Evidence, Ledger *Table
}

// AccountabilityEntry reads the item id of the list; nil when the list does not hold it, or when
// township is not "" and none of its rows is that township's.
func AccountabilityEntry(ctx context.Context, q queries.Querier, id, township string) (*Entry, error) {
	var e Entry
	for _, src := range []struct {
		t    **Table
		sql  string
		args []any
	}{
		{&e.List, `SELECT * EXCLUDE (as_of) FROM mart_accountability WHERE item_id = ?`, []any{id}},
		{&e.Violations, `SELECT violation_id, township, village, category, first_seen, sources, source_refs, detection_status, match_reason,
			late_problem, recurrence_of FROM mart_violations WHERE violation_id = ? OR detected_by = ? OR late_problem = ?`, []any{id, id, id}},
		{&e.Evidence, `SELECT e.channel, e.record_id, e.seen_on, e.detail, e.origin FROM mart_evidence e
			JOIN mart_violations v ON list_contains(string_split(v.source_refs, ','), e.record_id)
			WHERE v.violation_id = ? OR v.detected_by = ? OR v.late_problem = ?`, []any{id, id, id}},
		{&e.Ledger, `SELECT * FROM mart_ledger WHERE item_id = ?`, []any{id}},
	} {
		t, err := queryTable(ctx, q, src.sql, src.args...)
		if err != nil {
			return nil, err
		}
		*src.t = t
		if src.t == &e.List && (len(t.Rows) == 0 || (township != "" && !t.has("township", township))) {
			return nil, nil
		}
	}
	return &e, nil
}

// has says whether some row holds value in column col.
func (t *Table) has(col, value string) bool {
	i := slices.Index(t.Cols, col)
	return i >= 0 && slices.ContainsFunc(t.Rows, func(r []string) bool { return r[i] == value })
}

// queryTable reads a query into a Table, every value CellText.
func queryTable(ctx context.Context, q queries.Querier, query string, args ...any) (*Table, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	t := &Table{Cols: cols}
	for rows.Next() {
		v := make([]any, len(cols))
		ptr := make([]any, len(cols))
		for i := range v {
			ptr[i] = &v[i]
		}
		if err := rows.Scan(ptr...); err != nil {
			return nil, err
		}
		row := make([]string, len(cols))
		for i, x := range v {
			row[i] = CellText(x)
		}
		t.Rows = append(t.Rows, row)
	}
	return t, rows.Err()
}

// FigureDay is the day a page of figure (the mart it shows) opens on when no day is asked for:
// default_as_of of mart_figure_days (queries/marts/mart_figure_days.sql), the last models-run as-of
// that has data for the figure, and the last run's as-of. ok is false when that mart is not built
// (a warehouse whose models predate it) or does not list the figure.
func FigureDay(ctx context.Context, q queries.Querier, figure string) (day, run time.Time, ok bool) {
	if err := q.QueryRowContext(ctx, `SELECT default_as_of, run_as_of FROM mart_figure_days WHERE figure = ?`, figure).Scan(&day, &run); err != nil {
		return time.Time{}, time.Time{}, false
	}
	return day, run, true
}
