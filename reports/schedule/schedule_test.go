package schedule

import (
	"testing"
	"time"

	"landwatch/campaign"
)

func TestScheduleNext(t *testing.T) {
	cfg := campaign.Default()
	s, err := ParseSchedule(cfg)
	if err != nil {
		t.Fatal(err)
	}
	sh := s.Loc
	cases := []struct{ now, next time.Time }{
		// Sunday evening in Shanghai → Monday 08:00.
		{time.Date(2023, 4, 16, 20, 0, 0, 0, sh), time.Date(2023, 4, 17, 8, 0, 0, 0, sh)},
		// Monday 08:00 exactly → the next Monday.
		{time.Date(2023, 4, 17, 8, 0, 0, 0, sh), time.Date(2023, 4, 24, 8, 0, 0, 0, sh)},
		// Monday 07:59 → the same morning.
		{time.Date(2023, 4, 17, 7, 59, 0, 0, sh), time.Date(2023, 4, 17, 8, 0, 0, 0, sh)},
		// Monday 01:00 UTC is already 09:00 in Shanghai → the next Monday.
		{time.Date(2023, 4, 17, 1, 0, 0, 0, time.UTC), time.Date(2023, 4, 24, 8, 0, 0, 0, sh)},
	}
	for _, c := range cases {
		if got := s.Next(c.now); !got.Equal(c.next) {
			t.Errorf("Next(%v) = %v, want %v", c.now, got, c.next)
		}
	}
	run := time.Date(2023, 4, 17, 8, 0, 0, 0, sh)
	if got := s.AsOfFor(run); !got.Equal(time.Date(2023, 4, 16, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("AsOfFor(%v) = %v, want the Sunday 2023-04-16", run, got)
	}
	if got := s.Last(time.Date(2023, 4, 20, 0, 0, 0, 0, sh)); !got.Equal(run) {
		t.Errorf("Last = %v, want %v", got, run)
	}
	cfg.Reports.BriefingWeekday = "周三"
	cfg.Reports.BriefingTime = "17:30"
	if s, err = ParseSchedule(cfg); err != nil || s.Weekday != time.Wednesday || s.Hour != 17 || s.Minute != 30 {
		t.Errorf("周三 17:30: %+v %v", s, err)
	}
	cfg.Reports.BriefingWeekday = "Someday"
	if _, err := ParseSchedule(cfg); err == nil {
		t.Error("bad weekday accepted")
	}
}
