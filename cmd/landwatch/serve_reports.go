package main

import (
	"context"
	"time"

	"landwatch/queries"
	"landwatch/reports"
	"landwatch/reports/schedule"
	"landwatch/store/notify"
	"landwatch/warehouse"
)

// startBriefings starts the weekly briefing schedule of `serve` (reports.briefing_weekday and
// briefing_time of the campaign configuration, in the county's time zone): the marts are built as
// of the Sunday before, the briefing is written into the briefings folder next to the warehouse,
// and the marts are rebuilt as of the date they stood at before. The returned channel closes when
// ctx ends and the scheduler has stopped.
func startBriefings(ctx context.Context, a *app, db *warehouse.DB) (<-chan struct{}, error) {
	return schedule.StartScheduler(ctx, db, schedule.SchedulerOptions{
		Dir: reports.BriefingsDir(db.Path),
		Build: func(ctx context.Context, asOf time.Time) error {
			_, err := queries.Run(ctx, db, queries.RunOptions{AsOf: asOf, Serving: true})
			return err
		},
		Log: a.log,
	})
}

// sweepAt is the local hour of the daily overdue check of `serve`.
const sweepAt = 7

// startNoticeSweep runs the overdue check (notify.Sweep) when `serve` starts and then every day at
// sweepAt in the county's time zone, until ctx ends; the returned channel closes when it has
// stopped. A failed check is logged and tried again the next day.
func startNoticeSweep(ctx context.Context, a *app, db *warehouse.DB) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			cfg, err := db.Config(ctx)
			if ctx.Err() != nil {
				return // serve is stopping: not a failure of the check
			}
			if err != nil {
				a.log.Error("逾期检查：读取配置失败", "错误", err)
				return
			}
			loc, now := cfg.Location(), time.Now()
			if n, err := notify.Sweep(ctx, db, cfg, warehouse.LocalDay(loc, now), warehouse.LocalTimestamp(loc, now)); ctx.Err() != nil {
				return
			} else if err != nil {
				a.log.Error("逾期检查失败", "错误", err)
			} else if n > 0 {
				a.log.Info("逾期检查", "新发通知", n)
			}
			local := now.In(loc)
			next := time.Date(local.Year(), local.Month(), local.Day(), sweepAt, 0, 0, 0, loc)
			if !next.After(local) {
				next = next.AddDate(0, 0, 1)
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Until(next)):
			}
		}
	}()
	return done
}
