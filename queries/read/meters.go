package read

// The meter register as it stands now (int_meters_now), each meter with its alerts as of the last
// models run (mart_power_alerts) and its latest confirmed cut-off (int_cutoffs_now): the list
// /staff/power/meters pages and exports (portal/powerlists.go).

import (
	"context"
	"database/sql"
	"fmt"

	"landwatch/queries"
	"landwatch/warehouse"
)

// HasTable says whether the warehouse holds the table or view name (a model built, a register
// loaded).
func HasTable(ctx context.Context, q queries.Querier, name string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_name = ?`, name).Scan(&n)
	return n > 0, err
}

// CustomerTypes are the customer types the register holds, in order.
func CustomerTypes(ctx context.Context, db *warehouse.DB) ([]string, error) {
	var types []string
	err := warehouse.EachRow(ctx, db, `SELECT DISTINCT customer_type FROM int_meters_now
		WHERE customer_type IS NOT NULL ORDER BY 1`, nil, func(rs *sql.Rows) error {
		var t string
		if err := rs.Scan(&t); err != nil {
			return err
		}
		types = append(types, t)
		return nil
	})
	return types, err
}

// MeterFilter narrows the register: a township, a customer type, only the meters with unchecked
// alerts, a text in the meter number or the account name ("" and false: no narrowing). The caller
// checks the values (a township of the configuration, a type the register holds).
type MeterFilter struct {
	Township, Type, Text string
	Open                 bool
}

// Meter is one meter of the register with its alerts, unchecked alerts and confirmed cut-off day.
type Meter struct {
	ID, Account, Type, Township, Village string
	Alerts, Open                         int
	CutDone                              string
}

// meterQuery is the query of the meters f selects.
func meterQuery(ctx context.Context, db *warehouse.DB, f MeterFilter) (string, []any, error) {
	alerts, err := HasTable(ctx, db, "mart_power_alerts")
	if err != nil {
		return "", nil, err
	}
	a := `SELECT NULL AS meter_id, 0 AS n, 0 AS open WHERE false`
	if alerts {
		a = `SELECT meter_id, count(*) AS n, count(*) FILTER (WHERE check_result IS NULL) AS open FROM mart_power_alerts GROUP BY meter_id`
	}
	q := `WITH a AS (` + a + `)
		SELECT m.meter_id, coalesce(m.account, ''), m.customer_type, m.township, coalesce(m.village, ''), coalesce(a.n, 0), coalesce(a.open, 0),
			coalesce(strftime(cut.done_on, '%Y-%m-%d'), '')
		FROM int_meters_now m LEFT JOIN a ON a.meter_id = m.meter_id LEFT JOIN int_cutoffs_now cut ON cut.meter_id = m.meter_id WHERE true`
	var args []any
	if f.Township != "" {
		q += ` AND m.township = ?`
		args = append(args, f.Township)
	}
	if f.Type != "" {
		q += ` AND m.customer_type = ?`
		args = append(args, f.Type)
	}
	if f.Open {
		q += ` AND coalesce(a.open, 0) > 0`
	}
	if f.Text != "" {
		q += ` AND (m.meter_id LIKE '%' || ? || '%' OR coalesce(m.account, '') LIKE '%' || ? || '%')`
		args = append(args, f.Text, f.Text)
	}
	return q, args, nil
}

// MeterCount is how many meters f selects. The register (int_meters_now) must have been loaded
// (HasTable).
func MeterCount(ctx context.Context, db *warehouse.DB, f MeterFilter) (int, error) {
	q, args, err := meterQuery(ctx, db, f)
	if err != nil {
		return 0, err
	}
	var total int
	err = db.QueryRowContext(ctx, `SELECT count(*) FROM (`+q+`)`, args...).Scan(&total)
	return total, err
}

// Meters is the page (1-based; 0: every row) of the meters f selects, those with unchecked alerts
// first.
func Meters(ctx context.Context, db *warehouse.DB, f MeterFilter, page int) ([]Meter, error) {
	q, args, err := meterQuery(ctx, db, f)
	if err != nil {
		return nil, err
	}
	tail := ""
	if page > 0 {
		tail = fmt.Sprintf(` LIMIT %d OFFSET %d`, PageSize, (page-1)*PageSize)
	}
	var list []Meter
	err = warehouse.EachRow(ctx, db, q+` ORDER BY coalesce(a.open, 0) DESC, coalesce(a.n, 0) DESC, m.meter_id`+tail, args,
		func(rs *sql.Rows) error {
			var m Meter
			if err := rs.Scan(&m.ID, &m.Account, &m.Type, &m.Township, &m.Village, &m.Alerts, &m.Open, &m.CutDone); err != nil {
				return err
			}
			list = append(list, m)
			return nil
		})
	return list, err
}

// PendingCutoffs are the meters whose latest 终止供电 order (by when it was entered) has no
// confirmation entered at or after it (int_cutoffs_now), each with the day of that order; none
// before the cut-offs were built.
func PendingCutoffs(ctx context.Context, db *warehouse.DB) (map[string]string, error) {
	out := map[string]string{}
	if ok, err := HasTable(ctx, db, "int_cutoffs_now"); err != nil || !ok {
		return out, err
	}
	err := warehouse.EachRow(ctx, db, `SELECT meter_id, strftime(ordered_on, '%Y-%m-%d')
		FROM int_cutoffs_now WHERE awaiting_confirmation`,
		nil, func(rs *sql.Rows) error {
			var meter, on string
			if err := rs.Scan(&meter, &on); err != nil {
				return err
			}
			out[meter] = on
			return nil
		})
	return out, err
}
