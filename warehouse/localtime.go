package warehouse

import "time"

// The warehouse's TIMESTAMP and DATE columns hold the county's wall clock, without a zone.

// LocalTimestamp is t on the county's wall clock (loc) as a naive timestamp.
func LocalTimestamp(loc *time.Location, t time.Time) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), l.Nanosecond(), time.UTC)
}

// LocalDay is the county's calendar day at t, as a naive date.
func LocalDay(loc *time.Location, t time.Time) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC)
}
