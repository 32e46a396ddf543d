// Package read is the read side over the marts: the queries the portal's pages and queues run,
// each a typed function over queries.Querier, so the HTTP handlers hold no SQL. Words, labels and
// rendering stay with the caller (portal/data.go); this package returns codes and values as the
// marts hold them.
package read

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"landwatch/campaign"
	"landwatch/queries"
	"landwatch/warehouse"
)

// PageSize is the number of rows a paged list shows at a time.
const PageSize = 50

// InputError is a query a list refuses (a day, a filter value, a page number), in Chinese for the
// reader.
type InputError string

func (e InputError) Error() string { return string(e) }

// Filter is one filter of a mart page: query parameter Param narrows column Col to one of the
// values the page offers (those the mart holds for the rows the user may see, or a township of the
// configuration); Bool columns are filtered with 是/否.
type Filter struct {
	Param, Col, Label string
	Bool              bool
}

// Option is one value a filter offers and its label.
type Option struct{ Value, Label string }

// Choice is a filter as a page shows it: its options and the chosen value.
type Choice struct {
	Filter
	Options []Option
	Value   string
}

// View says which rows of a mart a page shows: Where narrows them (accountability: what was
// missed or came back) and Filters are the filters the page offers.
type View struct {
	Mart, Where string
	Filters     []Filter
}

// Opts is what a request asks of a mart: the day (zero: the last models run), the filters given
// (parameter → value, each checked against the offered values before it reaches SQL) and the page
// (1-based; 0: every row, for exports). Townships are the configuration's townships a township
// filter offers; Word is the label of value v of column col in a filter's options.
type Opts struct {
	Day       time.Time
	Filters   map[string]string
	Page      int
	Townships []string
	Word      func(col, v string) string
}

// Table is a mart's rows as text, in the mart's own order.
type Table struct {
	Cols []string
	Rows [][]string
	AsOf string
	// FrozenAt is when the shown date was frozen (its rows are the stored snapshot); "" if not.
	FrozenAt string
	// Total is the number of rows the filters select; Rows holds one page of them when paged.
	Total int
}

// Mart reads a mart as asked (an earlier day is built on the fly, queries.At); nil when it has not
// been computed yet. township, when not empty, is the reader's own township: only its rows are
// read (the mart must have a township column, else nothing is). The filters offered are returned with their options.
func Mart(ctx context.Context, db *warehouse.DB, township string, v View, o Opts) (*Table, []Choice, error) {
	var (
		t       *Table
		choices []Choice
	)
	read := func(q queries.Querier) error {
		var err error
		t, choices, err = MartAt(ctx, q, township, v, o)
		return err
	}
	if o.Day.IsZero() {
		return t, choices, read(db)
	}
	err := queries.At(ctx, db, o.Day, read)
	return t, choices, err
}

