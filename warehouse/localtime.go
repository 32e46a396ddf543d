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

// DateOnly is the calendar day of a naive time (a DATE or TIMESTAMP column's value, a parsed
// date): its midnight, zone UTC like every date the warehouse hands out. The one day-truncation
// helper of the packages that read and write the warehouse.
func DateOnly(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}
