package read

// The power alerts as a work queue (mart_power_alerts, as of the last models run): the list
// /staff/power pages and exports, a meter's alerts, one alert by its id (portal/power/power.go,
// portal/power/lists.go); and a meter as it stands now (int_meters_now) with its cut-off entries
// (stg_power__cutoffs).

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"landwatch/warehouse"
)

// AlertFilter narrows the alerts ("" and nil: no narrowing). Township is a township account's
// scope or the township asked for; Unchecked keeps the alerts without a check, Result those with
// that check result; Late the check deadline passed (true) or not (false); Rule a rule's code;
// Text a part of the meter number; ID one alert, Meter one meter's. The caller checks the values.
type AlertFilter struct {
	Township, Result, Rule, Text, ID, Meter string
	Unchecked                               bool
	Late                                    *bool
}

// Alert is one alert of the queue; the rule is its code, the dates YYYY-MM-DD ("" when none).
type Alert struct {
	ID, Meter, Township, Village, Type, Rule, FirstDay, LastDay, Score, Result, CheckedOn, DueOn string
	Late                                                                                         bool
	CutOrdered, CutDone                                                                          string
}

// where is the condition of f on mart_power_alerts, with its arguments.
func (f AlertFilter) where() (string, []any) {
	w, args := ` WHERE true`, []any{}
	add := func(cond string, v any) {
		w += cond
		args = append(args, v)
	}
	if f.Township != "" {
		add(` AND township = ?`, f.Township)
	}
	if f.Unchecked {
		w += ` AND check_result IS NULL`
	}
	if f.Result != "" {
		add(` AND check_result = ?`, f.Result)
	}
	if f.Late != nil {
		add(` AND check_late = ?`, *f.Late)
	}
	if f.Rule != "" {
		add(` AND rule = ?`, f.Rule)
	}
	if f.Text != "" {
		add(` AND meter_id LIKE '%' || ? || '%'`, f.Text)
	}
	if f.ID != "" {
		add(` AND alert_id = ?`, f.ID)
	}
	if f.Meter != "" {
		add(` AND meter_id = ?`, f.Meter)
	}
	return w, args
}

// AlertCount is how many alerts f selects. mart_power_alerts must have been built (HasTable).
func AlertCount(ctx context.Context, db *warehouse.DB, f AlertFilter) (int, error) {
	w, args := f.where()
	var n int
	err := db.QueryRowContext(ctx, `SELECT count(*) FROM mart_power_alerts`+w, args...).Scan(&n)
	return n, err
}

// AlertTotals are how many alerts f selects are unchecked and how many are late.
func AlertTotals(ctx context.Context, db *warehouse.DB, f AlertFilter) (open, late int, err error) {
	w, args := f.where()
	err = db.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE check_result IS NULL), count(*) FILTER (WHERE check_late)
		FROM mart_power_alerts`+w, args...).Scan(&open, &late)
	return open, late, err
}

// Alerts are the alerts f selects, unchecked first by check deadline: page (1-based, PageSize a
// page) of them, or the first limit when page is 0 (limit 0: every one). None when
// mart_power_alerts was not built yet.
func Alerts(ctx context.Context, db *warehouse.DB, f AlertFilter, page, limit int) ([]Alert, error) {
	if ok, err := HasTable(ctx, db, "mart_power_alerts"); err != nil || !ok {
		return nil, err
	}
	w, args := f.where()
	tail := ""
	switch {
	case page > 0:
		tail = fmt.Sprintf(` LIMIT %d OFFSET %d`, PageSize, (page-1)*PageSize)
	case limit > 0:
		tail = fmt.Sprintf(` LIMIT %d`, limit)
	}
	var out []Alert
	err := warehouse.EachRow(ctx, db, `SELECT alert_id, meter_id, coalesce(township, ''), coalesce(village, ''), coalesce(customer_type, ''), rule,
		strftime(first_day, '%Y-%m-%d'), strftime(last_day, '%Y-%m-%d'), CAST(score AS VARCHAR), coalesce(check_result, ''),
		coalesce(strftime(checked_on, '%Y-%m-%d'), ''), strftime(check_due_on, '%Y-%m-%d'), check_late,
		coalesce(strftime(cutoff_ordered_on, '%Y-%m-%d'), ''), coalesce(strftime(cutoff_done_on, '%Y-%m-%d'), '')
		FROM mart_power_alerts`+w+` ORDER BY check_result IS NOT NULL, check_due_on, alert_id`+tail, args,
		func(rs *sql.Rows) error {
			var a Alert
			if err := rs.Scan(&a.ID, &a.Meter, &a.Township, &a.Village, &a.Type, &a.Rule, &a.FirstDay, &a.LastDay, &a.Score, &a.Result,
				&a.CheckedOn, &a.DueOn, &a.Late, &a.CutOrdered, &a.CutDone); err != nil {
				return err
			}
			out = append(out, a)
			return nil
		})
	return out, err
}

// MeterNow is a meter of the register as it stands now.
type MeterNow struct{ ID, Account, Type, Township, Village, Address string }

// MeterByID reads a meter of the register (int_meters_now); ok is false when the register was not
// loaded or holds no such meter.
func MeterByID(ctx context.Context, db *warehouse.DB, id string) (m MeterNow, ok bool, err error) {
	if ok, err := HasTable(ctx, db, "int_meters_now"); err != nil || !ok {
		return m, false, err
	}
	err = db.QueryRowContext(ctx, `SELECT meter_id, coalesce(account, ''), customer_type, township, coalesce(village, ''), coalesce(address, '')
		FROM int_meters_now WHERE meter_id = ?`, id).
		Scan(&m.ID, &m.Account, &m.Type, &m.Township, &m.Village, &m.Address)
	if errors.Is(err, sql.ErrNoRows) {
		return m, false, nil
	}
	return m, err == nil, err
}

// Cutoff is one cut-off entry of a meter: its kind (ordered, done), day, violation, who entered it,
// when (YYYY-MM-DD HH:MM) and its note.
type Cutoff struct{ Kind, On, Violation, By, At, Note string }

// MeterCutoffs are a meter's cut-off entries in the order they were entered (stg_power__cutoffs).
func MeterCutoffs(ctx context.Context, db *warehouse.DB, meter string) ([]Cutoff, error) {
	var cuts []Cutoff
	err := warehouse.EachRow(ctx, db, `SELECT kind, strftime(cutoff_on, '%Y-%m-%d'), coalesce(violation, ''), entered_by,
		strftime(known_from, '%Y-%m-%d %H:%M'), coalesce(note, '') FROM stg_power__cutoffs WHERE meter_id = ? ORDER BY known_from`, []any{meter},
		func(rs *sql.Rows) error {
			var x Cutoff
			if err := rs.Scan(&x.Kind, &x.On, &x.Violation, &x.By, &x.At, &x.Note); err != nil {
				return err
			}
			cuts = append(cuts, x)
			return nil
		})
	return cuts, err
}
