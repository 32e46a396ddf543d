package reports

import (
	"context"
	"os"
	"path/filepath"
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
	if got := s.AsOfFor(run); !got.Equal(fixtureAsOf) {
		t.Errorf("AsOfFor(%v) = %v, want the Sunday %v", run, got, fixtureAsOf)
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

// TestSchedulerCatchesUp starts the scheduler after a missed Monday: it writes that week's
// briefing into the folder at once and lists it.
func TestSchedulerCatchesUp(t *testing.T) {
	db := fixtureDB(t)
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	sh, _ := time.LoadLocation("Asia/Shanghai")
	now := time.Date(2023, 4, 18, 10, 0, 0, 0, sh) // Tuesday; Monday's run was missed
	built := time.Time{}
	done, err := StartScheduler(ctx, db, SchedulerOptions{Dir: dir, Now: func() time.Time { return now },
		Build: func(ctx context.Context, asOf time.Time) error { built = asOf; return nil }})
	if err != nil {
		t.Fatal(err)
	}
	name := BriefingName(fixtureAsOf)
	deadline := time.Now().Add(30 * time.Second)
	for {
		list, err := Briefings(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) == 1 {
			if list[0].FileName != name || list[0].WrittenBy != "scheduler" || !list[0].AsOf.Equal(fixtureAsOf) {
				t.Errorf("listed %+v", list[0])
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no briefing written")
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	<-done
	if !built.Equal(fixtureAsOf) {
		t.Errorf("built the marts as of %v, want %v", built, fixtureAsOf)
	}
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil || len(data) < 1000 || string(data[:5]) != "%PDF-" {
		t.Fatalf("briefing file: %v, %d bytes", err, len(data))
	}
}
