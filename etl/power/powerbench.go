package power

import (
	"context"
	"fmt"

	"landwatch/warehouse"
)

// BenchReadCSV is the reference `landwatch bench load` measures the readings load against: DuckDB's
// own `CREATE TABLE … AS SELECT * FROM read_csv(path)` into a scratch table, with 户号 as read_csv
// detects it (a number) or, meterAsText, as text — the type the warehouse keeps it in. The caller
// times the call; finish then counts the rows read and drops the scratch table again.
func BenchReadCSV(ctx context.Context, db *warehouse.DB, path string, meterAsText bool) (finish func() (int64, error), err error) {
	opts := ""
	if meterAsText {
		opts = ", types = {'户号': 'VARCHAR'}"
	}
	if _, err := db.ExecContext(ctx, "CREATE TABLE lw_bench_read_csv AS SELECT * FROM read_csv("+sqlString(path)+opts+")"); err != nil {
		return nil, fmt.Errorf("参照导入（read_csv）：%w", err)
	}
	return func() (int64, error) {
		var rows int64
		err := db.QueryRowContext(ctx, "SELECT count(*) FROM lw_bench_read_csv").Scan(&rows)
		if _, derr := db.ExecContext(ctx, "DROP TABLE lw_bench_read_csv"); err == nil {
			err = derr
		}
		db.ExecContext(ctx, "CHECKPOINT")
		return rows, err
	}, nil
}
