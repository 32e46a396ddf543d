package queries

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"landwatch/warehouse"
)

// The readings of a batch are aggregated by batch, meter and day once, when the batch loads, into
// agg_power_meter_days (warehouse/meterdays.go, with warehouse/aggregates/agg_power_meter_days.sql);
// int_power_meter_days and int_power_rule_days only add them up. refreshMeterDays runs just before
// the first model that reads them is built (readsMeterDays), in the run's own transaction: it checks the kept rows against the readings and the
// run's night hours and repairs what does not match (warehouse.RefreshMeterDays), which after
// ordinary loads is nothing.
func refreshMeterDays(ctx context.Context, tx *sql.Tx, temp bool) error {
	var endHour, startHour int
	if err := tx.QueryRowContext(ctx, `SELECT night_end_hour, night_start_hour FROM stg_config__parameters`).Scan(&endHour, &startHour); err != nil {
		return fmt.Errorf("电表日汇总：读取夜间时段：%w", err)
	}
	return warehouse.RefreshMeterDays(ctx, tx, endHour, startHour, temp)
}

// readsMeterDays says whether m reads agg_power_meter_days (named in its SQL, comments left out).
func readsMeterDays(m *Model) bool {
	for _, id := range identifiers(stripComments(m.SQL)) {
		if strings.EqualFold(id, "agg_power_meter_days") {
			return true
		}
	}
	return false
}
