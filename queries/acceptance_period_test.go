package queries

import (
	"testing"

	"landwatch/etl/synth"
)

// checkPeriods runs the models as of the end of every 常态化 period truth.json states and compares
// every township's patrol weeks (owed and done) and the silent meters (mart_power_gaps) with it:
// the county keeps patrolling and its meters keep reporting through every period, so a run as of a
// period's end shows a few townships a week short, not all of them a year.
func checkPeriods(t *testing.T, f *fixture, truth synth.Truth) {
	t.Helper()
	if len(truth.Periods) == 0 {
		t.Error("truth.json states no 常态化 period")
	}
	for _, p := range truth.Periods {
		f.run(p.AsOf)
		short := 0
		for _, w := range p.Townships {
			got := f.card(p.AsOf, w.Township)
			expect(t, "patrols "+w.Township+" "+p.AsOf, row{"patrol_weeks": got["patrol_weeks"], "patrol_weeks_done": got["patrol_weeks_done"]},
				row{"patrol_weeks": w.PatrolWeeks, "patrol_weeks_done": w.PatrolWeeksDone})
			if w.PatrolWeeks-w.PatrolWeeksDone > 3 {
				t.Errorf("%s as of %s: %d patrol weeks missing, more than a few", w.Township, p.AsOf, w.PatrolWeeks-w.PatrolWeeksDone)
			}
			if w.PatrolWeeksDone < w.PatrolWeeks {
				short++
			}
		}
		if short == 0 || short == len(p.Townships) {
			t.Errorf("as of %s %d of %d townships are short of patrols: want a few", p.AsOf, short, len(p.Townships))
		}
		var got []string
		for _, r := range f.query(`SELECT meter_id FROM mart_power_gaps ORDER BY meter_id`) {
			got = append(got, r["meter_id"].(string))
		}
		if len(got) != len(p.SilentMeters) {
			t.Errorf("as of %s silent meters %v, truth.json %v", p.AsOf, got, p.SilentMeters)
		}
	}
}
