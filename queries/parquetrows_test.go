package queries

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/duckdb/duckdb-go/v2"

	"landwatch/warehouse"
)

// ParquetFooter reads the same row count and columns as DuckDB does, for flat, nested, empty and
// many-row-group files, and refuses a file that is not Parquet or whose footer is cut.
func TestParquetFooter(t *testing.T) {
	t.Parallel()
	connector, err := duckdb.NewConnector(warehouse.DSN("", false), nil)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	dir := t.TempDir()
	for i, sel := range []string{
		`SELECT 1 AS a, 'x' AS b, true AS c, 2.5 AS d, DATE '2023-04-30' AS as_of`,
		`SELECT i, i % 2 = 0 AS even, [i, i + 1] AS pair, {'k': i, 'v': 'x' || i} AS obj, MAP {'m': i} AS mp FROM range(100000) t(i)`,
		`SELECT * FROM (SELECT 1 AS only, 'filename' AS filename) WHERE false`,
	} {
		p := filepath.Join(dir, fmt.Sprintf("f%d.parquet", i))
		if _, err := db.Exec(fmt.Sprintf(`COPY (%s) TO '%s' (FORMAT parquet, ROW_GROUP_SIZE 2048)`, sel, p)); err != nil {
			t.Fatal(err)
		}
		var wantRows int64
		var wantCols string
		if err := db.QueryRow(fmt.Sprintf(`SELECT (SELECT num_rows FROM parquet_file_metadata('%[1]s')),
			(SELECT string_agg(name, ',' ORDER BY rowid) FROM (SELECT row_number() OVER () AS rowid, name FROM parquet_schema('%[1]s')) WHERE rowid > 1)`, p)).Scan(&wantRows, &wantCols); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		st, _ := f.Stat()
		rows, cols, err := ParquetFooter(f, st.Size())
		f.Close()
		if err != nil || rows != wantRows || strings.Join(cols, ",") != wantCols {
			t.Errorf("%s: %d %v %v, want %d %s", sel, rows, cols, err, wantRows, wantCols)
		}
		// cut in the footer, or not Parquet at all
		data, _ := os.ReadFile(p)
		for _, bad := range [][]byte{data[:len(data)-12], append(data[:len(data)-8:len(data)-8], 0xff, 0xff, 0xff, 0x7f, 'P', 'A', 'R', '1'), []byte("户号,时间,电量\n")} {
			q := filepath.Join(dir, "bad.parquet")
			os.WriteFile(q, bad, 0o600)
			f, _ := os.Open(q)
			if _, _, err := ParquetFooter(f, int64(len(bad))); err == nil {
				t.Errorf("%s: a damaged file read", sel)
			}
			f.Close()
		}
	}
}
