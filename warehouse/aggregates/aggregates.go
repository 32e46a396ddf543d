// Package aggregates holds the SQL of aggregates kept beside the models: tables computed once per
// load batch (a batch's rows never change) rather than by every models run. The SQL files are
// shared with the Spark job (spark/translate.py reads them from this folder), so each aggregate is
// written once for both engines; warehouse/meterdays.go runs them in the warehouse.
package aggregates

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
)

//go:embed agg_power_meter_days.sql
var meterDays string

// MeterDays is agg_power_meter_days.sql with the night hours and the batches in place: the rows of
// agg_power_meter_days for those batches. No batches (ids empty) give no rows.
func MeterDays(nightEndHour, nightStartHour int, ids []int64) (string, error) {
	q := meterDays
	for _, r := range []struct{ from, to string }{
		{"(SELECT night_end_hour FROM p)", strconv.Itoa(nightEndHour)},
		{"(SELECT night_start_hour FROM p)", strconv.Itoa(nightStartHour)},
		{"(SELECT batch_id FROM meter_day_batches)", "(" + IDList(ids) + ")"},
	} {
		if !strings.Contains(q, r.from) {
			return "", fmt.Errorf("warehouse/aggregates/agg_power_meter_days.sql 中没有 %s", r.from)
		}
		q = strings.ReplaceAll(q, r.from, r.to)
	}
	return q, nil
}

// IDList is ids as a SQL list; NULL (matching nothing) when empty.
func IDList(ids []int64) string {
	if len(ids) == 0 {
		return "NULL"
	}
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(s, ", ")
}
