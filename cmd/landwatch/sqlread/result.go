// Package sqlread runs the one read-only query of `landwatch sql`: checked by DuckDB's own parser
// before anything runs (guard.go: a single SELECT, table names resolved scope by scope, no file,
// extension or setting), run in a read-only transaction that is rolled back, and written as a
// table, CSV or JSON with values in plain form (result.go).
package sqlread

import (
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/big"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/mattn/go-runewidth"
)

// queryer is a *sql.DB or a *sql.Conn.
type queryer interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

// Result is a query's rows with values already turned into JSON-ready Go values.
type Result struct {
	cols []string
	rows [][]any
}

// Query runs q and normalizes every value: NULL → nil, DATE → "YYYY-MM-DD", TIMESTAMP →
// "YYYY-MM-DD HH:MM:SS", DECIMAL and HUGEINT → json.Number, lists and structs recursively.
func Query(ctx context.Context, db queryer, q string) (*Result, error) {
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	types, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	res := &Result{}
	for _, t := range types {
		res.cols = append(res.cols, t.Name())
	}
	for rows.Next() {
		vals := make([]any, len(types))
		ptrs := make([]any, len(types))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		for i, v := range vals {
			vals[i] = normalize(v, types[i].DatabaseTypeName())
		}
		res.rows = append(res.rows, vals)
	}
	return res, rows.Err()
}

func normalize(v any, dbType string) any {
	switch x := v.(type) {
	case nil:
		return nil
	case time.Time:
		switch {
		case dbType == "DATE":
			return x.Format("2006-01-02")
		case dbType == "TIME":
			return x.Format("15:04:05.999999")
		case strings.HasPrefix(dbType, "TIMESTAMP WITH") || dbType == "TIMESTAMPTZ":
			return x.Format(time.RFC3339Nano)
		case dbType == "" && x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0:
			return x.Format("2006-01-02") // inside a list or struct: a date
		default:
			return x.Format("2006-01-02 15:04:05.999999")
		}
	case duckdb.Decimal:
		return json.Number(decimalString(x))
	case *big.Int:
		return json.Number(x.String())
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Sprint(x)
		}
		return x
	case float32:
		return normalize(float64(x), dbType)
	case duckdb.UUID:
		return x.String()
	case []byte:
		if dbType == "UUID" && len(x) == 16 {
			var u duckdb.UUID
			copy(u[:], x)
			return u.String()
		}
		return fmt.Sprintf("\\x%x", x)
	case duckdb.Interval:
		return fmt.Sprintf("%d months %d days %d µs", x.Months, x.Days, x.Micros)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalize(e, "")
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = normalize(e, "")
		}
		return out
	case duckdb.Map:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[fmt.Sprint(normalize(k, ""))] = normalize(e, "")
		}
		return out
	default:
		return v
	}
}

// decimalString keeps the column's scale: DECIMAL(10,2) 12.5 prints as 12.50.
func decimalString(d duckdb.Decimal) string {
	if d.Value == nil {
		return "0"
	}
	digits := new(big.Int).Abs(d.Value).String()
	sign := ""
	if d.Value.Sign() < 0 {
		sign = "-"
	}
	scale := int(d.Scale)
	if scale == 0 {
		return sign + digits
	}
	if len(digits) <= scale {
		digits = strings.Repeat("0", scale-len(digits)+1) + digits
	}
	return sign + digits[:len(digits)-scale] + "." + digits[len(digits)-scale:]
}

// Write prints the rows as format says: table, csv or json.
func (r *Result) Write(w io.Writer, format string) error {
	switch format {
	case "json":
		return r.writeJSON(w)
	case "csv":
		return r.writeCSV(w)
	default:
		return r.writeTable(w)
	}
}

// writeJSON prints one JSON array of row objects whose keys keep the column order.
func (r *Result) writeJSON(w io.Writer) error {
	var b strings.Builder
	b.WriteString("[")
	for i, row := range r.rows {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n  {")
		for j, v := range row {
			if j > 0 {
				b.WriteString(", ")
			}
			k, _ := json.Marshal(r.cols[j])
			val, err := json.Marshal(v)
			if err != nil {
				return fmt.Errorf("列 %s 的值无法写成 JSON：%w", r.cols[j], err)
			}
			b.Write(k)
			b.WriteString(": ")
			b.Write(val)
		}
		b.WriteString("}")
	}
	if len(r.rows) > 0 {
		b.WriteString("\n")
	}
	b.WriteString("]\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func (r *Result) writeCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(r.cols); err != nil {
		return err
	}
	for _, row := range r.rows {
		rec := make([]string, len(row))
		for i, v := range row {
			rec[i] = cell(v)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeTable prints an aligned table; Chinese characters count as two columns.
func (r *Result) writeTable(w io.Writer) error {
	cells := make([][]string, len(r.rows))
	width := make([]int, len(r.cols))
	for i, c := range r.cols {
		width[i] = runewidth.StringWidth(c)
	}
	for i, row := range r.rows {
		cells[i] = make([]string, len(row))
		for j, v := range row {
			s := cell(v)
			if v == nil {
				s = "NULL"
			}
			s = strings.ReplaceAll(s, "\n", " ")
			cells[i][j] = s
			width[j] = max(width[j], runewidth.StringWidth(s))
		}
	}
	var b strings.Builder
	line := func(vals []string) {
		for j, s := range vals {
			if j > 0 {
				b.WriteString(" | ")
			}
			b.WriteString(runewidth.FillRight(s, width[j]))
		}
		b.WriteString("\n")
	}
	line(r.cols)
	for j := range r.cols {
		if j > 0 {
			b.WriteString("-+-")
		}
		b.WriteString(strings.Repeat("-", width[j]))
	}
	b.WriteString("\n")
	for _, row := range cells {
		line(row)
	}
	fmt.Fprintf(&b, "（共 %d 行）\n", len(r.rows))
	_, err := io.WriteString(w, b.String())
	return err
}

// cell renders a value for csv and table output: NULL as empty, lists and structs as JSON.
func cell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return string(x)
	case float64:
		return fmt.Sprint(x)
	case []any, map[string]any:
		b, _ := json.Marshal(x)
		return string(b)
	default:
		return fmt.Sprint(x)
	}
}
