package batch

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"landwatch/etl/read"
)

// Arrival stamps. Every batch records received_at, the moment its file reached the county, as the
// campaign's local wall-clock time (stored in a TIMESTAMP without zone). The time a file arrived is
// a fact and the dates written in it are claims: a file cannot state an event that happened after
// it arrived, so a stamp earlier than any event date in the file is refused, as is a stamp in the
// future. queries/README.md ("As known then") says how the models use the stamps.

// ParseReceived reads an arrival stamp given by hand: YYYY-MM-DD (the end of that day) or
// YYYY-MM-DDTHH:MM (also with a space, or seconds), in the campaign's time zone loc.
func ParseReceived(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		return t.Add(24*time.Hour - time.Second), nil
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02 15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("送达时间“%s”应写作 YYYY-MM-DD 或 YYYY-MM-DDTHH:MM", s)
}

// wall returns t as the campaign's local wall clock in a zone-less time (UTC location), the form
// received_at is stored in.
func wall(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC)
}

// Arrival is the stamp of one load, resolved from the options.
type Arrival struct {
	At      time.Time // local wall clock, zone-less
	GivenBy string    // who gave a hand stamp; "" for the clock
}

func (a Arrival) String() string { return a.At.Format("2006-01-02 15:04") }

// Day is the calendar day of the stamp.
func (a Arrival) Day() time.Time {
	return time.Date(a.At.Year(), a.At.Month(), a.At.Day(), 0, 0, 0, 0, time.UTC)
}

// ResolveArrival turns the options into the load's stamp: the clock, or a hand stamp that must not
// lie in the future.
func ResolveArrival(opt Options, loc *time.Location) (Arrival, error) {
	now := time.Now()
	if opt.Now != nil {
		now = opt.Now()
	}
	if opt.ReceivedAt.IsZero() {
		return Arrival{At: wall(now, loc)}, nil
	}
	a := Arrival{At: wall(opt.ReceivedAt, loc), GivenBy: opt.ReceivedBy}
	if a.GivenBy == "" {
		a.GivenBy = opt.LoadedBy
	}
	if a.At.After(wall(now, loc)) {
		return a, fmt.Errorf("送达时间 %s 晚于现在，不能预填", a)
	}
	return a, nil
}

// CheckReplace refuses a corrected form stamped earlier than the form it replaces.
func CheckReplace(ctx context.Context, q Querier, p *read.Problems, replaces int64, a Arrival) error {
	if replaces == 0 {
		return nil
	}
	var prev sql.NullTime
	err := q.QueryRowContext(ctx, `SELECT received_at FROM load_batches WHERE batch_id = ?`, replaces).Scan(&prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("读取导入批次 %d：%w", replaces, err)
	}
	if prev.Valid && a.At.Before(prev.Time) {
		p.Add(0, "", "", fmt.Sprintf("更正表的送达时间 %s 早于被更正的批次%d（%s送达）", a, replaces, prev.Time.Format("2006-01-02 15:04")))
	}
	return nil
}

// CheckFrozen refuses a file stamped on or before a frozen date: the figures of that date are
// final (queries/README.md "Freezing a date").
func CheckFrozen(ctx context.Context, q Querier, p *read.Problems, a Arrival) error {
	var day, at sql.NullTime
	err := q.QueryRowContext(ctx, `SELECT as_of, frozen_at FROM freezes WHERE as_of >= ? ORDER BY as_of DESC LIMIT 1`, a.Day()).Scan(&day, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("读取锁定记录：%w", err)
	}
	p.Add(0, "", "", fmt.Sprintf("%s 已锁定（%s 锁定），送达时间 %s 不晚于锁定日期的文件不能再导入",
		day.Time.Format("2006-01-02"), at.Time.Format("2006-01-02 15:04"), a))
	return nil
}
