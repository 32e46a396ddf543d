package queries

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"landwatch/etl/synth"
)

// TestAcceptanceTiny loads the synthetic county testdata/tiny, builds the models as of 2023-04-30
// and checks every scorecard figure of every township on each date truth.json states, every
// violation and ledger item as of its details date, and (as of the end of the data) every power alert.
func TestAcceptanceTiny(t *testing.T) {
	t.Parallel()
	acceptance(t, filepath.Join("..", "testdata", "tiny"))
}

// TestAcceptanceDir runs the same checks on the generated county in $LANDWATCH_ACCEPT_DIR (e.g. the
// `county` scale in /work/bench-data/county); skipped when unset.
func TestAcceptanceDir(t *testing.T) {
	t.Parallel()
	dir := os.Getenv("LANDWATCH_ACCEPT_DIR")
	if dir == "" {
		t.Skip("LANDWATCH_ACCEPT_DIR not set")
	}
	acceptance(t, dir)
}

func acceptance(t *testing.T, dir string) {
	raw, err := os.ReadFile(filepath.Join(dir, "truth.json"))
	if err != nil {
		t.Fatalf("no synthetic county in %s: %v", dir, err)
	}
	var truth synth.Truth
	if err := json.Unmarshal(raw, &truth); err != nil {
		t.Fatalf("truth.json: %v", err)
	}
	f := loadedFixture(t, dir)
	f.run(truth.DetailsAsOf)

	if len(truth.Townships) == 0 {
		t.Fatal("truth.json has no township: nothing to compare")
	}
	nCards := 0
	for _, tt := range truth.Townships {
		for _, s := range tt.Scorecards {
			nCards++
			got := f.card(s.AsOf, s.Township)
			want := row{"violations_due": s.ViolationsDue, "detected": s.Detected, "missed": s.Missed,
				"missed_detection_rate": ptr(s.MissedDetectionRate), "ledger_due": s.LedgerDue,
				"rectified_on_time": s.RectifiedOnTime, "rectification_rate": ptr(s.RectificationRate),
				"overdue_open": s.OverdueOpen, "rectification_false": s.RectificationFalse, "new_after_rectification": s.NewAfterRectification,
				"awaiting_acceptance": s.AwaitingAcceptance, "patrol_weeks": s.PatrolWeeks, "patrol_weeks_done": s.PatrolWeeksDone,
				"patrol_compliance": ptr(s.PatrolCompliance), "level": s.Level, "reasons": s.Reasons}
			expect(t, s.Township+" "+s.AsOf, got, want)
		}
	}
	if nCards == 0 {
		t.Error("truth.json states no scorecard")
	}

	// violations as of details_as_of
	byID := map[string]synth.ViolationTruth{}
	for _, tt := range truth.Townships {
		for _, w := range slices.Concat(tt.Violations, tt.LaterViolations) {
			byID[w.ViolationID] = w
		}
	}
	gotV := map[string]row{}
	for _, v := range f.query(`SELECT * FROM mart_violations`) {
		gotV[v["violation_id"].(string)] = v
	}
	nWant, noCategory := 0, 0
	for _, tt := range truth.Townships {
		for _, w := range tt.Violations {
			nWant++
			g := gotV[w.ViolationID]
			if g == nil {
				t.Errorf("violation %s (%s, %s) missing", w.ViolationID, tt.Township, strings.Join(w.SourceRefs, ","))
				continue
			}
			if checkViolation(t, "violation "+w.ViolationID, g, tt.Township, w, byID) == nil {
				noCategory++
			}
		}
	}
	if len(gotV) != nWant || nWant == 0 {
		t.Errorf("%d violations, truth has %d", len(gotV), nWant)
	}
	t.Logf("%d violations checked, %d of them without a category in the files", nWant, noCategory)

	// the ledger as of details_as_of
	gotL := map[string]row{}
	for _, l := range f.query(`SELECT * FROM mart_ledger`) {
		gotL[l["item_id"].(string)] = l
	}
	nWant = 0
	for _, tt := range truth.Townships {
		for _, w := range tt.Ledger {
			nWant++
			g := gotL[w.ItemID]
			if g == nil {
				t.Errorf("ledger item %s (%s) missing", w.ItemID, tt.Township)
				continue
			}
			expect(t, "ledger "+w.ItemID, g, row{"township": tt.Township, "kind": w.Kind, "deadline": w.Deadline,
				"status_as_of": w.Status, "rectified_on": strptr(w.RectifiedOn), "on_time": w.OnTime, "overdue": w.Overdue})
		}
	}
	if len(gotL) != nWant || nWant == 0 {
		t.Errorf("%d ledger items, truth has %d", len(gotL), nWant)
	}

	// the accountability list with the register's names as of details_as_of
	gotAcc := map[string]row{}
	for _, a := range f.query(`SELECT * FROM mart_accountability`) {
		gotAcc[a["item_id"].(string)+" "+a["reason"].(string)] = a
	}
	opt := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	for _, w := range truth.Accountability {
		g := gotAcc[w.ItemID+" "+w.Reason]
		if g == nil {
			t.Errorf("accountability entry %s %s (%s) missing", w.ItemID, w.Reason, w.Township)
			continue
		}
		expect(t, "accountability "+w.ItemID+" "+w.Reason, g, row{"township": w.Township, "village": opt(w.Village),
			"names_on": w.NamesOn, "first_responsible": opt(w.FirstResponsible), "leader_in_charge": opt(w.LeaderInCharge),
			"direct_responsible": opt(w.DirectResponsible), "village_cadre": opt(w.VillageCadre), "status": "待移交"})
	}
	if len(gotAcc) != len(truth.Accountability) || len(gotAcc) == 0 {
		t.Errorf("%d accountability entries, truth has %d", len(gotAcc), len(truth.Accountability))
	}

	// every problem of the active forms
	gotP := map[string]bool{}
	for _, r := range f.query(`SELECT problem_id FROM int_problems_listed WHERE known_on = ?`, day(t, truth.DetailsAsOf)) {
		gotP[r["problem_id"].(string)] = true
	}
	nWant = 0
	for _, tt := range truth.Townships {
		for _, id := range tt.Problems {
			nWant++
			if !gotP[id] {
				t.Errorf("problem %s (%s) missing", id, tt.Township)
			}
		}
	}
	if len(gotP) != nWant || nWant == 0 {
		t.Errorf("%d problems, truth has %d", len(gotP), nWant)
	}

	// the units' own stage entries as of details_as_of (etl/synth/chain/stages.go)
	checkCaseStages(t, f, truth.CaseStages)

	// as of the end of the data: the look-back scorecards (after the re-inspections), the register
	// warnings, the patrol weeks, the violations first seen later, the power alerts
	f.run(truth.DataTo)
	for _, tt := range truth.Townships {
		s := tt.Lookback
		expect(t, tt.Township+" lookback "+truth.LookbackAsOf, f.card(truth.LookbackAsOf, tt.Township), row{"missed": s.Missed,
			"ledger_due": s.LedgerDue, "rectified_on_time": s.RectifiedOnTime, "overdue_open": s.OverdueOpen,
			"rectification_false": s.RectificationFalse, "new_after_rectification": s.NewAfterRectification, "level": s.Level, "reasons": s.Reasons})
	}
	// the restoration ledger as of the end of the data: 恢复土地面积 is the accepted area, and the
	// weekly mart the public page and the briefing read says the same
	if r := truth.Restoration; r == nil {
		t.Error("truth.json states no restoration ledger")
	} else {
		expect(t, "restoration "+r.AsOf, f.one(`SELECT count(*) AS items, count(*) FILTER (WHERE state = '已验收') AS accepted,
			CAST(coalesce(sum(accepted_mu), 0) AS DOUBLE) AS mu, CAST(coalesce(sum(paid_yuan), 0) AS DOUBLE) AS paid FROM mart_restoration`),
			row{"items": r.Items, "accepted": r.Accepted, "mu": r.AcceptedMu, "paid": r.PaidYuan})
		expect(t, "恢复土地面积", f.one(`SELECT CAST(coalesce(sum(area_restored_mu), 0) AS DOUBLE) AS mu FROM mart_campaign_weekly`),
			row{"mu": r.AcceptedMu})
		for party, n := range r.Parties {
			expect(t, "restoration by "+party, f.one(`SELECT count(*) AS n FROM mart_restoration WHERE party = ?`, party), row{"n": n})
		}
	}
	expect(t, "register warnings", f.one(`SELECT count(*) FILTER (WHERE kind = '包村干部不符') AS lines,
		count(*) FILTER (WHERE kind = '村无包村干部') AS villages, count(*) FILTER (WHERE kind = '乡镇无第一责任人') AS towns FROM mart_register_warnings`),
		row{"lines": truth.Counts["register_unsigned_lines"], "villages": 1, "towns": 0})
	nWeeks, nLater := 0, 0
	for _, tt := range truth.Townships {
		nWeeks, nLater = nWeeks+len(tt.PatrolWeeks), nLater+len(tt.LaterViolations)
		for _, w := range tt.PatrolWeeks {
			expect(t, tt.Township+" patrols "+w.Week, f.one(`SELECT logs FROM int_patrol_weeks
				WHERE as_of = ? AND township = ? AND week_start = ?`, day(t, truth.DataTo), tt.Township, day(t, w.Week)),
				row{"logs": w.Patrols})
		}
		for _, w := range tt.LaterViolations {
			g := f.query(`SELECT * FROM mart_violations WHERE violation_id = ?`, w.ViolationID)
			if len(g) != 1 {
				t.Errorf("later violation %s (%s) missing", w.ViolationID, tt.Township)
				continue
			}
			checkViolation(t, "later violation "+w.ViolationID, g[0], tt.Township, w, byID)
		}
	}
	if nWeeks == 0 || nLater == 0 {
		t.Errorf("truth.json states %d patrol weeks and %d later violations: some of each are planted", nWeeks, nLater)
	}
	// every patch against the licence register, as of the end of the data
	gotT := map[string]row{}
	for _, r := range f.query(`SELECT patch_id, licence_id, licence_status FROM mart_imagery_triage`) {
		gotT[r["patch_id"].(string)] = r
	}
	for _, w := range truth.ImageryTriage {
		expect(t, "triage "+w.PatchID, gotT[w.PatchID], row{"patch_id": w.PatchID, "licence_id": strptr(w.LicenceID), "licence_status": w.Status})
	}
	if len(gotT) != len(truth.ImageryTriage) || len(gotT) == 0 {
		t.Errorf("%d patches triaged, truth has %d", len(gotT), len(truth.ImageryTriage))
	}
	gotA := map[string]row{}
	for _, a := range f.query(`SELECT * FROM mart_power_alerts`) {
		gotA[a["alert_id"].(string)] = a
	}
	for _, w := range truth.PowerAlerts {
		g := gotA[w.AlertID]
		if g == nil {
			t.Errorf("power alert %s (%s) missing", w.AlertID, w.Rule)
			continue
		}
		var check any
		if w.CheckResult != "" {
			check = w.CheckResult
		}
		var checkedOn any
		if w.CheckedOn != "" {
			checkedOn = w.CheckedOn
		}
		expect(t, "alert "+w.AlertID, g, row{"meter_id": w.MeterID, "township": w.Township, "rule": w.Rule,
			"first_day": w.FirstDay, "last_day": w.LastDay, "check_result": check,
			"checked_on": checkedOn, "check_due_on": w.CheckDueOn, "check_late": w.CheckLate})
	}
	if len(gotA) != len(truth.PowerAlerts) || len(gotA) == 0 {
		var extra []string
		for id := range gotA {
			if !slices.ContainsFunc(truth.PowerAlerts, func(a synth.AlertTruth) bool { return a.AlertID == id }) {
				extra = append(extra, id)
			}
		}
		t.Errorf("%d power alerts, truth has %d; not in truth: %v", len(gotA), len(truth.PowerAlerts), extra)
	}
	// 罚没款 as of the end of the data: decided, collected, outstanding and the cases that owe some
	if truth.Fines == nil || truth.Fines.CollectedYuan == 0 || truth.Fines.OutstandingYuan == 0 {
		t.Fatalf("truth.json states no 罚没款 both collected and outstanding: %+v", truth.Fines)
	}
	f.run(truth.Fines.AsOf)
	expect(t, "罚没款 as of "+truth.Fines.AsOf, f.one(`SELECT CAST(sum(decided_yuan) AS BIGINT) AS decided,
		CAST(sum(collected_yuan) AS BIGINT) AS collected, CAST(sum(outstanding_yuan) AS BIGINT) AS outstanding,
		count(DISTINCT case_id) FILTER (WHERE outstanding_yuan > 0) AS cases FROM mart_fines`),
		row{"decided": truth.Fines.DecidedYuan, "collected": truth.Fines.CollectedYuan, "outstanding": truth.Fines.OutstandingYuan,
			"cases": int64(truth.Fines.CasesOutstanding)})
	duties := checkRegisters(t, f)
	checkPeriods(t, f, truth, duties)
}

