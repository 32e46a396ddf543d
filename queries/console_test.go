package queries

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"landwatch/etl/synth"
)

// TestConsoleEntriesTiny: the synthetic county's console entries (console.json: a cut-off of a
// meter that keeps drawing power, a department clue at an illegal patch, verified), inserted as the
// console's stores write them, give what truth.json's "console" states as of the end of the data:
// the supply_after_cutoff alert from the first day of use after the confirmed day, and the clue
// merged into the patch's violation.
func TestConsoleEntriesTiny(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "testdata", "tiny")
	var truth synth.Truth
	var con synth.Console
	for name, v := range map[string]any{"truth.json": &truth, synth.ConsolePath: &con} {
		raw, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	if truth.Console == nil {
		t.Fatal("truth.json states no console entries")
	}
	f := loadedFixture(t, dir)
	for _, c := range con.Cutoffs {
		f.insert("power_cutoffs", row{"meter_id": c.Meter, "kind": c.Kind, "cutoff_on": c.On, "entered_by": c.By, "recorded_at": c.RecordedAt + ":00"})
	}
	for _, c := range con.DeptClues {
		f.insert("dept_clues", row{"clue_id": c.ClueID, "unit": c.Unit, "township": c.Township, "village": c.Village, "lon": c.Lon, "lat": c.Lat,
			"category": c.Category, "found_on": c.FoundOn, "description": c.Description, "raised_by": c.Unit, "raised_at": c.RaisedAt + ":00"})
	}
	for _, v := range con.ClueVerdicts {
		f.insert("clue_updates", row{"clue_id": v.ClueID, "verdict": v.Verdict, "note": v.Note, "updated_by": v.By, "updated_at": v.UpdatedAt + ":00"})
	}
	f.run(truth.DataTo)
	ct := truth.Console
	a := f.one(`SELECT * FROM mart_power_alerts WHERE alert_id = ?`, ct.CutoffAlert)
	expect(t, "cut-off alert", a, row{"rule": "supply_after_cutoff", "first_day": ct.CutoffFirst, "cutoff_done_on": con.Cutoffs[1].On})
	v := f.one(`SELECT * FROM mart_violations WHERE violation_id = ?`, ct.ClueViolation)
	if !strings.Contains(v["source_refs"].(string), ct.ClueID) {
		t.Errorf("violation %s: source_refs %v lack the department clue %s", ct.ClueViolation, v["source_refs"], ct.ClueID)
	}
	if n := len(f.query(`SELECT * FROM mart_violations WHERE source_refs LIKE ?`, "%"+ct.ClueID+"%")); n != 1 {
		t.Errorf("the clue is in %d violations, want 1", n)
	}
	// the required 终止供电 (mart_violation_actions): the orders truth.json names late are exactly the
	// late ones, and the confirmations it names open are overdue, every other one done
	meters := func(q string) string {
		var ids []string
		for _, r := range f.query(q) {
			ids = append(ids, r["ref"].(string))
		}
		return strings.Join(ids, " ")
	}
	sorted := func(ids []string) string { return strings.Join(slices.Sorted(slices.Values(ids)), " ") }
	if got, want := meters(`SELECT DISTINCT ref FROM mart_violation_actions WHERE action = 'cutoff_order' AND late ORDER BY ref`), sorted(ct.LateOrders); got != want || want == "" {
		t.Errorf("late 终止供电 orders %q, truth.json says %q", got, want)
	}
	if got, want := meters(`SELECT DISTINCT ref FROM mart_violation_actions WHERE action = 'cutoff_done' AND state = '逾期' ORDER BY ref`), sorted(ct.OpenConfirmations); got != want || want == "" {
		t.Errorf("overdue confirmations %q, truth.json says %q", got, want)
	}
	if got := meters(`SELECT DISTINCT ref FROM mart_violation_actions WHERE action LIKE 'cutoff_%' AND state = '待办' ORDER BY ref`); got != "" {
		t.Errorf("终止供电 still to do at the end of the data for %q: every meter checked 非法采矿 was ordered", got)
	}

	// as of the end of the first 常态化 period: the cut-offs the power company confirmed in it are
	// done, and those meters draw nothing from the next day on, though they keep reporting
	if len(truth.Periods) == 0 || len(ct.PeriodCutoffs) == 0 {
		t.Fatalf("truth.json states no 终止供电 confirmed in a 常态化 period: %v", ct.PeriodCutoffs)
	}
	p := truth.Periods[0]
	f.run(p.AsOf)
	if got, want := meters(`SELECT DISTINCT ref FROM mart_violation_actions WHERE action = 'cutoff_done' AND state = '逾期' ORDER BY ref`), sorted(ct.PeriodOpenConfirmations); got != want {
		t.Errorf("as of %s overdue confirmations %q, truth.json says %q", p.AsOf, got, want)
	}
	for _, id := range ct.PeriodCutoffs {
		var done string
		for _, c := range con.Cutoffs {
			if c.Meter == id && c.Kind == "done" && c.On > truth.DataTo {
				done = c.On
			}
		}
		if done == "" {
			t.Errorf("meter %s: console.json has no confirmation in the period", id)
			continue
		}
		if g := f.query(`SELECT state FROM mart_violation_actions WHERE action = 'cutoff_done' AND ref = ?`, id); len(g) == 0 || g[0]["state"] == "逾期" {
			t.Errorf("meter %s: the confirmation of %s is not done as of %s: %v", id, done, p.AsOf, g)
		}
		expect(t, "meter "+id+" after its cut-off of "+done, f.one(`SELECT count(*) AS days, CAST(coalesce(sum(kwh), 0) AS DOUBLE) AS kwh,
			max(day) AS last_day FROM int_power_meter_days WHERE meter_id = ? AND day > ?`, id, day(t, done)),
			row{"days": int64(day(t, p.AsOf).Sub(day(t, done)).Hours() / 24), "kwh": 0.0, "last_day": p.AsOf})
		if n := len(f.query(`SELECT 1 FROM mart_power_alerts WHERE meter_id = ? AND rule = 'supply_after_cutoff'`, id)); n != 0 {
			t.Errorf("meter %s: %d supply_after_cutoff alerts after its cut-off", id, n)
		}
		if n := len(f.query(`SELECT 1 FROM mart_power_gaps WHERE meter_id = ?`, id)); n != 0 {
			t.Errorf("meter %s is silent (数据中断) as of %s: a cut-off meter keeps reporting 0", id, p.AsOf)
		}
	}
}
