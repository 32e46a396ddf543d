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
// period's end shows a few townships a week short, not all of them a year. Where truth.json states
// them (the first period, etl/synth/periodwork.go), every scorecard column, the violations first
// seen in the period and every patch's triage are compared too (checkPeriodFigures).
//
// The campaign's 责任分解表 stays in force after the period's arrives: every item of duties (the
// 责任分解表 as of the end of the data, checkRegisters) keeps its row, and the period's items have
// theirs, by duty.
func checkPeriods(t *testing.T, f *fixture, truth synth.Truth, duties map[string]row) {
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
		checkPeriodFigures(t, f, p)
		if len(p.Scorecards) > 0 {
			now := checkRegisters(t, f)
			for id, was := range duties {
				expect(t, "责任分解表 "+id+" as of "+p.AsOf, now[id], was)
			}
			n := 0
			for _, r := range f.query(`SELECT item_id, duty_unit FROM mart_duty_list WHERE reported_on >= ?`, day(t, p.AsOf).AddDate(0, -3, 0)) {
				n++
				if r["duty_unit"] == nil {
					t.Errorf("item %s of the period has no row in the 责任分解表 as of %s", r["item_id"], p.AsOf)
				}
			}
			if n == 0 {
				t.Errorf("as of %s no item of the period in the ledger", p.AsOf)
			}
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
// village with a violation has a 监管网格员. It returns the 责任分解表's row of every item that has
// one (its class, unit, person, deadline).
func checkRegisters(t *testing.T, f *fixture) map[string]row {
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
	out := map[string]row{}
	for _, r := range f.query(`SELECT item_id, duty_class, duty_unit, duty_person, duty_deadline, deadline FROM mart_duty_list WHERE duty_unit IS NOT NULL`) {
		out[r["item_id"].(string)] = row{"duty_class": r["duty_class"], "duty_unit": r["duty_unit"], "duty_person": r["duty_person"],
			"duty_deadline": r["duty_deadline"], "deadline": r["deadline"]}
	}
	return out
}

// checkPeriodFigures compares what truth.json states as of a period's end with the models run as
// of that day: every township's scorecard, every violation first seen in the period (its detection
// in the period's round, its late line, its recurrence) and the triage of every patch. The period
// must show a county at work: violations detected and missed, a recurrence, some items rectified,
// and some townships — not all — sending their form after the detection deadline.
func checkPeriodFigures(t *testing.T, f *fixture, p synth.PeriodTruth) {
	t.Helper()
	if len(p.Scorecards) == 0 {
		return
	}
	rectified := 0
	for _, s := range p.Scorecards {
		rectified += s.RectifiedOnTime
		expect(t, s.Township+" "+s.AsOf, f.card(s.AsOf, s.Township), row{"violations_due": s.ViolationsDue, "detected": s.Detected,
			"missed": s.Missed, "missed_detection_rate": ptr(s.MissedDetectionRate), "ledger_due": s.LedgerDue,
			"rectified_on_time": s.RectifiedOnTime, "rectification_rate": ptr(s.RectificationRate), "overdue_open": s.OverdueOpen,
			"rectification_false": s.RectificationFalse, "new_after_rectification": s.NewAfterRectification,
			"awaiting_acceptance": s.AwaitingAcceptance, "patrol_weeks": s.PatrolWeeks, "patrol_weeks_done": s.PatrolWeeksDone,
			"patrol_compliance": ptr(s.PatrolCompliance), "level": s.Level, "reasons": s.Reasons})
	}
	status := map[string]int{}
	recurrences := 0
	for _, w := range p.Violations {
		status[w.DetectionStatus]++
		if w.RecurrenceOf != nil {
			recurrences++
		}
		g := f.query(`SELECT township, first_seen, source_refs, detection_status, detected_by, late_problem, recurrence_of
			FROM mart_violations WHERE violation_id = ?`, w.ViolationID)
		if len(g) != 1 {
			t.Errorf("violation %s of the period (%s) missing as of %s", w.ViolationID, w.Township, p.AsOf)
			continue
		}
		expect(t, "period violation "+w.ViolationID, g[0], row{"township": w.Township, "first_seen": w.FirstSeen,
			"source_refs": strings.Join(w.SourceRefs, ","), "detection_status": w.DetectionStatus, "detected_by": strptr(w.DetectedBy),
			"late_problem": strptr(w.LateBy), "recurrence_of": strptr(w.RecurrenceOf)})
	}
	for _, r := range f.query(`SELECT DISTINCT v.township, v.village FROM mart_violations v
		WHERE v.first_seen BETWEEN ? AND ? AND v.village IS NOT NULL AND NOT EXISTS (SELECT 1 FROM stg_register__responsibilities g
			WHERE g.township = v.township AND g.village = v.village AND g.duty_type = '监管网格员')`, day(t, p.AsOf).AddDate(0, -3, 0), day(t, p.AsOf)) {
		t.Errorf("%s%s has a violation of the period but no 监管网格员", r["township"], r["village"])
	}
	if status["detected"] == 0 || status["missed"] == 0 || recurrences == 0 || rectified == 0 {
		t.Errorf("as of %s the period shows %v violations, %d recurrences, %d items rectified on time: want some of each", p.AsOf, status, recurrences, rectified)
	}
	if n := len(p.LateForms); n == 0 || n == len(p.Scorecards) {
		t.Errorf("as of %s %d of %d townships sent their form late: want a few", p.AsOf, n, len(p.Scorecards))
	}
	var late []string
	for _, r := range f.query(`SELECT township FROM mart_forms_owed WHERE late AND due_on BETWEEN ? AND ? ORDER BY township`,
		day(t, p.AsOf).AddDate(0, -3, 0), day(t, p.AsOf)) {
		late = append(late, r["township"].(string))
	}
	if want := slices.Sorted(slices.Values(p.LateForms)); !slices.Equal(late, want) {
		t.Errorf("as of %s the forms late are those of %v, truth.json %v", p.AsOf, late, want)
	}
	// 罚没款 as of the period's end: some of the period's fines still owed
	if p.Fines == nil {
		t.Errorf("truth.json states no 罚没款 as of %s", p.AsOf)
	} else {
		expect(t, "罚没款 as of "+p.AsOf, f.one(`SELECT CAST(sum(decided_yuan) AS BIGINT) AS decided,
			CAST(sum(collected_yuan) AS BIGINT) AS collected, CAST(sum(outstanding_yuan) AS BIGINT) AS outstanding,
			count(DISTINCT case_id) FILTER (WHERE outstanding_yuan > 0) AS cases FROM mart_fines`),
			row{"decided": p.Fines.DecidedYuan, "collected": p.Fines.CollectedYuan, "outstanding": p.Fines.OutstandingYuan,
				"cases": int64(p.Fines.CasesOutstanding)})
		periodCases := map[string]bool{}
		for _, r := range f.query(`SELECT DISTINCT case_id FROM mart_fines WHERE outstanding_yuan > 0 AND decided_on BETWEEN ? AND ?`,
			day(t, p.AsOf).AddDate(0, -3, 0), day(t, p.AsOf)) {
			periodCases[r["case_id"].(string)] = true
		}
		if len(periodCases) == 0 {
			t.Errorf("as of %s no fine decided in the period is owed: want some not paid in full", p.AsOf)
		}
	}
	gotT := map[string]row{}
	for _, r := range f.query(`SELECT patch_id, licence_id, licence_status FROM mart_imagery_triage`) {
		gotT[r["patch_id"].(string)] = r
	}
	for _, w := range p.ImageryTriage {
		expect(t, "triage "+w.PatchID+" as of "+p.AsOf, gotT[w.PatchID], row{"patch_id": w.PatchID, "licence_id": strptr(w.LicenceID), "licence_status": w.Status})
	}
	if len(gotT) != len(p.ImageryTriage) {
		t.Errorf("as of %s %d patches triaged, truth has %d", p.AsOf, len(gotT), len(p.ImageryTriage))
	}
}