// checkViolation compares every column of a mart_violations row that truth.json states, the
// category as the input files give it (categoryInFiles); it returns that category.
func checkViolation(t *testing.T, what string, g row, township string, w synth.ViolationTruth, byID map[string]synth.ViolationTruth) any {
	t.Helper()
	category := categoryInFiles(t, w, byID)
	expect(t, what, g, row{"township": township, "village": w.Village, "first_seen": w.FirstSeen,
		"source_refs": strings.Join(w.SourceRefs, ","), "detection_status": w.DetectionStatus,
		"detected_by": strptr(w.DetectedBy), "category": category,
		"late_problem": strptr(w.LateBy), "recurrence_of": strptr(w.RecurrenceOf)})
	var chans []string
	if s, ok := g["sources"].(string); ok {
		for _, c := range strings.Split(s, ",") {
			if !slices.Contains(chans, c) {
				chans = append(chans, c)
			}
		}
	}
	if fmt.Sprint(chans) != fmt.Sprint(w.Channels) {
		t.Errorf("%s: channels %v, want %v", what, chans, w.Channels)
	}
	if !near(g["lon"], w.Lon) || !near(g["lat"], w.Lat) {
		t.Errorf("%s: point %v %v, want %v %v", what, g["lon"], g["lat"], deref(w.Lon), deref(w.Lat))
	}
	return category
}

