package queries

import (
	"fmt"
	"slices"
	"strings"
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

// checkRegisters checks the registers as the models show them as of the last run: every item of
// the 责任分解表 names a unit whose duty covers the item's category (synth.DutyUnits), every unit
// covering a category has items, every accountability row names one to three 包村干部, and every
// village with a violation has a 监管网格员.
func checkRegisters(t *testing.T, f *fixture) {
	t.Helper()
	cfg, err := f.db.Config(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	units := synth.DutyUnits(cfg)
	seen := map[string]bool{}
	rows := f.query(`SELECT item_id, coalesce(category, '') AS category, unit_short FROM mart_duty_list WHERE duty_unit IS NOT NULL`)
	if len(rows) == 0 {
		t.Error("the 责任分解表 names no unit")
	}
	for _, r := range rows {
		cat, unit := r["category"].(string), fmt.Sprint(r["unit_short"])
		seen[unit] = true
		if !slices.Contains(units[cat], unit) {
			t.Errorf("责任分解表 item %s of category %q names %s, whose duty does not cover it (%v)", r["item_id"], cat, unit, units[cat])
		}
	}
	for cat, us := range units {
		for _, u := range us {
			if !seen[u] && cat != "" {
				t.Errorf("unit %s covers category %s but has no item in the 责任分解表", u, cat)
			}
		}
	}
	for _, r := range f.query(`SELECT item_id, reason, coalesce(village_cadre, '') AS cadres FROM mart_accountability WHERE village IS NOT NULL`) {
		if n := len(strings.Split(r["cadres"].(string), "、")); r["cadres"] != "" && n > 3 {
			t.Errorf("accountability row %s %s names %d 包村干部: %s", r["item_id"], r["reason"], n, r["cadres"])
		}
	}
	for _, r := range f.query(`SELECT DISTINCT v.township, v.village FROM mart_violations v
		WHERE v.village IS NOT NULL AND NOT EXISTS (SELECT 1 FROM stg_register__responsibilities g
			WHERE g.township = v.township AND g.village = v.village AND g.duty_type = '监管网格员')`) {
		t.Errorf("%s%s has a violation but no 监管网格员", r["township"], r["village"])
	}
}
