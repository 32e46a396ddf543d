package queries

import (
	"context"
	"database/sql"
	"fmt"

	"landwatch/warehouse"
)

// PrepareMeterDays brings agg_power_meter_days up to date for every loaded batch outside a models
// run, split by the configured night hours (dim_parameters, which stg_config__parameters reads), as
// the next run would do first (meterdays.go). A warehouse kept for later copies (the demo's,
// cmd/landwatch/demo_cache.go) thus holds the meter-days once; a run that finds other hours or
// other readings aggregates afresh as always.
func PrepareMeterDays(ctx context.Context, db *warehouse.DB) error {
	return db.InTx(ctx, func(tx *sql.Tx) error {
		var endHour, startHour sql.NullInt64
		if err := tx.QueryRowContext(ctx, `SELECT CAST(max(num) FILTER (WHERE key = 'night_end_hour') AS INTEGER),
			CAST(max(num) FILTER (WHERE key = 'night_start_hour') AS INTEGER) FROM dim_parameters`).Scan(&endHour, &startHour); err != nil {
			return fmt.Errorf("meter-days: night hours: %w", err)
		}
		if !endHour.Valid || !startHour.Valid {
			return fmt.Errorf("meter-days: dim_parameters has no night hours")
		}
		return refreshMeterDaysSplit(ctx, tx, false, int(endHour.Int64), int(startHour.Int64))
	})
}
