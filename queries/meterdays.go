package queries

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
)

// The readings of a batch never change once it is loaded, so their meter-days (the heavy step of
// the power rules) are computed once per batch into agg_power_meter_days (migration
// 0135_power_meter_days.sql), and int_power_meter_days only adds them up by arrival. refreshMeterDays
// runs just before int_power_meter_days is built, in the run's own transaction (so it sees exactly
// the readings the models see):
//   - the batches whose readings are all covered, split by the run's night hours, are kept;
//   - a batch not covered yet (new), or whose count of readings differs (withdrawn, or rows added
//     or removed), or split by other night hours, is aggregated afresh, and rows of batches whose
//     readings are gone are dropped.
//
// When the readings' count and the batches' night hours all match — the usual case — it costs two
// small queries. In a scratch build (temp: a past day's models, possibly on a read-only warehouse)
// nothing of the warehouse is written: when something is not covered, a temporary
// agg_power_meter_days holding the covered rows and the missing ones shadows the warehouse's.

// meterDaysSQL is aggregates/agg_power_meter_days.sql with the night hours and the batches in
// place: the two engines share that file, so the split of a day is written once.
func meterDaysSQL(endHour, startHour int, ids []int64) (string, error) {
	b, err := sqlFS.ReadFile("aggregates/agg_power_meter_days.sql")
	if err != nil {
		return "", err
	}
	q := string(b)
	for _, r := range []struct{ from, to string }{
		{"(SELECT night_end_hour FROM p)", fmt.Sprint(endHour)},
		{"(SELECT night_start_hour FROM p)", fmt.Sprint(startHour)},
		{"(SELECT batch_id FROM meter_day_batches)", "(" + idList(ids) + ")"},
	} {
		if !strings.Contains(q, r.from) {
			return "", fmt.Errorf("aggregates/agg_power_meter_days.sql: no %s", r.from)
		}
		q = strings.ReplaceAll(q, r.from, r.to)
	}
	return q, nil
}

func refreshMeterDays(ctx context.Context, tx *sql.Tx, temp bool) error {
	var endHour, startHour int
	if err := tx.QueryRowContext(ctx, `SELECT night_end_hour, night_start_hour FROM stg_config__parameters`).Scan(&endHour, &startHour); err != nil {
		return fmt.Errorf("meter-days: night hours: %w", err)
	}
	return refreshMeterDaysSplit(ctx, tx, temp, endHour, startHour)
}

// refreshMeterDaysSplit is refreshMeterDays with the night hours given.
func refreshMeterDaysSplit(ctx context.Context, tx *sql.Tx, temp bool, endHour, startHour int) error {
	var total, covered, otherHours int64
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM raw_power_readings),
		(SELECT coalesce(sum(readings), 0) FROM agg_power_meter_day_batches),
		(SELECT count(*) FROM agg_power_meter_day_batches WHERE night_end_hour <> ? OR night_start_hour <> ?)`,
		endHour, startHour).Scan(&total, &covered, &otherHours); err != nil {
		return fmt.Errorf("meter-days: %w", err)
	}
	if total == covered && otherHours == 0 {
		return nil
	}
	// which batches to aggregate afresh (redo) and which rows to drop (stale)
	have := map[int64]int64{}
	if err := eachRow(ctx, tx, `SELECT batch_id, count(*) FROM raw_power_readings GROUP BY batch_id`, nil, func(id, n int64) {
		have[id] = n
	}); err != nil {
		return fmt.Errorf("meter-days: %w", err)
	}
	var redo, stale []int64
	kept := map[int64]bool{}
	if err := eachRow(ctx, tx, `SELECT batch_id, readings FROM agg_power_meter_day_batches WHERE night_end_hour = ? AND night_start_hour = ?`,
		[]any{endHour, startHour}, func(id, n int64) {
			if have[id] == n {
				kept[id] = true
			}
		}); err != nil {
		return fmt.Errorf("meter-days: %w", err)
	}
	if err := eachRow(ctx, tx, `SELECT DISTINCT batch_id, 0 FROM agg_power_meter_day_batches`, nil, func(id, _ int64) {
		if !kept[id] {
			stale = append(stale, id)
		}
	}); err != nil {
		return fmt.Errorf("meter-days: %w", err)
	}
	for id := range have {
		if !kept[id] {
			redo = append(redo, id)
		}
	}
	sort.Slice(redo, func(i, j int) bool { return redo[i] < redo[j] })
	fresh, err := meterDaysSQL(endHour, startHour, redo)
	if err != nil {
		return fmt.Errorf("meter-days: %w", err)
	}
	if temp {
		var catalog string
		if err := tx.QueryRowContext(ctx, `SELECT current_database()`).Scan(&catalog); err != nil {
			return err
		}
		q := `CREATE OR REPLACE TEMP TABLE agg_power_meter_days AS
			SELECT * FROM ` + quoteIdent(catalog) + `.main.agg_power_meter_days`
		if len(stale) > 0 {
			q += ` WHERE batch_id NOT IN (` + idList(stale) + `)`
		}
		if len(redo) > 0 {
			q += "\nUNION ALL\n" + fresh
		}
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("meter-days: %w", err)
		}
		return nil
	}
	if len(stale) > 0 {
		for _, t := range []string{"agg_power_meter_days", "agg_power_meter_day_batches"} {
			if _, err := tx.ExecContext(ctx, "DELETE FROM "+t+" WHERE batch_id IN ("+idList(stale)+")"); err != nil {
				return fmt.Errorf("meter-days: %w", err)
			}
		}
	}
	if len(redo) == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO agg_power_meter_days\n"+fresh); err != nil {
		return fmt.Errorf("meter-days: %w", err)
	}
	vals := make([]string, len(redo))
	for i, id := range redo {
		vals[i] = fmt.Sprintf("(%d, %d, %d, %d)", id, have[id], endHour, startHour)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO agg_power_meter_day_batches VALUES "+strings.Join(vals, ", ")); err != nil {
		return fmt.Errorf("meter-days: %w", err)
	}
	return nil
}

// idList is ids as a SQL list; NULL (matching nothing) when empty.
func idList(ids []int64) string {
	if len(ids) == 0 {
		return "NULL"
	}
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = fmt.Sprint(id)
	}
	return strings.Join(s, ", ")
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
