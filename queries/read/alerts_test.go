package read

import (
	"context"
	"fmt"
	"testing"
	"time"
)

func TestAlertsFilteredPagedAndOrdered(t *testing.T) {
	db := martDB(t)
	ctx := context.Background()
	if list, err := Alerts(ctx, db, AlertFilter{}, 1, 0); err != nil || list != nil {
		t.Fatalf("alerts before the models ran: %v, %v", list, err)
	}
	if _, ok, err := MeterByID(ctx, db, "M001"); ok || err != nil {
		t.Fatalf("a meter before the register: %v, %v", ok, err)
	}
	for _, q := range []string{
		`CREATE TABLE mart_power_alerts (alert_id VARCHAR, meter_id VARCHAR, township VARCHAR, village VARCHAR, customer_type VARCHAR, rule VARCHAR,
			first_day DATE, last_day DATE, score DOUBLE, check_result VARCHAR, checked_on DATE, check_due_on DATE, check_late BOOLEAN,
			cutoff_ordered_on DATE, cutoff_done_on DATE)`,
		`DROP VIEW int_meters_now`, // the view made at open (queries/live.go); the test's own rows instead
		`CREATE TABLE int_meters_now (meter_id VARCHAR, account VARCHAR, customer_type VARCHAR, township VARCHAR, village VARCHAR, address VARCHAR)`,
		`INSERT INTO int_meters_now VALUES ('M001', NULL, '居民', '甲镇', '一村', NULL)`,
		`DROP VIEW stg_power__cutoffs`,
		`CREATE TABLE stg_power__cutoffs (meter_id VARCHAR, kind VARCHAR, cutoff_on DATE, violation VARCHAR, entered_by VARCHAR, known_from TIMESTAMP, note VARCHAR)`,
		`INSERT INTO stg_power__cutoffs VALUES ('M001', 'done', DATE '2024-03-06', NULL, 'company', TIMESTAMP '2024-03-06 10:00', NULL),
			('M001', 'ordered', DATE '2024-03-01', 'V1', 'office', TIMESTAMP '2024-03-01 09:30', '停')`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	for i := range 70 {
		var result any
		if i%3 == 0 {
			result = "正常"
		}
		if _, err := db.ExecContext(ctx, `INSERT INTO mart_power_alerts VALUES (?, ?, ?, NULL, '居民', ?, ?, ?, 1.5, ?, NULL, ?, ?, NULL, NULL)`,
			fmt.Sprintf("A%03d", i), fmt.Sprintf("M%03d", i%7), []string{"甲镇", "乙镇"}[i%2], []string{"night", "jump"}[i%4/2],
			day, day, result, day.AddDate(0, 0, 70-i), i%5 == 0); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := AlertCount(ctx, db, AlertFilter{}); err != nil || n != 70 {
		t.Fatalf("all: %d, %v", n, err)
	}
	if open, late, err := AlertTotals(ctx, db, AlertFilter{Township: "乙镇"}); err != nil || open != 23 || late != 7 {
		t.Fatalf("乙镇: %d open, %d late, %v (want 23, 7)", open, late, err)
	}
	first, err := Alerts(ctx, db, AlertFilter{}, 1, 0)
	if err != nil || len(first) != PageSize || first[0].ID != "A068" || first[0].Result != "" || first[0].Score != "1.5" || first[0].DueOn != "2024-03-03" {
		t.Fatalf("page 1 starts with the unchecked alert due first: %+v, %v", first[0], err)
	}
	if second, err := Alerts(ctx, db, AlertFilter{}, 2, 0); err != nil || len(second) != 70-PageSize || second[len(second)-1].ID != "A000" {
		t.Fatalf("page 2 ends with the checked alert due last: %d rows, %v", len(second), err)
	}
	if some, err := Alerts(ctx, db, AlertFilter{}, 0, 3); err != nil || len(some) != 3 {
		t.Fatalf("limit 3: %d, %v", len(some), err)
	}
	late := true
	for _, c := range []struct {
		f    AlertFilter
		want int
	}{
		{AlertFilter{Unchecked: true}, 46},
		{AlertFilter{Result: "正常"}, 24},
		{AlertFilter{Late: &late}, 14},
		{AlertFilter{Rule: "jump", Township: "甲镇"}, 17},
		{AlertFilter{Text: "M00"}, 70},
		{AlertFilter{Text: "' OR '1'='1"}, 0}, // a bound value, never SQL
		{AlertFilter{ID: "A007"}, 1},
		{AlertFilter{Meter: "M003"}, 10},
	} {
		n, err := AlertCount(ctx, db, c.f)
		list, lerr := Alerts(ctx, db, c.f, 0, 0)
		if err != nil || lerr != nil || n != c.want || len(list) != c.want {
			t.Errorf("%+v: count %d, %d rows, %v %v (want %d)", c.f, n, len(list), err, lerr, c.want)
		}
	}
	m, ok, err := MeterByID(ctx, db, "M001")
	if err != nil || !ok || m != (MeterNow{ID: "M001", Type: "居民", Township: "甲镇", Village: "一村"}) {
		t.Fatalf("meter M001: %+v, %v, %v", m, ok, err)
	}
	if _, ok, err := MeterByID(ctx, db, "M404"); ok || err != nil {
		t.Fatalf("an unknown meter: %v, %v", ok, err)
	}
	cuts, err := MeterCutoffs(ctx, db, "M001")
	if err != nil || len(cuts) != 2 || cuts[0] != (Cutoff{Kind: "ordered", On: "2024-03-01", Violation: "V1", By: "office", At: "2024-03-01 09:30", Note: "停"}) ||
		cuts[1].Kind != "done" {
		t.Fatalf("cut-offs in the order entered: %+v, %v", cuts, err)
	}
}

func TestAccountabilityEntryAndFigureDay(t *testing.T) {
	db := martDB(t)
	ctx := context.Background()
	if _, _, ok := FigureDay(ctx, db, "mart_ledger"); ok {
		t.Fatal("a figure day before mart_figure_days was built")
	}
	for _, q := range []string{
		`CREATE TABLE mart_accountability (as_of DATE, item_id VARCHAR, township VARCHAR, reason VARCHAR)`,
		`INSERT INTO mart_accountability VALUES (DATE '2024-03-01', 'P1', '甲镇', 'missed'), (DATE '2024-03-01', 'V2', '乙镇', 'missed')`,
		`CREATE TABLE mart_violations (violation_id VARCHAR, township VARCHAR, village VARCHAR, category VARCHAR, first_seen DATE, sources VARCHAR,
			source_refs VARCHAR, detection_status VARCHAR, match_reason VARCHAR, late_problem VARCHAR, recurrence_of VARCHAR, detected_by VARCHAR)`,
		`INSERT INTO mart_violations VALUES ('V1', '甲镇', NULL, 'c', DATE '2024-02-01', 'tip', 'T1,I9', 'detected', 'id', NULL, NULL, 'P1'),
			('V2', '乙镇', NULL, 'c', DATE '2024-02-02', 'tip', 'T2', 'missed', NULL, NULL, NULL, NULL)`,
		`CREATE TABLE mart_evidence (channel VARCHAR, record_id VARCHAR, seen_on DATE, detail VARCHAR, origin VARCHAR)`,
		`INSERT INTO mart_evidence VALUES ('tip', 'T1', DATE '2024-02-01', '举报', 'f.csv'), ('imagery', 'I9', DATE '2024-02-03', '图斑', 'g.csv'),
			('tip', 'T2', DATE '2024-02-02', '举报', 'f.csv')`,
		`CREATE TABLE mart_ledger (item_id VARCHAR, township VARCHAR)`,
		`INSERT INTO mart_ledger VALUES ('P1', '甲镇')`,
		`CREATE TABLE mart_figure_days (figure VARCHAR, default_as_of DATE, run_as_of DATE)`,
		`INSERT INTO mart_figure_days VALUES ('mart_ledger', DATE '2024-02-20', DATE '2024-03-01')`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	e, err := AccountabilityEntry(ctx, db, "P1", "")
	if err != nil || e == nil {
		t.Fatalf("P1: %v, %v", e, err)
	}
	if fmt.Sprint(e.List.Cols) != "[item_id township reason]" || len(e.List.Rows) != 1 || len(e.Violations.Rows) != 1 ||
		e.Violations.Rows[0][0] != "V1" || len(e.Evidence.Rows) != 2 || len(e.Ledger.Rows) != 1 {
		t.Fatalf("P1: list %v, violations %v, evidence %v, ledger %v", e.List, e.Violations, e.Evidence, e.Ledger)
	}
	if e, err := AccountabilityEntry(ctx, db, "P1", "甲镇"); err != nil || e == nil {
		t.Fatalf("P1 for its own township: %v, %v", e, err)
	}
	for _, c := range []struct{ id, town string }{{"P1", "乙镇"}, {"P404", ""}, {"' OR '1'='1", ""}} {
		if e, err := AccountabilityEntry(ctx, db, c.id, c.town); err != nil || e != nil {
			t.Errorf("%q for %q: %v, %v (want none)", c.id, c.town, e, err)
		}
	}
	day, run, ok := FigureDay(ctx, db, "mart_ledger")
	if !ok || day.Format(time.DateOnly) != "2024-02-20" || run.Format(time.DateOnly) != "2024-03-01" {
		t.Fatalf("figure day: %v %v %v", day, run, ok)
	}
	if _, _, ok := FigureDay(ctx, db, "mart_violations"); ok {
		t.Fatal("a figure mart_figure_days does not list")
	}
}
