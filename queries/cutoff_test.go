package queries

import "testing"

// cutoff records a cut-off entry: kind ordered or done, the day, and when it was made.
func (f *fixture) cutoff(meter, kind, on, at string) {
	f.t.Helper()
	f.insert("power_cutoffs", row{"meter_id": meter, "kind": kind, "cutoff_on": on, "entered_by": "test", "recorded_at": at})
}

func TestSupplyAfterCutoffBoundary(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	// a household meter (no other rule fires: flat use) using power on 04-09 and on 04-11 only
	f.meter("CUT-1", "居民", 112.30, 36.50)
	f.readings("CUT-1", 60, "CASE WHEN "+dayIn("2023-04-09", "2023-04-11")+" THEN 2 ELSE 0 END")
	// another meter cut off the same day that uses nothing afterwards
	f.meter("CUT-2", "居民", 112.31, 36.50)
	f.readings("CUT-2", 60, "CASE WHEN "+dayIn("2023-04-09", "2023-04-10")+" THEN 2 ELSE 0 END")
	f.cutoff("CUT-1", "ordered", "2023-04-07", "2023-04-07 10:00:00")
	f.cutoff("CUT-2", "ordered", "2023-04-07", "2023-04-07 10:00:00")
	// supply ended 04-10 (the day before: consumption on 04-09 is not after it); confirmed 04-12
	f.cutoff("CUT-1", "done", "2023-04-10", "2023-04-12 16:00:00")
	f.cutoff("CUT-2", "done", "2023-04-10", "2023-04-12 16:00:00")
	f.run("2023-04-11")
	if a := f.alerts(); len(a) != 0 {
		t.Errorf("as of 04-11 the cut-off is not confirmed yet: %v", a)
	}
	f.run("2023-04-30")
	a := f.alerts()
	expect(t, "CUT-1", a["CUT-1-CUT-20230411"], row{"rule": "supply_after_cutoff", "first_day": "2023-04-11", "last_day": "2023-04-11", "score": 48.0})
	if len(a) != 1 {
		t.Errorf("alerts %v: want only CUT-1 after its cut-off (04-09 is before, 04-10 is the day itself, CUT-2 used power on the day only)", keys(a))
	}
}
