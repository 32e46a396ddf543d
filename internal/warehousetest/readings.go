package warehousetest

import (
	"context"

	"landwatch/warehouse"
)

// Execer runs a statement: a *sql.DB (or *warehouse.DB), *sql.Tx or *sql.Conn.
type Execer = warehouse.Execer

// InsertReadings is the one way tests write power readings by hand: the rows of query — columns
// batch_id, source_row, meter_id, ts, kwh; args are its parameters — go in as the readings load's
// SQL path writes them (warehouse.InsertReadings: each 户号 keyed first). query is run twice.
func InsertReadings(ctx context.Context, db Execer, query string, args ...any) error {
	_, err := warehouse.InsertReadings(ctx, db, query, args...)
	return err
}

// InsertReading inserts one reading through InsertReadings; each value may be given as its text.
func InsertReading(ctx context.Context, db Execer, batchID, sourceRow any, meterID string, ts, kwh any) error {
	return InsertReadings(ctx, db, `SELECT CAST(? AS BIGINT) AS batch_id, CAST(? AS BIGINT) AS source_row,
		CAST(? AS VARCHAR) AS meter_id, CAST(? AS TIMESTAMP) AS ts, CAST(? AS DOUBLE) AS kwh`, batchID, sourceRow, meterID, ts, kwh)
}
