package warehouse

import (
	"context"
	"database/sql"
	"fmt"
)

// Readings store their meter as a key (power_meter_keys, migration 0148_power_meter_keys.sql):
// the readings load gives a 户号 it meets for the first time the next key, in its own transaction
// (etl/power/powerkeys.go), and whatever shows readings to people joins the keys back
// (queries/staging/stg_power__readings.sql).

// AddMeterKeysSQL is the statement that gives every meter_id of the query source (a column of that
// name; NULL is skipped) without a key the next keys, in the order of the ids: the largest key so
// far + 1, + 2, ….
func AddMeterKeysSQL(source string) string {
	return fmt.Sprintf(`INSERT INTO power_meter_keys
		SELECT top.k + CAST(row_number() OVER (ORDER BY n.meter_id) AS INTEGER), n.meter_id
		FROM (SELECT DISTINCT meter_id FROM (%s) WHERE meter_id IS NOT NULL) n
		CROSS JOIN (SELECT coalesce(max(meter_key), 0) AS k FROM power_meter_keys) top
		WHERE n.meter_id NOT IN (SELECT meter_id FROM power_meter_keys)`, source)
}

// Execer runs a statement: a *DB, a *sql.DB, a *sql.Tx or a *sql.Conn.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// InsertReadings writes the readings of the query source — columns batch_id, source_row, meter_id,
// ts, kwh; args are its parameters — into raw_power_readings with their meter's key, giving each
// 户号 without one the next key first (AddMeterKeysSQL). source is run twice, so it should be cheap
// to read again (a temporary table). This is how the read_csv and Parquet paths of the readings
// load write (etl/power/power.go insertBySQL) and how tests write readings by hand; the Go parser
// keys in Go (etl/power/powerkeys.go).
func InsertReadings(ctx context.Context, db Execer, source string, args ...any) (sql.Result, error) {
	if _, err := db.ExecContext(ctx, AddMeterKeysSQL("SELECT meter_id FROM ("+source+")"), args...); err != nil {
		return nil, fmt.Errorf("电表键：%w", err)
	}
	r, err := db.ExecContext(ctx, `INSERT INTO raw_power_readings (batch_id, source_row, meter_key, ts, kwh)
		SELECT q.batch_id, q.source_row, k.meter_key, CAST(q.ts AS TIMESTAMP), CAST(q.kwh AS DOUBLE)
		FROM (`+source+`) q JOIN power_meter_keys k ON k.meter_id = q.meter_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("写入读数：%w", err)
	}
	return r, nil
}
