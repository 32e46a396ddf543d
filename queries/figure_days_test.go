package queries

import (
	"testing"
)

// A figure's default day is the first run as-of on or after the last arrival of its kinds of data:
// the run's own while its data keep coming, an earlier run's once they stopped before it, the
// run's when none ever came. Rows of a later run do not count for a past day's build.
func TestFigureDays(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	imagery := f.newBatch("imagery")
	f.received(imagery, "2023-04-10 09:00")
	f.run("2023-04-30")
	days := func(when string, q Querier, want map[string]string) {
		t.Helper()
		got := map[string]string{}
		for _, r := range f.query(`SELECT figure, default_as_of FROM mart_figure_days`) {
			got[r["figure"].(string)] = r["default_as_of"].(string)
		}
		if q != nil {
			rows, err := q.QueryContext(f.ctx, `SELECT figure, strftime(default_as_of, '%Y-%m-%d') FROM mart_figure_days`)
			if err != nil {
				t.Fatal(err)
			}
			got = map[string]string{}
			for rows.Next() {
				var fig, d string
				if err := rows.Scan(&fig, &d); err != nil {
					t.Fatal(err)
				}
				got[fig] = d
			}
			rows.Close()
		}
		for fig, d := range want {
			if got[fig] != d {
				t.Errorf("%s: %s defaults to %q, want %s", when, fig, got[fig], d)
			}
		}
	}
	days("first run", nil, map[string]string{"mart_imagery_triage": "2023-04-30", "mart_township_scorecard": "2023-04-30", "mart_power_gaps": "2023-04-30"})

	// patrols keep coming after the first run, imagery does not
	patrol := f.newBatch("patrol")
	f.received(patrol, "2023-05-20 09:00")
	f.run("2023-06-30")
	days("second run", nil, map[string]string{
		"mart_imagery_triage":     "2023-04-30", // its data stopped before the second run
		"mart_township_scorecard": "2023-06-30", // patrols count for it
		"mart_power_gaps":         "2023-06-30", // no readings at all: the run's own day
		"mart_data_freshness":     "2023-06-30",
	})
	// a file of imagery arriving after the last run makes the next run the imagery's day
	late := f.newBatch("imagery")
	f.received(late, "2023-07-02 09:00")
	f.run("2023-07-31")
	days("third run", nil, map[string]string{"mart_imagery_triage": "2023-07-31"})

	// built for a past day, only the runs up to it and the files known then count
	if err := At(f.ctx, f.db, day(t, "2023-06-30"), func(q Querier) error {
		days("built as of 2023-06-30", q, map[string]string{"mart_imagery_triage": "2023-04-30", "mart_township_scorecard": "2023-06-30"})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
