package warehouse

import (
	"context"
	"fmt"
)

// The reference `landwatch bench models` measures a models run against: the bare meter-day
// aggregate of the warehouse's readings, one GROUP BY of every reading by meter key and calendar
// day, the 户号 joined to the groups (as warehouse/aggregates/agg_power_meter_days.sql does), into
// a temporary table, without the batches, the night hours or anything the models add.

// ReadingsCount is the number of readings the warehouse holds.
func ReadingsCount(ctx context.Context, db *DB) (int64, error) {
	var n int64
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM raw_power_readings`).Scan(&n); err != nil {
		return 0, fmt.Errorf("读数条数：%w", err)
	}
	return n, nil
}

// BareMeterDays runs the reference aggregate into the temporary table bench_meter_days of one
// connection of db, then (not part of what a caller times) counts its rows and drops it: measure
// is called around the aggregate alone.
func BareMeterDays(ctx context.Context, db *DB, measure func(run func() error) error) (days int64, err error) {
	conn, err := db.DB.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	err = measure(func() error {
		_, err := conn.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE bench_meter_days AS
			SELECT k.meter_id, d.day, d.kwh, d.readings
			FROM (SELECT meter_key, CAST(ts AS DATE) AS day, sum(kwh) AS kwh, count(*) AS readings
				FROM raw_power_readings GROUP BY meter_key, CAST(ts AS DATE)) d
			JOIN power_meter_keys k ON k.meter_key = d.meter_key`)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("电表日汇总：%w", err)
	}
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM bench_meter_days`).Scan(&days); err != nil {
		return 0, fmt.Errorf("电表日汇总：%w", err)
	}
	if _, err := conn.ExecContext(ctx, `DROP TABLE bench_meter_days`); err != nil {
		return 0, fmt.Errorf("电表日汇总：%w", err)
	}
	return days, nil
}
