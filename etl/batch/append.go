package batch

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"
)

// A manifest's rows go in through DuckDB's appender rather than multi-row INSERT … VALUES
// statements: preparing and binding a statement of a thousand parameters costs far more than the
// rows themselves (13,000 rows of a county's small files took 1.3 s of CPU that way). The
// appender fills a temporary table whose columns have the Go values' own types (VARCHAR, DOUBLE,
// BIGINT, BOOLEAN, TIMESTAMP) and runs INSERT INTO table SELECT … from it, so DuckDB casts each
// value to its column's type as it casts a bound parameter. It runs on the connection of the
// manifest's transaction, so its rows are the transaction's: a refusal or a failed commit leaves
// none of them. A column whose values are of several Go types, or of another type, is written
// with InsertRows.

// AppendRows writes rows into table's cols on conn (in its transaction); it returns false, having
// written nothing, when a column's values do not have one of the appender's types.
func AppendRows(ctx context.Context, conn *sql.Conn, table string, cols []string, rows [][]any) (bool, error) {
	types := make([]duckdb.Type, len(cols))
	for j := range cols {
		t := duckdb.TYPE_INVALID
		for _, r := range rows {
			var vt duckdb.Type
			switch r[j].(type) {
			case nil:
				continue
			case string:
				vt = duckdb.TYPE_VARCHAR
			case float64:
				vt = duckdb.TYPE_DOUBLE
			case int, int64, int32:
				vt = duckdb.TYPE_BIGINT
			case bool:
				vt = duckdb.TYPE_BOOLEAN
			case time.Time:
				vt = duckdb.TYPE_TIMESTAMP
			default:
				return false, nil
			}
			if t != duckdb.TYPE_INVALID && t != vt {
				return false, nil
			}
			t = vt
		}
		if t == duckdb.TYPE_INVALID { // every value NULL
			t = duckdb.TYPE_VARCHAR
		}
		types[j] = t
	}
	infos := make([]duckdb.TypeInfo, len(types))
	sel := make([]string, len(cols))
	for j, t := range types {
		info, err := duckdb.NewTypeInfo(t)
		if err != nil {
			return false, err
		}
		infos[j], sel[j] = info, fmt.Sprintf("col%d", j+1)
	}
	query := fmt.Sprintf("INSERT INTO %s (%s) SELECT %s FROM appended_data", table, strings.Join(cols, ", "), strings.Join(sel, ", "))
	err := conn.Raw(func(dc any) error {
		a, err := duckdb.NewQueryAppender(dc.(driver.Conn), query, "", infos, nil)
		if err != nil {
			return err
		}
		vals := make([]driver.Value, len(cols))
		for _, r := range rows {
			for j, v := range r {
				vals[j] = v
			}
			if err := a.AppendRow(vals...); err != nil {
				a.Close()
				return err
			}
		}
		return a.CloseWithCancel(ctx)
	})
	if err != nil {
		return true, fmt.Errorf("写入 %s：%w", table, err)
	}
	return true, nil
}
