package power

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strconv"
	"sync/atomic"
	"time"

	"landwatch/campaign"
	"landwatch/etl/batch"
	"landwatch/etl/read"
	"landwatch/warehouse"
)

// Plausibility of power readings, checked in SQL over the rows a file loaded (inside its
// transaction, so that a refused file leaves nothing): one reading per meter and interval start
// within the file and across the batches already loaded (a reading given twice would be summed
// twice by the power rules), and no reading above the configuration's ceiling per interval
// (power.max_kwh_per_interval), nor one that is not a finite number.

// sqlChecks counts the checks that ran in SQL over the batch's rows (tests see which were left to
// SQL after the Go parser's summary).
var sqlChecks struct{ readings, duplicates, overlap atomic.Int64 }

// checkReadingsPlausible finds, in batchID, the readings above the ceiling and every reading that
// repeats an earlier line's meter and time. With the Go parser's summary s (powerspan.go) it asks
// SQL only what the parse left open: the ceiling when some reading was above it, the duplicates
// among the meters whose times did not rise strictly.
func checkReadingsPlausible(ctx context.Context, tx *sql.Tx, cfg *campaign.Config, batchID int64, rejected []int64, s *readingsSummary, p *read.Problems) error {
	ceiling := cfg.Power.KWhCeiling()
	realTimes := time.UnixMicro(realTimeUS).UTC() // above the sentinels (years 1–5) checkReadings reports
	if s != nil && s.over == 0 {
		return checkReadingsDuplicates(ctx, tx, batchID, rejected, s, p)
	}
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(`SELECT source_row, kwh FROM raw_power_readings
		WHERE batch_id = ? AND ts >= ? AND (kwh > ? OR NOT isfinite(kwh)) ORDER BY source_row LIMIT %d`, read.MaxErrors+1), batchID, realTimes, ceiling)
	if err != nil {
		return fmt.Errorf("核对用电数据：%w", err)
	}
	for rows.Next() {
		var line int64
		var kwh float64
		if err := rows.Scan(&line, &kwh); err != nil {
			rows.Close()
			return fmt.Errorf("核对用电数据：%w", err)
		}
		if math.IsNaN(kwh) {
			p.Add(int(actualLine(line, rejected)), "电量", strconv.FormatFloat(kwh, 'g', -1, 64), "不是有效数字")
			continue
		}
		p.Add(int(actualLine(line, rejected)), "电量", strconv.FormatFloat(kwh, 'g', -1, 64),
			fmt.Sprintf("超过每个时段 %s 千瓦时的上限（power.max_kwh_per_interval），读数不可信", strconv.FormatFloat(ceiling, 'f', -1, 64)))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("核对用电数据：%w", err)
	}
	return checkReadingsDuplicates(ctx, tx, batchID, rejected, s, p)
}

// checkReadingsDuplicates finds every reading of batchID that repeats an earlier line's meter and
// time: over the whole batch, or with the Go parser's summary s over the meters whose times did
// not rise strictly in file order only (none: nothing to ask).
func checkReadingsDuplicates(ctx context.Context, tx *sql.Tx, batchID int64, rejected []int64, s *readingsSummary, p *read.Problems) error {
	realTimes := time.UnixMicro(realTimeUS).UTC()
	only, args := "", []any{batchID, realTimes}
	if s != nil {
		meters := s.unordered()
		if len(meters) == 0 {
			return nil
		}
		if len(meters) <= maxListedMeters {
			only, args = " AND meter_key IN (SELECT unnest(string_split(?, ',')::INTEGER[]))", append(args, keyList(meters))
		}
	}
	sqlChecks.duplicates.Add(1)
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(`SELECT d.source_row, k.meter_id, d.ts, d.first FROM (
			SELECT source_row, meter_key, ts, first FROM (
				SELECT source_row, meter_key, ts, min(source_row) OVER (PARTITION BY meter_key, ts) AS first,
				       count(*) OVER (PARTITION BY meter_key, ts) AS n
				FROM raw_power_readings WHERE batch_id = ? AND ts >= ?%s)
			WHERE n > 1 AND source_row > first ORDER BY source_row LIMIT %d) d
		JOIN power_meter_keys k ON k.meter_key = d.meter_key ORDER BY d.source_row`, only, read.MaxErrors+1), args...)
	if err != nil {
		return fmt.Errorf("核对用电数据：%w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var line, first int64
		var meter string
		var ts time.Time
		if err := rows.Scan(&line, &meter, &ts, &first); err != nil {
			return fmt.Errorf("核对用电数据：%w", err)
		}
		p.Add(int(actualLine(line, rejected)), "时间", ts.Format("2006-01-02 15:04:05"),
			fmt.Sprintf("与第%d行重复（同一户号%s、同一时间只能有一条读数）", actualLine(first, rejected), meter))
	}
	return rows.Err()
}

