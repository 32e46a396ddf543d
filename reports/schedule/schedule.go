// Package schedule writes the weekly briefing on the configured weekday and time
// (reports.briefing_weekday and briefing_time of the campaign configuration) into the briefings
// folder while `landwatch serve` runs, catching up a missed one at start; the briefing itself is
// reports.WriteBriefing.
package schedule

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"landwatch/campaign"
	"landwatch/queries"
	"landwatch/reports"
	"landwatch/warehouse"
)

// Schedule is when the weekly briefing is written: a weekday and a time of day in a zone.
type Schedule struct {
	Weekday time.Weekday
	Hour    int
	Minute  int
	Loc     *time.Location
}

// ParseSchedule reads cfg.Reports.BriefingWeekday ("Monday" or 周一) and BriefingTime ("08:00")
// in the county's time zone.
func ParseSchedule(cfg *campaign.Config) (Schedule, error) {
	var s Schedule
	loc, err := time.LoadLocation(cfg.County.Timezone)
	if err != nil {
		return s, fmt.Errorf("county.timezone %q: %w", cfg.County.Timezone, err)
	}
	s.Loc = loc
	wd := strings.TrimSpace(cfg.Reports.BriefingWeekday)
	found := false
	zh := []string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}
	for d := time.Sunday; d <= time.Saturday; d++ {
		if strings.EqualFold(wd, d.String()) || strings.EqualFold(wd, d.String()[:3]) || wd == zh[d] || wd == "星期"+zh[d][len("周"):] {
			s.Weekday, found = d, true
		}
	}
	if !found {
		return s, fmt.Errorf("reports.briefing_weekday %q 不是星期名称（应为 周一 … 周日，或 Monday … Sunday）", wd)
	}
	t, err := time.Parse("15:04", strings.TrimSpace(cfg.Reports.BriefingTime))
	if err != nil {
		return s, fmt.Errorf("reports.briefing_time %q is not HH:MM", cfg.Reports.BriefingTime)
	}
	s.Hour, s.Minute = t.Hour(), t.Minute()
	return s, nil
}

// Next returns the first scheduled time strictly after t.
func (s Schedule) Next(t time.Time) time.Time {
	lt := t.In(s.Loc)
	d := time.Date(lt.Year(), lt.Month(), lt.Day(), s.Hour, s.Minute, 0, 0, s.Loc)
	for d.Weekday() != s.Weekday || !d.After(lt) {
		d = time.Date(d.Year(), d.Month(), d.Day()+1, s.Hour, s.Minute, 0, 0, s.Loc)
	}
	return d
}

// Last returns the latest scheduled time at or before t.
func (s Schedule) Last(t time.Time) time.Time {
	n := s.Next(t)
	p := time.Date(n.Year(), n.Month(), n.Day()-7, s.Hour, s.Minute, 0, 0, s.Loc)
	return p
}

// AsOfFor is the as-of date of the briefing written at run time: the day before, in the county's
// zone (for a Monday run, the Sunday that ends the ISO week).
func (s Schedule) AsOfFor(run time.Time) time.Time {
	lt := run.In(s.Loc)
	return time.Date(lt.Year(), lt.Month(), lt.Day()-1, 0, 0, 0, 0, time.UTC)
}

// SchedulerOptions configure StartScheduler.
type SchedulerOptions struct {
	// Dir is the briefings folder.
	Dir string
	// Build, when set, rebuilds the marts as of a date before the briefing is written (serve
	// passes the models' run). Without it the marts must already be built as of that date.
	Build func(ctx context.Context, asOf time.Time) error
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Log receives what the scheduler did (slog.Default when nil).
	Log *slog.Logger
}

// StartScheduler starts writing the weekly briefing on the configured weekday and time into
// o.Dir, until ctx is cancelled. When the briefing of the last scheduled time is missing (the
// server was down), it is written at once. The returned channel is closed when the scheduler
// has stopped.
func StartScheduler(ctx context.Context, db *warehouse.DB, o SchedulerOptions) (<-chan struct{}, error) {
	cfg, err := db.Config(ctx)
	if err != nil {
		return nil, err
	}
	sched, err := ParseSchedule(cfg)
	if err != nil {
		return nil, err
	}
	if o.Dir == "" {
		return nil, errors.New("scheduler: no briefings folder")
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		last := sched.Last(o.Now())
		if !hasBriefing(ctx, db, sched.AsOfFor(last)) {
			runOnce(ctx, db, cfg, sched, last, o)
		}
		after := o.Now()
		for {
			next := sched.Next(after)
			o.Log.Info("下次生成工作周报", "时间", next.Format("2006-01-02 15:04"), "截至", sched.AsOfFor(next).Format(time.DateOnly))
			timer := time.NewTimer(next.Sub(o.Now()))
			select {
			case <-ctx.Done():
				timer.Stop()
				return
			case <-timer.C:
			}
			runOnce(ctx, db, cfg, sched, next, o)
			after = next // never the same run twice, whatever the clock says
			if now := o.Now(); now.After(after) {
				after = now
			}
		}
	}()
	return done, nil
}

func hasBriefing(ctx context.Context, db *warehouse.DB, asOf time.Time) bool {
	var n int
	err := db.QueryRowContext(ctx, `SELECT count(*) FROM briefings WHERE as_of = ?`, asOf).Scan(&n)
	return err == nil && n > 0
}

// runOnce writes the briefing due at run; outside the campaign it does nothing.
func runOnce(ctx context.Context, db *warehouse.DB, cfg *campaign.Config, s Schedule, run time.Time, o SchedulerOptions) {
	asOf := s.AsOfFor(run)
	if asOf.Before(cfg.Start()) || asOf.After(cfg.End().AddDate(0, 0, 7)) {
		o.Log.Info("不在专项行动期间，本周不生成工作周报", "截至", asOf.Format(time.DateOnly))
		return
	}
	prev, prevErr := queries.LatestAsOf(ctx, db)
	rebuilt := false
	if o.Build != nil && (prevErr != nil || !prev.Equal(asOf)) {
		if err := o.Build(ctx, asOf); err != nil {
			o.Log.Error("工作周报：更新统计失败", "截至", asOf.Format(time.DateOnly), "错误", err)
			return
		}
		rebuilt = true
	}
	path, err := reports.WriteBriefing(ctx, db, o.Dir, asOf, "scheduler")
	if err != nil {
		o.Log.Error("工作周报生成失败", "截至", asOf.Format(time.DateOnly), "错误", err)
	} else {
		o.Log.Info("已生成工作周报", "截至", asOf.Format(time.DateOnly), "文件", path)
	}
	// Leave the marts as of the date the office last built them, so the console does not change
	// under its users. A shutdown that arrives meanwhile waits for this restore: an interrupted
	// one would leave the console on the briefing's date.
	if rebuilt && prevErr == nil {
		if err := o.Build(context.WithoutCancel(ctx), prev); err != nil {
			o.Log.Error("工作周报：恢复原截至日期的模型失败", "截至", prev.Format(time.DateOnly), "错误", err)
		}
	}
}