// MartAt is Mart over q as it stands (no day built on the fly).
func MartAt(ctx context.Context, q queries.Querier, township string, v View, o Opts) (*Table, []Choice, error) {
	t, err := Columns(ctx, q, v.Mart)
	if t == nil || err != nil {
		return nil, nil, err
	}
	sel, args, ok, err := t.selectRows(ctx, q, township, v, o.Day)
	if !ok || err != nil {
		return t, nil, err
	}
	choices, err := filterChoices(ctx, q, township, t, v, sel, args, o)
	if err != nil {
		return t, choices, err
	}
	for _, ch := range choices {
		if ch.Value == "" {
			continue
		}
		sel += ` AND "` + ch.Col + `" = ?`
		if ch.Bool {
			args = append(args, ch.Value == "true")
		} else {
			args = append(args, ch.Value)
		}
	}
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM (`+sel+`)`, args...).Scan(&t.Total); err != nil {
		return nil, nil, fmt.Errorf("count %s: %w", v.Mart, err)
	}
	// DuckDB keeps a table's insertion order in a plain scan, so the pages follow the mart's own
	// order (power gaps: closed mines first).
	if o.Page > 0 {
		sel += fmt.Sprintf(" LIMIT %d OFFSET %d", PageSize, (o.Page-1)*PageSize)
	}
	rs, err := q.QueryContext(ctx, sel, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", v.Mart, err)
	}
	defer rs.Close()
	frozen := slices.Index(t.Cols, "frozen_at")
	for rs.Next() {
		vals := make([]any, len(t.Cols))
		ptr := make([]any, len(t.Cols))
		for i := range vals {
			ptr[i] = &vals[i]
		}
		if err := rs.Scan(ptr...); err != nil {
			return nil, nil, err
		}
		row := make([]string, len(t.Cols))
		for i, x := range vals {
			row[i] = CellText(x)
		}
		if frozen >= 0 && row[frozen] != "" {
			t.FrozenAt = row[frozen]
		}
		t.Rows = append(t.Rows, row)
	}
	return t, choices, rs.Err()
}

// filterChoices offers each filter of the view the mart has a column for: a township of the
// configuration, 是/否 for a yes/no column, else the values the rows the reader may see hold; a value given
// that is not offered is refused in Chinese (nothing of it reaches SQL).
func filterChoices(ctx context.Context, q queries.Querier, township string, t *Table, v View, sel string, args []any, o Opts) ([]Choice, error) {
	var out []Choice
	for _, f := range v.Filters {
		if !slices.Contains(t.Cols, f.Col) {
			continue
		}
		ch := Choice{Filter: f}
		switch {
		case f.Bool:
			ch.Options = []Option{{"true", campaign.BoolLabel(true)}, {"false", campaign.BoolLabel(false)}}
		case f.Col == "township":
			for _, tw := range o.Townships {
				if township == "" || tw == township {
					ch.Options = append(ch.Options, Option{tw, tw})
				}
			}
		default:
			rs, err := q.QueryContext(ctx, `SELECT DISTINCT CAST("`+f.Col+`" AS VARCHAR) AS v FROM (`+sel+`) WHERE v IS NOT NULL AND v <> '' ORDER BY v`, args...)
			if err != nil {
				return nil, fmt.Errorf("filter %s of %s: %w", f.Col, v.Mart, err)
			}
			for rs.Next() {
				var x string
				if err := rs.Scan(&x); err != nil {
					rs.Close()
					return nil, err
				}
				ch.Options = append(ch.Options, Option{x, o.word(f.Col, x)})
			}
			rs.Close()
			if err := rs.Err(); err != nil {
				return nil, err
			}
		}
		if x := o.Filters[f.Param]; x != "" {
			if !slices.ContainsFunc(ch.Options, func(op Option) bool { return op.Value == x }) {
				return out, InputError(fmt.Sprintf("筛选条件“%s”没有“%s”这一项", f.Label, x))
			}
			ch.Value = x
		}
		out = append(out, ch)
	}
	return out, nil
}

func (o Opts) word(col, v string) string {
	if o.Word == nil {
		return v
	}
	return o.Word(col, v)
}

// Columns is an empty table with the mart's columns; nil when the mart has not been built yet.
func Columns(ctx context.Context, q queries.Querier, mart string) (*Table, error) {
	probe, err := q.QueryContext(ctx, `SELECT * FROM "`+mart+`" LIMIT 0`)
	if err != nil {
		return nil, nil // not built yet
	}
	cols, err := probe.Columns()
	probe.Close()
	if err != nil {
		return nil, err
	}
	return &Table{Cols: cols}, nil
}

// selectRows is the query of the rows the reader may see of the mart as of day (its latest date when zero),
// and sets the table's date; ok is false when the reader may see no row (a township's reader, a mart without a
// township column).
func (t *Table) selectRows(ctx context.Context, q queries.Querier, township string, v View, day time.Time) (string, []any, bool, error) {
	sel := `SELECT * FROM "` + v.Mart + `" WHERE true`
	var args []any
	if township != "" {
		if !slices.Contains(t.Cols, "township") {
			return "", nil, false, nil
		}
		sel += ` AND township = ?`
		args = append(args, township)
	}
	if day.IsZero() { // the last run's day (queries.LatestAsOf), zero before the first run
		if run, err := queries.LatestAsOf(ctx, q); err == nil {
			day = run
		} else if !errors.Is(err, queries.ErrNotBuilt) {
			return "", nil, false, err
		}
	}
	if slices.Contains(t.Cols, "as_of") {
		if !day.IsZero() {
			sel += ` AND as_of = ?`
			args = append(args, day)
			t.AsOf = day.Format("2006-01-02")
		}
	} else if !day.IsZero() {
		// a mart of the last run alone: its day is that run's, and the date field says so
		t.AsOf = day.Format("2006-01-02")
	}
	if v.Where != "" {
		sel += ` AND ` + v.Where
	}
	return sel, args, true, nil
}

// CellText is a mart value as text: dates as 年-月-日 (with the time when it has one), yes/no in
// words (campaign.BoolLabel), shares without trailing zeros.
func CellText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case bool:
		return campaign.BoolLabel(x)
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 {
			return x.Format("2006-01-02")
		}
		return x.Format("2006-01-02 15:04")
	case []byte:
		return string(x)
	case float64:
		return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.4f", x), "0"), ".")
	default:
		return fmt.Sprint(x)
	}
}
