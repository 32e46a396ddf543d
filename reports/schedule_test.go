package reports_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"landwatch/queries"
	"landwatch/reports"
	"landwatch/reports/schedule"
)

// TestSchedulerCatchesUp starts the scheduler after a missed Monday: it writes that week's
// briefing into the folder at once and lists it.
func TestSchedulerCatchesUp(t *testing.T) {
	db := reports.FixtureDB(t)
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	sh, _ := time.LoadLocation("Asia/Shanghai")
	now := time.Date(2023, 4, 18, 10, 0, 0, 0, sh) // Tuesday; Monday's run was missed
	// The marts stand as of 04-09 (the last run, run_parameters, says so); the scheduler builds them
	// as of 04-16 for the briefing, then as of 04-09 again.
	if _, err := db.Exec(`DELETE FROM mart_township_scorecard WHERE as_of > DATE '2023-04-09'`); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE run_parameters SET as_of = DATE '2023-04-09'`); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var built []time.Time
	build := func(ctx context.Context, asOf time.Time) error {
		mu.Lock()
		built = append(built, asOf)
		mu.Unlock()
		// a models run records its day in run_parameters
		if _, err := db.ExecContext(ctx, `UPDATE run_parameters SET as_of = ?`, asOf); err != nil {
			return err
		}
		if asOf.Equal(reports.FixtureAsOf) { // what a models run as of 04-16 would add
			_, err := db.ExecContext(ctx, `INSERT INTO mart_township_scorecard SELECT DATE '2023-04-16' AS as_of, * EXCLUDE (as_of)
				FROM mart_township_scorecard WHERE as_of = DATE '2023-04-09'`)
			return err
		}
		_, err := db.ExecContext(ctx, `DELETE FROM mart_township_scorecard WHERE as_of > ?`, asOf)
		return err
	}
	done, err := schedule.StartScheduler(ctx, db, schedule.SchedulerOptions{Dir: dir, Now: func() time.Time { return now }, Build: build})
	if err != nil {
		t.Fatal(err)
	}
	name := reports.BriefingName(reports.FixtureAsOf)
	deadline := time.Now().Add(30 * time.Second)
	for { // until the marts were rebuilt as before
		mu.Lock()
		n := len(built)
		mu.Unlock()
		if n >= 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the scheduler did not run")
		}
		time.Sleep(50 * time.Millisecond)
	}
	list, err := reports.Briefings(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].FileName != name || list[0].WrittenBy != "scheduler" || !list[0].AsOf.Equal(reports.FixtureAsOf) {
		t.Errorf("listed %+v", list)
	}
	cancel()
	<-done
	mu.Lock()
	if len(built) != 2 || !built[0].Equal(reports.FixtureAsOf) || !built[1].Equal(reports.FixtureAsOf.AddDate(0, 0, -7)) {
		t.Errorf("built the marts as of %v, want 04-16 then 04-09 again", built)
	}
	mu.Unlock()
	if run, err := queries.LatestAsOf(context.Background(), db); err != nil || !run.Equal(reports.FixtureAsOf.AddDate(0, 0, -7)) {
		t.Errorf("marts left as of %v (%v), want 2023-04-09", run, err)
	}
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil || len(data) < 1000 || string(data[:5]) != "%PDF-" {
		t.Fatalf("briefing file: %v, %d bytes", err, len(data))
	}
}
