// Package cluecheck owns the field checks of the clues of two channels entered on the console: a
// flow of civil explosives (民爆流向, checked by the police unit, explosives.police_unit) and a camera
// event (视频监控, checked by its township). A check is appended to clue_check_entries and audited
// (explosives.check, video.check); it is known from when it was entered. The models read it
// (queries/staging/stg_channel__checks.sql): the latest check dated on or before a day counts, and
// a clue checked 属实 is a violation merged with the other channels (queries/README.md).
package cluecheck

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

// The two channels.
const (
	Explosives = "民爆流向"
	Video      = "视频监控"
)

// Results are the results of a field check.
var Results = []string{"属实", "不属实", "无法核实"}

// ErrInvalid marks a refused entry (the message says why, in Chinese).
var ErrInvalid = errors.New("未保存")

// ErrNotFound: no such clue (or not one the account may check).
var ErrNotFound = errors.New("没有这条线索")

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w：%s", ErrInvalid, fmt.Sprintf(format, args...))
}

// Input is one check entered on the console. Township, when set, is the only township whose clue
// the account may check (a township account's scope).
type Input struct {
	Channel, ID, Result, Note, Unit, Township string
	On                                        time.Time
	Now                                       time.Time // the clock (zero: time.Now())
}

// source is where a channel's clues are listed, as of the last models run.
var source = map[string]struct{ mart, id, day string }{
	Explosives: {"mart_explosives_flows", "flow_id", "drawn_on"},
	Video:      {"mart_video_events", "event_id", "seen_on"},
}

