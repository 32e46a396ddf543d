// Package reports turns the marts into what leaders, the discipline inspection and the public
// read: the weekly PDF briefing (Weekly, written into the briefings folder by WriteBriefing) and a
// township's accountability dossier (Dossier), drawn with reports/pdf; the staff chart dashboard
// and township map (Dashboard) and the public statistics page (PublicPage, Publish, PublicCSV) with
// go-echarts and the binary's own ECharts script (Assets). The Monday schedule is reports/schedule,
// the province roll-up reports/province. Every figure comes from the marts, so PDF, pages and
// exports agree.
package reports

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"landwatch/queries"
	"landwatch/warehouse"
)

// querier is what the loaders need: a *sql.DB, *sql.Conn or *sql.Tx.
type querier = queries.Querier

// scoreRow is one township's row of mart_township_scorecard.
type scoreRow struct {
	Township         string
	Order            int
	ViolationsDue    int64
	Detected         int64
	Missed           int64
	MissedRate       sql.NullFloat64
	LedgerDue        int64
	RectOnTime       int64
	RectRate         sql.NullFloat64
	OverdueOpen      int64
	NewAfter         int64
	PatrolWeeks      int64
	PatrolDone       int64
	PatrolCompliance sql.NullFloat64
	Level            string
	Reasons          string
	FrozenAt         sql.NullTime // set when the date is frozen: the figures are the stored snapshot
}

var levelRank = map[string]int{"red": 0, "yellow": 1, "green": 2}

// rankWorstFirst orders townships worst first: level (red, yellow, green), then the
// missed-detection rate (highest first, none last), overdue items, new violations after
// rectification, the rectification rate (lowest first), missing patrol weeks, and finally the
// configured township order.
func rankWorstFirst(rows []scoreRow) {
	nullHigh := func(v sql.NullFloat64) float64 {
		if v.Valid {
			return v.Float64
		}
		return -1
	}
	nullLow := func(v sql.NullFloat64) float64 {
		if v.Valid {
			return v.Float64
		}
		return 2
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		la, lb := levelRankOf(a.Level), levelRankOf(b.Level)
		switch {
		case la != lb:
			return la < lb
		case nullHigh(a.MissedRate) != nullHigh(b.MissedRate):
			return nullHigh(a.MissedRate) > nullHigh(b.MissedRate)
		case a.OverdueOpen != b.OverdueOpen:
			return a.OverdueOpen > b.OverdueOpen
		case a.NewAfter != b.NewAfter:
			return a.NewAfter > b.NewAfter
		case nullLow(a.RectRate) != nullLow(b.RectRate):
			return nullLow(a.RectRate) < nullLow(b.RectRate)
		case a.PatrolWeeks-a.PatrolDone != b.PatrolWeeks-b.PatrolDone:
			return a.PatrolWeeks-a.PatrolDone > b.PatrolWeeks-b.PatrolDone
		}
		return a.Order < b.Order
	})
}

func levelRankOf(l string) int {
	if r, ok := levelRank[l]; ok {
		return r
	}
	return 3
}

// atDay calls fn with the marts as of day (queries.At): the built ones, or built afresh for an
// earlier day; a day the models have not reached is queries.ErrNotBuilt.
func atDay(ctx context.Context, db *warehouse.DB, day time.Time, fn func(q querier) error) error {
	return queries.At(ctx, db, day, fn)
}

func dateOnly(t time.Time) time.Time { return warehouse.DateOnly(t) }

