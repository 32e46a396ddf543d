// Package powerstore owns the power company's work on the console and the command line: field
// checks of power alerts entered by hand (power_check_entries; the power-checks file keeps loading)
// and 终止供电 — the office orders a cut-off for a meter tied to a verified violation, the power
// company confirms the day supply ended (power_cutoffs). Every entry is append-only and in the audit
// chain; it is known from when it was made: the clock, or the end of a day given by hand (audited
// with who gave it). The models read the entries (stg_power__cutoffs, stg_power__checks) and the
// rule supply_after_cutoff fires on any consumption after a confirmed day (queries/README.md).
package powerstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"landwatch/audit"
	"landwatch/store/fieldcheck"
	"landwatch/warehouse"
)

// ErrInvalid marks a refused entry (the message says why, in Chinese).
var ErrInvalid = errors.New("未保存")

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w：%s", ErrInvalid, fmt.Sprintf(format, args...))
}

// CheckResults are the results of a field check (the power-checks file's 核查结果).
var CheckResults = []string{"非法采矿", "正常", "其他"}

// Cutoff is a recorded cut-off order or confirmation.
type Cutoff struct {
	Meter, Kind, Violation, Note, By string
	On, RecordedAt                   time.Time
	GivenBy                          string
}

// CutoffInput is an order (Kind "ordered": On is the order's date) or a confirmation (Kind "done":
// On is the day supply ended). RecordedOn, when set, is the day the entry was in fact made (on
// paper), recorded as the end of that day with GivenBy; not before On, not in the future.
type CutoffInput struct {
	Meter, Kind, Note string
	On, RecordedOn    time.Time
	Now               time.Time // the clock (zero: time.Now())
}

