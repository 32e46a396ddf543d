package main

import (
	"context"
	"time"

	"landwatch/queries"
	"landwatch/reports"
	"landwatch/warehouse"
)

// startBriefings starts the weekly briefing schedule of `serve` (reports.briefing_weekday and
// briefing_time of the campaign configuration, in the county's time zone): the marts are built as
// of the Sunday before, the briefing is written into the briefings folder next to the warehouse,
// and the marts are rebuilt as of the date they stood at before. The returned channel closes when
// ctx ends and the scheduler has stopped.
func startBriefings(ctx context.Context, a *app, db *warehouse.DB) (<-chan struct{}, error) {
	return reports.StartScheduler(ctx, db, reports.SchedulerOptions{
		Dir: reports.BriefingsDir(db.Path),
		Build: func(ctx context.Context, asOf time.Time) error {
			_, err := queries.Run(ctx, db, queries.RunOptions{AsOf: asOf})
			return err
		},
		Log: a.log,
	})
}