// categoryInFiles is the category mart_violations must show for a violation of truth.json. A
// violation takes the first category its members' records state, in member order, a patch's only
// when no other member states one (int_violations.sql), and by int_violation_records.sql:
//   - a 卫片 record states the category its 变化类型 and 后地类 imply (truth.go does the same);
//   - a 复查 record (a re-inspection that found the site dug again; its id is the item's id,
//     "-复发-" and the day) states the category of the record of the item it re-inspects, the
//     rechecked violation's first member, none when that is a patch;
//   - 用电, 举报, 案件 and 线索 records state theirs.
//
// So a violation seen by re-inspections alone of an imagery-only site has no category; any other
// has the truth's category.
func categoryInFiles(t *testing.T, w synth.ViolationTruth, byID map[string]synth.ViolationTruth) any {
	t.Helper()
	if slices.ContainsFunc(w.Channels, func(c string) bool { return c != "复查" }) {
		return w.Category // a patch states its category by its change and land classes
	}
	for _, ref := range w.SourceRefs { // member order
		item, _, recheck := strings.Cut(ref, "-复发-")
		if !recheck {
			continue // a patch
		}
		v, ok := byID[item]
		if !ok {
			t.Errorf("violation %s: the re-inspected item %s is no violation of truth.json", w.ViolationID, item)
			return w.Category
		}
		if v.Channels[0] != "卫片" {
			return v.Category // the first member's own category
		}
	}
	return nil
}

func ptr(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func strptr(p *string) any {
	if p == nil {
		return nil
	}
	return *p
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func near(got any, want *float64) bool {
	if want == nil {
		return got == nil
	}
	g, ok := got.(float64)
	return ok && math.Abs(g-*want) < 1e-6
}