// RecordCutoff validates and appends a cut-off entry, then audits it (power.cutoff_ordered,
// power.cutoff_done). An order needs a meter with an alert whose field check found 非法采矿 as of the
// last models run (the verified violation is recorded with it); a confirmation needs an order of
// the meter made before, and a day not before the order's.
func RecordCutoff(ctx context.Context, db *warehouse.DB, au audit.Auditor, actor string, in CutoffInput) (*Cutoff, error) {
	cfg, err := db.Config(ctx)
	if err != nil {
		return nil, err
	}
	now := in.Now
	if now.IsZero() {
		now = time.Now()
	}
	loc := cfg.Location()
	today := warehouse.LocalDay(loc, now)
	in.Meter, in.Note = strings.TrimSpace(in.Meter), strings.TrimSpace(in.Note)
	on := warehouse.DateOnly(in.On)
	switch {
	case in.Meter == "":
		return nil, invalid("没有填写户号")
	case in.Kind != "ordered" && in.Kind != "done":
		return nil, fmt.Errorf("unknown cut-off kind %q", in.Kind)
	case in.On.IsZero():
		return nil, invalid("没有填写日期")
	case on.After(today):
		return nil, invalid("日期 %s 晚于今天，不能预填", on.Format(time.DateOnly))
	case len([]rune(in.Note)) > 2000:
		return nil, invalid("说明最多 2000 字")
	}
	c := &Cutoff{Meter: in.Meter, Kind: in.Kind, On: on, Note: in.Note, By: actor}
	c.RecordedAt = warehouse.LocalTimestamp(loc, now)
	if !in.RecordedOn.IsZero() {
		rd := warehouse.DateOnly(in.RecordedOn)
		switch {
		case rd.After(today):
			return nil, invalid("补录日期 %s 晚于今天", rd.Format(time.DateOnly))
		case rd.Before(on):
			return nil, invalid("补录日期 %s 早于记录所载日期 %s", rd.Format(time.DateOnly), on.Format(time.DateOnly))
		}
		c.RecordedAt, c.GivenBy = rd.Add(24*time.Hour-time.Second), actor
	}
	if err := check(ctx, db, c); err != nil {
		return nil, err
	}
	err = db.InTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO power_cutoffs VALUES (?, ?, ?, NULLIF(?, ''), NULLIF(?, ''), ?, ?, NULLIF(?, ''))`,
			c.Meter, c.Kind, c.On, c.Violation, c.Note, actor, c.RecordedAt, c.GivenBy)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("record cut-off of %s: %w", c.Meter, err)
	}
	action := "power.cutoff_ordered"
	if c.Kind == "done" {
		action = "power.cutoff_done"
	}
	if err := au.Audit(ctx, actor, action, c.Meter, map[string]any{"cutoff_on": c.On.Format(time.DateOnly),
		"violation": c.Violation, "note": c.Note, "recorded_at": c.RecordedAt.Format("2006-01-02 15:04:05"), "backdated": c.GivenBy != "",
		"bound": audit.Bind("power_cutoffs", c.Meter, c.Kind, c.RecordedAt)}); err != nil {
		return c, fmt.Errorf("audit cut-off of %s: %w", c.Meter, err)
	}
	return c, nil
}

// check finds what an entry rests on: for an order the meter's verified violation, for a
// confirmation the order.
func check(ctx context.Context, db *warehouse.DB, c *Cutoff) error {
	if c.Kind == "ordered" {
		if ok, err := built(ctx, db, "mart_power_alerts"); err != nil {
			return err
		} else if !ok {
			return invalid("尚未更新统计，无法确认户号 %s 有经核查属实的违法用电", c.Meter)
		}
		err := db.QueryRowContext(ctx, `SELECT coalesce(m.violation_id, a.alert_id) FROM mart_power_alerts a
			LEFT JOIN int_violation_members m ON m.record_id = a.alert_id AND m.as_of = (SELECT as_of FROM stg_config__parameters)
			WHERE a.meter_id = ? AND a.check_result = '非法采矿' ORDER BY a.first_day DESC LIMIT 1`, c.Meter).Scan(&c.Violation)
		if errors.Is(err, sql.ErrNoRows) {
			return invalid("户号 %s 没有经现场核查为非法采矿的用电预警，不能下达终止供电", c.Meter)
		}
		if err != nil {
			return fmt.Errorf("violation of meter %s: %w", c.Meter, err)
		}
		return nil
	}
	var ordered sql.NullTime
	var recorded sql.NullTime
	if err := db.QueryRowContext(ctx, `SELECT max(cutoff_on), min(recorded_at) FROM power_cutoffs WHERE meter_id = ? AND kind = 'ordered'`,
		c.Meter).Scan(&ordered, &recorded); err != nil {
		return fmt.Errorf("orders of meter %s: %w", c.Meter, err)
	}
	switch {
	case !ordered.Valid:
		return invalid("户号 %s 尚无终止供电指令，不能确认", c.Meter)
	case c.On.Before(warehouse.DateOnly(ordered.Time)):
		return invalid("终止供电日期 %s 早于指令日期 %s", c.On.Format(time.DateOnly), ordered.Time.Format(time.DateOnly))
	case c.RecordedAt.Before(recorded.Time):
		return invalid("补录时间 %s 早于指令的记录时间 %s", c.RecordedAt.Format("2006-01-02 15:04"), recorded.Time.Format("2006-01-02 15:04"))
	}
	return nil
}

// CheckInput is a field check of an alert entered on the console.
type CheckInput struct {
	Meter, AlertID, Result, Note, Unit string
	On                                 time.Time
	Now                                time.Time
}

// RecordCheck appends a field check entered by the power company or the township (unit: its name);
// audited (power.check). The alert must be one of the meter's alerts as of the last models run; the
// check day not before the alert's first day nor in the future.
func RecordCheck(ctx context.Context, db *warehouse.DB, au audit.Auditor, actor string, in CheckInput) error {
	cfg, err := db.Config(ctx)
	if err != nil {
		return err
	}
	now := in.Now
	if now.IsZero() {
		now = time.Now()
	}
	today := warehouse.LocalDay(cfg.Location(), now)
	in.Result, in.Note = strings.TrimSpace(in.Result), strings.TrimSpace(in.Note)
	var meter string
	var first time.Time
	if ok, err := built(ctx, db, "mart_power_alerts"); err != nil {
		return err
	} else if !ok {
		return invalid("尚未更新统计，没有用电预警")
	}
	err = db.QueryRowContext(ctx, `SELECT meter_id, first_day FROM mart_power_alerts WHERE alert_id = ?`, in.AlertID).Scan(&meter, &first)
	if errors.Is(err, sql.ErrNoRows) {
		return invalid("没有预警 %s", in.AlertID)
	}
	if err != nil {
		return fmt.Errorf("alert %s: %w", in.AlertID, err)
	}
	if msg := (fieldcheck.Check{Result: in.Result, Results: CheckResults, Cleared: "正常", On: in.On, First: first,
		Since: "预警首日", Note: in.Note}).Problem(today); msg != "" {
		return invalid("%s", msg)
	}
	on := warehouse.DateOnly(in.On)
	at := warehouse.LocalTimestamp(cfg.Location(), now)
	err = db.InTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO power_check_entries VALUES (?, ?, ?, ?, NULLIF(?, ''), ?, ?, ?)`,
			meter, in.AlertID, on, in.Result, in.Note, actor, in.Unit, at)
		return err
	})
	if err != nil {
		return fmt.Errorf("record check of %s: %w", in.AlertID, err)
	}
	return au.Audit(ctx, actor, "power.check", in.AlertID, map[string]any{"meter": meter, "checked_on": on.Format(time.DateOnly),
		"result": in.Result, "unit": in.Unit, "note": in.Note})
}

func built(ctx context.Context, db *warehouse.DB, model string) (bool, error) {
	var n int
	err := db.QueryRowContext(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_name = ?`, model).Scan(&n)
	return n > 0, err
}