// scorecard reads the scorecard rows of one date, in configured township order.
func scorecard(ctx context.Context, q querier, asOf time.Time) ([]scoreRow, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT s.township, coalesce(t.sort_order, 1000000),
		       CAST(coalesce(s.violations_due, 0) AS BIGINT), CAST(coalesce(s.detected, 0) AS BIGINT),
		       CAST(coalesce(s.missed, 0) AS BIGINT), CAST(s.missed_detection_rate AS DOUBLE),
		       CAST(coalesce(s.ledger_due, 0) AS BIGINT), CAST(coalesce(s.rectified_on_time, 0) AS BIGINT),
		       CAST(s.rectification_rate AS DOUBLE), CAST(coalesce(s.overdue_open, 0) AS BIGINT),
		       CAST(coalesce(s.new_after_rectification, 0) AS BIGINT), CAST(coalesce(s.patrol_weeks, 0) AS BIGINT),
		       CAST(coalesce(s.patrol_weeks_done, 0) AS BIGINT), CAST(s.patrol_compliance AS DOUBLE),
		       coalesce(s.level, ''), coalesce(s.reasons, ''), s.frozen_at
		FROM mart_township_scorecard s LEFT JOIN dim_townships t ON t.township = s.township
		WHERE s.as_of = ?
		ORDER BY 2, 1`, asOf)
	if err != nil {
		return nil, fmt.Errorf("read mart_township_scorecard: %w", err)
	}
	defer rows.Close()
	var out []scoreRow
	for rows.Next() {
		var r scoreRow
		if err := rows.Scan(&r.Township, &r.Order, &r.ViolationsDue, &r.Detected, &r.Missed, &r.MissedRate,
			&r.LedgerDue, &r.RectOnTime, &r.RectRate, &r.OverdueOpen, &r.NewAfter, &r.PatrolWeeks,
			&r.PatrolDone, &r.PatrolCompliance, &r.Level, &r.Reasons, &r.FrozenAt); err != nil {
			return nil, fmt.Errorf("read mart_township_scorecard row %d: %w", len(out)+1, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// previousAsOf is the latest scorecard date at least seven days before asOf, or false.
func previousAsOf(ctx context.Context, q querier, asOf time.Time) (time.Time, bool, error) {
	var d sql.NullTime
	err := q.QueryRowContext(ctx, `SELECT max(as_of) FROM mart_township_scorecard WHERE as_of <= ?`,
		asOf.AddDate(0, 0, -7)).Scan(&d)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("read mart_township_scorecard: %w", err)
	}
	return dateOnly(d.Time), d.Valid, nil
}

// countyRow is the county's row of the scorecard (mart_county_scorecard): the townships' counts
// summed and the county's rates, computed in the model.
type countyRow struct {
	ViolationsDue, Detected, Missed, LedgerDue, RectOnTime, OverdueOpen, NewAfter int64
	PatrolWeeks, PatrolDone, Red, Yellow, Green                                   int64
	MissedRate, RectRate                                                          sql.NullFloat64
}

// county reads the county's row of one date; a date the scorecard has no row for is all zeros.
func county(ctx context.Context, q querier, asOf time.Time) (countyRow, error) {
	var c countyRow
	err := q.QueryRowContext(ctx, `SELECT violations_due, detected, missed, ledger_due, rectified_on_time, overdue_open,
			new_after_rectification, patrol_weeks, patrol_weeks_done, red, yellow, green,
			CAST(missed_detection_rate AS DOUBLE), CAST(rectification_rate AS DOUBLE)
		FROM mart_county_scorecard WHERE as_of = ?`, asOf).
		Scan(&c.ViolationsDue, &c.Detected, &c.Missed, &c.LedgerDue, &c.RectOnTime, &c.OverdueOpen, &c.NewAfter,
			&c.PatrolWeeks, &c.PatrolDone, &c.Red, &c.Yellow, &c.Green, &c.MissedRate, &c.RectRate)
	if errors.Is(err, sql.ErrNoRows) {
		return countyRow{}, nil
	}
	if err != nil {
		return c, fmt.Errorf("read mart_county_scorecard: %w", err)
	}
	return c, nil
}

// strList turns a list column (a DuckDB LIST, or text joined by commas, semicolons or spaces)
// into strings.
func strList(v any) []string {
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		var out []string
		for _, e := range x {
			if e != nil {
				out = append(out, fmt.Sprint(e))
			}
		}
		return out
	case []string:
		return x
	case []byte:
		return strList(string(x))
	case string:
		f := strings.FieldsFunc(x, func(r rune) bool {
			return r == ',' || r == ';' || r == '；' || r == '，' || r == '、' || r == ' ' || r == '|'
		})
		return f
	default:
		return []string{fmt.Sprint(x)}
	}
}

// categoryNames maps category codes to their names from dim_categories, in configured order.
func categoryNames(ctx context.Context, q querier) (map[string]string, []string, error) {
	rows, err := q.QueryContext(ctx, `SELECT code, name, plain FROM dim_categories ORDER BY sort_order`)
	if err != nil {
		return nil, nil, fmt.Errorf("read dim_categories: %w", err)
	}
	defer rows.Close()
	names := map[string]string{}
	var order []string
	for rows.Next() {
		var code, name, plain string
		if err := rows.Scan(&code, &name, &plain); err != nil {
			return nil, nil, err
		}
		names[code] = plain
		order = append(order, code)
	}
	return names, order, rows.Err()
}