// Record validates and appends a check, then audits it. The clue must be one of the channel's clues
// as of the last models run (is_clue), in Township when given; the check's day not before the
// flow's 领用日期 or the event's day, not in the future; a result other than 不属实 needs a note.
func Record(ctx context.Context, db *warehouse.DB, au audit.Auditor, actor string, in Input) error {
	src, ok := source[in.Channel]
	if !ok {
		return fmt.Errorf("unknown channel %q", in.Channel)
	}
	cfg, err := db.Config(ctx)
	if err != nil {
		return err
	}
	now := in.Now
	if now.IsZero() {
		now = time.Now()
	}
	today := warehouse.LocalDay(cfg.Location(), now)
	in.ID, in.Result, in.Note = strings.TrimSpace(in.ID), strings.TrimSpace(in.Result), strings.TrimSpace(in.Note)
	if ok, err := built(ctx, db, src.mart); err != nil {
		return err
	} else if !ok {
		return invalid("尚未运行模型，没有%s线索", in.Channel)
	}
	var first time.Time
	var town string
	err = db.QueryRowContext(ctx, fmt.Sprintf(`SELECT %s, township FROM %s WHERE %s = ? AND is_clue`, src.day, src.mart, src.id), in.ID).
		Scan(&first, &town)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && in.Township != "" && town != in.Township) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("clue %s: %w", in.ID, err)
	}
	if msg := (fieldcheck.Check{Result: in.Result, Results: Results, Cleared: "不属实", On: in.On, First: first,
		Since: "线索日期", Note: in.Note}).Problem(today); msg != "" {
		return invalid("%s", msg)
	}
	on := warehouse.DateOnly(in.On)
	at := warehouse.LocalTimestamp(cfg.Location(), now)
	err = db.InTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO clue_check_entries VALUES (?, ?, ?, ?, NULLIF(?, ''), ?, NULLIF(?, ''), ?)`,
			in.Channel, in.ID, on, in.Result, in.Note, actor, in.Unit, at)
		return err
	})
	if err != nil {
		return fmt.Errorf("record check of %s: %w", in.ID, err)
	}
	detail := map[string]any{"channel": in.Channel, "checked_on": on.Format(time.DateOnly), "result": in.Result, "unit": in.Unit, "note": in.Note}
	if in.Channel == Video {
		return au.Audit(ctx, actor, "video.check", in.ID, detail)
	}
	return au.Audit(ctx, actor, "explosives.check", in.ID, detail)
}

// Row is one clue of a channel's list as of the last models run: what is owed first (State, with
// the deadline or the check), then the clue.
type Row struct {
	ID, DueOn, Reasons, Township, Village, Place, What, Day, Who, Result, CheckedOn string
	Late                                                                            bool
}

// State is what is owed: 已核查：<result>, 逾期未核查 or 待核查.
func (r Row) State() string {
	switch {
	case r.Result != "":
		return "已核查：" + r.Result
	case r.Late:
		return "逾期未核查"
	}
	return "待核查"
}

var listSQL = map[string]string{
	Explosives: `SELECT flow_id, strftime(check_due_on, '%Y-%m-%d'), check_late, reasons, township, coalesce(village, ''), site,
	item || ' ' || CAST(CAST(net AS DOUBLE) AS VARCHAR) || coalesce(unit, ''), strftime(drawn_on, '%Y-%m-%d'), buyer || '（' || licence_id || '）',
	coalesce(check_result, ''), coalesce(strftime(checked_on, '%Y-%m-%d'), '')
	FROM mart_explosives_flows WHERE is_clue`,
	Video: `SELECT event_id, strftime(check_due_on, '%Y-%m-%d'), check_late, reasons, township, coalesce(village, ''),
	camera_id, event_type || coalesce('：' || note, ''), strftime(seen_at, '%Y-%m-%d %H:%M'), '',
	coalesce(check_result, ''), coalesce(strftime(checked_on, '%Y-%m-%d'), '')
	FROM mart_video_events WHERE is_clue`,
}

// List reads a channel's clues as of the last models run (in township when given), unchecked
// first, by deadline; reasons as the mart's comma-joined codes. Before any run: none.
func List(ctx context.Context, db *warehouse.DB, channel, township string) ([]Row, error) {
	src, ok := source[channel]
	if !ok {
		return nil, fmt.Errorf("unknown channel %q", channel)
	}
	if ok, err := built(ctx, db, src.mart); err != nil || !ok {
		return nil, err
	}
	q, args := listSQL[channel], []any{}
	if township != "" {
		q += ` AND township = ?`
		args = append(args, township)
	}
	var out []Row
	err := warehouse.EachRow(ctx, db, q+` ORDER BY check_result IS NOT NULL, check_due_on, 1 LIMIT 5000`, args, func(rs *sql.Rows) error {
		var r Row
		if err := rs.Scan(&r.ID, &r.DueOn, &r.Late, &r.Reasons, &r.Township, &r.Village, &r.Place, &r.What, &r.Day, &r.Who,
			&r.Result, &r.CheckedOn); err != nil {
			return err
		}
		out = append(out, r)
		return nil
	})
	return out, err
}

// Screenshot is a camera event's screenshot as the loader kept it (stripped of its metadata);
// ErrNotFound when there is none, or the event lies outside township (when given).
func Screenshot(ctx context.Context, db *warehouse.DB, id, township string) (mime string, data []byte, err error) {
	for _, m := range []string{"mart_video_events", "stg_video__screenshots"} {
		if ok, err := built(ctx, db, m); err != nil {
			return "", nil, err
		} else if !ok {
			return "", nil, ErrNotFound
		}
	}
	var town string
	err = db.QueryRowContext(ctx, `SELECT e.township, s.mime, s.data FROM mart_video_events e
		JOIN stg_video__screenshots s ON s.event_id = e.event_id AND s.sha256 = e.screenshot_sha256
		WHERE e.event_id = ? LIMIT 1`, id).Scan(&town, &mime, &data)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && township != "" && town != township) {
		return "", nil, ErrNotFound
	}
	return mime, data, err
}

func built(ctx context.Context, db *warehouse.DB, model string) (bool, error) {
	var n int
	err := db.QueryRowContext(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_name = ?`, model).Scan(&n)
	return n > 0, err
}
