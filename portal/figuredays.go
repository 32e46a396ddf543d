package portal

import (
	"context"
	"fmt"
	"time"

	"landwatch/portal/view"
	"landwatch/queries"
	"landwatch/queries/read"
)

// figureDay is the day a page of figure (the mart it shows) opens on when no day is asked for:
// default_as_of of mart_figure_days (queries/marts/mart_figure_days.sql), the last models-run as-of
// that has data for the figure, the last run's as-of, and the words the date field shows beside
// them. Zero and no words when that mart is not built (a warehouse whose models predate it) or does
// not list the figure: the page shows the last run, as before.
func (s *Server) figureDay(ctx context.Context, q queries.Querier, figure string) (day, run time.Time, note string) {
	day, run, ok := read.FigureDay(ctx, q, figure)
	if !ok {
		return time.Time{}, time.Time{}, ""
	}
	note = "默认：有数据的最近一天 " + day.Format(time.DateOnly)
	if day.Before(run) {
		note += fmt.Sprintf("（此后没有新送达的数据；最近一次更新统计截至 %s）", run.Format(time.DateOnly))
	}
	return day, run, note
}

// defaultDay fills in the day of a mart page asked for without one: the figure's day
// (figureDay) when it is earlier than the last run, which the page shows otherwise; it returns the
// words for the date field ("" when a day was asked for or the figure is not listed).
func (s *Server) defaultDay(ctx context.Context, mv martView, mq *view.Query) string {
	if !mq.Day.IsZero() {
		return ""
	}
	day, run, note := s.figureDay(ctx, s.db, mv.mart)
	if day.Before(run) {
		mq.Day = day
	}
	return note
}
