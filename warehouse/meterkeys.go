package warehouse

import "fmt"

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
