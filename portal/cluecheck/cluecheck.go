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
	"slices"
	"strings"
	"time"

	"landwatch/audit"
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
var source = map[string]struct{ mart, id, day, action string }{
	Explosives: {"mart_explosives_flows", "flow_id", "drawn_on", "explosives.check"},
	Video:      {"mart_video_events", "event_id", "seen_on", "video.check"},
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
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_name = ?`, src.mart).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
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
	on := day(in.On)
	switch {
	case !slices.Contains(Results, in.Result):
		return invalid("核查结果应为 %s，不是“%s”", strings.Join(Results, "、"), in.Result)
	case in.On.IsZero():
		return invalid("没有填写核查日期")
	case on.After(today):
		return invalid("核查日期 %s 晚于今天", on.Format(time.DateOnly))
	case on.Before(day(first)):
		return invalid("核查日期 %s 早于线索日期 %s", on.Format(time.DateOnly), first.Format(time.DateOnly))
	case in.Result != "不属实" && in.Note == "":
		return invalid("核查结论需要写明依据")
	case len([]rune(in.Note)) > 2000:
		return invalid("说明最多 2000 字")
	}
	at := warehouse.LocalTimestamp(cfg.Location(), now)
	err = db.InTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO clue_check_entries VALUES (?, ?, ?, ?, NULLIF(?, ''), ?, NULLIF(?, ''), ?)`,
			in.Channel, in.ID, on, in.Result, in.Note, actor, in.Unit, at)
		return err
	})
	if err != nil {
		return fmt.Errorf("record check of %s: %w", in.ID, err)
	}
	return au.Audit(ctx, actor, src.action, in.ID, map[string]any{"channel": in.Channel, "checked_on": on.Format(time.DateOnly),
		"result": in.Result, "unit": in.Unit, "note": in.Note})
}

func day(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }
