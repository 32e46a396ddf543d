package warehouse

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"landwatch/warehouse/aggregates"
)

// The readings of a batch never change once it is loaded, so their meter-days (the heavy step of
// the power rules) are kept per batch in agg_power_meter_days (migration 0135_power_meter_days.sql),
// computed by warehouse/aggregates/agg_power_meter_days.sql, the file the Spark job runs too:
//   - AddMeterDays computes a readings batch's rows when it loads, in the load's transaction
//     (etl/power/power.go), so that a models run after a load aggregates nothing; a csv the Go
//     parser reads has the same rows added up by the parser instead (etl/power/powermeterdays.go),
//     kept by InsertMeterDays;
//   - RefreshMeterDays, run by the models just before int_power_meter_days is built, checks that
//     the kept rows match the readings and the run's night hours and repairs them when they do not
//     (the night hours changed, a batch was withdrawn, or readings came in without a load).

// AddMeterDays aggregates the readings of batch batchID, just inserted by the transaction tx, into
// agg_power_meter_days and records the batch in agg_power_meter_day_batches. The day is split by
// the night hours in dim_parameters (those the models read); a warehouse without them gets no rows
// here, and the next models run computes them.
func AddMeterDays(ctx context.Context, tx *sql.Tx, batchID int64) error {
	end, start, ok, err := MeterDayNightHours(ctx, tx)
	if err != nil || !ok {
		return err
	}
	q, err := aggregates.MeterDays(end, start, []int64{batchID})
	if err != nil {
		return fmt.Errorf("电表日汇总：%w", err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO agg_power_meter_days\n"+q); err != nil {
		return fmt.Errorf("电表日汇总：%w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO agg_power_meter_day_batches
		SELECT ?, coalesce(sum(readings), 0), ?, ? FROM agg_power_meter_days WHERE batch_id = ?`,
		batchID, end, start, batchID); err != nil {
		return fmt.Errorf("电表日汇总：%w", err)
	}
	return nil
}

// MeterDayNightHours reads the night hours that split a meter-day (dim_parameters: night_end_hour,
// night_start_hour); ok is false when the warehouse has none (then a load keeps no meter-days).
func MeterDayNightHours(ctx context.Context, tx *sql.Tx) (end, start int, ok bool, err error) {
	var endHour, startHour sql.NullFloat64
	if err := tx.QueryRowContext(ctx, `SELECT max(num) FILTER (WHERE key = 'night_end_hour'),
		max(num) FILTER (WHERE key = 'night_start_hour') FROM dim_parameters`).Scan(&endHour, &startHour); err != nil {
		return 0, 0, false, fmt.Errorf("电表日汇总：读取夜间时段：%w", err)
	}
	if !endHour.Valid || !startHour.Valid {
		return 0, 0, false, nil
	}
	return int(endHour.Float64), int(startHour.Float64), true, nil
}

// InsertMeterDays keeps meter-days of batch batchID that were computed outside SQL — by the
// readings parser (etl/power/powermeterdays.go), split by the night hours end and start — exactly
// as AddMeterDays keeps those agg_power_meter_days.sql computes. source is a query giving, per
// meter and day, the columns meter_id, day (days since 1970-01-01), kwh, day_part_kwh,
// night_early_kwh, night_late_kwh, night_late_n (the readings summed in night_late_kwh: none makes
// it NULL) and readings; the batch's readings count in all is readings.
func InsertMeterDays(ctx context.Context, tx *sql.Tx, batchID int64, end, start int, source string, readings int64) error {
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`INSERT INTO agg_power_meter_days
		SELECT %d, meter_id, DATE '1970-01-01' + day, kwh, day_part_kwh, night_early_kwh,
			CASE WHEN night_late_n > 0 THEN night_late_kwh END, readings
		FROM (%s)`, batchID, source)); err != nil {
		return fmt.Errorf("电表日汇总：%w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO agg_power_meter_day_batches VALUES (?, ?, ?, ?)`,
		batchID, readings, end, start); err != nil {
		return fmt.Errorf("电表日汇总：%w", err)
	}
	return nil
}

// RefreshMeterDays brings agg_power_meter_days up to date for the night hours endHour and
// startHour, in tx (so it sees exactly the readings the models see):
//   - the batches whose readings are all covered, split by those night hours, are kept;
//   - a batch not covered yet, or whose count of readings differs (withdrawn, or rows added or
//     removed), or split by other night hours, is aggregated afresh, and rows of batches whose
//     readings are gone are dropped.
//
// When the readings' count and the batches' night hours all match — the usual case, every batch
// having been aggregated by its load — it costs two small queries. In a scratch build (temp: a
// past day's models, possibly on a read-only warehouse) nothing of the warehouse is written: when
// something is not covered, a temporary agg_power_meter_days holding the covered rows and the
// missing ones shadows the warehouse's (the caller drops it).
func RefreshMeterDays(ctx context.Context, tx *sql.Tx, endHour, startHour int, temp bool) error {
	var total, covered, otherHours int64
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM raw_power_readings),
		(SELECT coalesce(sum(readings), 0) FROM agg_power_meter_day_batches),
		(SELECT count(*) FROM agg_power_meter_day_batches WHERE night_end_hour <> ? OR night_start_hour <> ?)`,
		endHour, startHour).Scan(&total, &covered, &otherHours); err != nil {
		return fmt.Errorf("电表日汇总：%w", err)
	}
	if total == covered && otherHours == 0 {
		return nil
	}
	// which batches to aggregate afresh (redo) and which rows to drop (stale)
	have := map[int64]int64{}
	if err := eachRow(ctx, tx, `SELECT batch_id, count(*) FROM raw_power_readings GROUP BY batch_id`, nil, func(id, n int64) {
		have[id] = n
	}); err != nil {
		return fmt.Errorf("电表日汇总：%w", err)
	}
	var redo, stale []int64
	kept := map[int64]bool{}
	if err := eachRow(ctx, tx, `SELECT batch_id, readings FROM agg_power_meter_day_batches WHERE night_end_hour = ? AND night_start_hour = ?`,
		[]any{endHour, startHour}, func(id, n int64) {
			if have[id] == n {
				kept[id] = true
			}
		}); err != nil {
		return fmt.Errorf("电表日汇总：%w", err)
	}
	if err := eachRow(ctx, tx, `SELECT DISTINCT batch_id, 0 FROM agg_power_meter_day_batches`, nil, func(id, _ int64) {
		if !kept[id] {
			stale = append(stale, id)
		}
	}); err != nil {
		return fmt.Errorf("电表日汇总：%w", err)
	}
	for id := range have {
		if !kept[id] {
			redo = append(redo, id)
		}
	}
	sort.Slice(redo, func(i, j int) bool { return redo[i] < redo[j] })
	fresh, err := aggregates.MeterDays(endHour, startHour, redo)
	if err != nil {
		return fmt.Errorf("电表日汇总：%w", err)
	}
	if temp {
		var catalog string
		if err := tx.QueryRowContext(ctx, `SELECT current_database()`).Scan(&catalog); err != nil {
			return err
		}
		q := `CREATE OR REPLACE TEMP TABLE agg_power_meter_days AS
			SELECT * FROM ` + quoteIdent(catalog) + `.main.agg_power_meter_days`
		if len(stale) > 0 {
			q += ` WHERE batch_id NOT IN (` + aggregates.IDList(stale) + `)`
		}
		if len(redo) > 0 {
			q += "\nUNION ALL\n" + fresh
		}
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("电表日汇总：%w", err)
		}
		return nil
	}
	if len(stale) > 0 {
		for _, t := range []string{"agg_power_meter_days", "agg_power_meter_day_batches"} {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+t+" WHERE batch_id IN ("+aggregates.IDList(stale)+")"); err != nil {
				return fmt.Errorf("电表日汇总：%w", err)
			}
		}
	}
	if len(redo) == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO agg_power_meter_days\n"+fresh); err != nil {
		return fmt.Errorf("电表日汇总：%w", err)
	}
	vals := make([]string, len(redo))
	for i, id := range redo {
		vals[i] = fmt.Sprintf("(%d, %d, %d, %d)", id, have[id], endHour, startHour)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO agg_power_meter_day_batches VALUES "+strings.Join(vals, ", ")); err != nil {
		return fmt.Errorf("电表日汇总：%w", err)
	}
	return nil
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// eachRow calls fn with the two integers of every row of q.
func eachRow(ctx context.Context, tx *sql.Tx, q string, args []any, fn func(a, b int64)) error {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var a, b int64
		if err := rows.Scan(&a, &b); err != nil {
			return err
		}
		fn(a, b)
	}
	return rows.Err()
}