// checkReadingsOverlap finds the readings of batchID whose meter and time an earlier batch (not
// replaced) loaded already. It runs after the file is known not to be a reload of that batch. With
// the Go parser's summary s, the committed readings are asked first whether any lies within a
// meter's range of times in the file (readingsOverlapCommitted); only then is the batch joined.
func checkReadingsOverlap(ctx context.Context, db *warehouse.DB, tx *sql.Tx, batchID int64, s *readingsSummary, p *read.Problems) error {
	if s != nil {
		meet, err := readingsOverlapCommitted(ctx, db, s)
		if err != nil || !meet {
			return err
		}
	}
	sqlChecks.overlap.Add(1)
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(`WITH new AS (SELECT source_row, meter_key, ts FROM raw_power_readings WHERE batch_id = ?),
			span AS (SELECT min(ts) AS lo, max(ts) AS hi FROM new),
			hit AS (SELECT n.source_row, n.meter_key, n.ts, o.batch_id, b.file_name
				FROM new n
				JOIN raw_power_readings o ON o.meter_key = n.meter_key AND o.ts = n.ts AND o.batch_id <> ?
				JOIN load_batches b ON b.batch_id = o.batch_id AND b.replaced_by IS NULL, span
				WHERE o.ts BETWEEN span.lo AND span.hi
				ORDER BY n.source_row LIMIT %d)
		SELECT h.source_row, k.meter_id, h.ts, h.batch_id, h.file_name
		FROM hit h JOIN power_meter_keys k ON k.meter_key = h.meter_key ORDER BY h.source_row`, read.MaxErrors+1), batchID, batchID)
	if err != nil {
		return fmt.Errorf("与已导入的用电数据核对：%w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var line, other int64
		var meter, file string
		var ts time.Time
		if err := rows.Scan(&line, &meter, &ts, &other, &file); err != nil {
			return fmt.Errorf("与已导入的用电数据核对：%w", err)
		}
		p.Add(int(line), "时间", ts.Format("2006-01-02 15:04:05"),
			fmt.Sprintf("户号%s此时间的读数已由批次%d（%s）导入", meter, other, file))
	}
	return rows.Err()
}

// checkReadingsArrival refuses readings whose interval starts after the stamp.
func checkReadingsArrival(ctx context.Context, q batch.Querier, p *read.Problems, batchID int64, a batch.Arrival) error {
	rows, err := q.QueryContext(ctx, `SELECT source_row, ts FROM raw_power_readings WHERE batch_id = ? AND ts > ?
		ORDER BY source_row LIMIT 5`, batchID, a.At)
	if err != nil {
		return fmt.Errorf("与送达时间核对用电数据：%w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var row sql.NullInt64
		var ts time.Time
		if err := rows.Scan(&row, &ts); err != nil {
			return err
		}
		p.Add(int(row.Int64), "时间", ts.Format("2006-01-02 15:04"),
			fmt.Sprintf("读数时间晚于送达时间 %s", a))
	}
	return rows.Err()
}
