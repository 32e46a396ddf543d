package warehousetest

import (
	"context"
	"database/sql"
	"fmt"

	"landwatch/warehouse"
)

// Execer runs a statement: a *sql.DB (or *warehouse.DB), *sql.Tx or *sql.Conn.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// InsertReadings is the one way tests write power readings by hand: the rows of query — columns
// batch_id, source_row, meter_id, ts, kwh; args are its parameters — go into raw_power_readings
// with their meter's key, each 户号 without one keyed first (warehouse.AddMeterKeysSQL), as a
// readings load does (etl/power/powerkeys.go). query is run twice.
func InsertReadings(ctx context.Context, db Execer, query string, args ...any) error {
	if _, err := db.ExecContext(ctx, warehouse.AddMeterKeysSQL(query), args...); err != nil {
		return fmt.Errorf("meter keys: %w", err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO raw_power_readings (batch_id, source_row, meter_key, ts, kwh)
		SELECT q.batch_id, q.source_row, k.meter_key, CAST(q.ts AS TIMESTAMP), CAST(q.kwh AS DOUBLE)
		FROM (`+query+`) q JOIN power_meter_keys k ON k.meter_id = q.meter_id`, args...); err != nil {
		return fmt.Errorf("readings: %w", err)
	}
	return nil
}

// InsertReading inserts one reading through InsertReadings; each value may be given as its text.
func InsertReading(ctx context.Context, db Execer, batchID, sourceRow any, meterID string, ts, kwh any) error {
	return InsertReadings(ctx, db, `SELECT CAST(? AS BIGINT) AS batch_id, CAST(? AS BIGINT) AS source_row,
		CAST(? AS VARCHAR) AS meter_id, CAST(? AS TIMESTAMP) AS ts, CAST(? AS DOUBLE) AS kwh`, batchID, sourceRow, meterID, ts, kwh)
}
