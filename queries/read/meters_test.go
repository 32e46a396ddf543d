package read

import (
	"context"
	"fmt"
	"testing"
)

func TestMetersFilteredAndPaged(t *testing.T) {
	db := martDB(t)
	ctx := context.Background()
	// the register's view exists from the warehouse's open (queries/live.go), empty before a load
	if ok, err := HasTable(ctx, db, "int_meters_now"); err != nil || !ok {
		t.Fatalf("register before loading: %v, %v", ok, err)
	}
	if n, err := MeterCount(ctx, db, MeterFilter{}); err != nil || n != 0 {
		t.Fatalf("meters before loading: %d, %v", n, err)
	}
	if p, err := PendingCutoffs(ctx, db); err != nil || len(p) != 0 {
		t.Fatalf("pending cut-offs before any: %v, %v", p, err)
	}
	for _, q := range []string{
		`DROP VIEW int_meters_now`, `DROP VIEW int_cutoffs_now`, // the test's own rows instead
		`CREATE TABLE int_meters_now (meter_id VARCHAR, account VARCHAR, customer_type VARCHAR, township VARCHAR, village VARCHAR)`,
		`CREATE TABLE int_cutoffs_now (meter_id VARCHAR, done_on DATE, ordered_on DATE, awaiting_confirmation BOOLEAN)`,
		`CREATE TABLE mart_power_alerts (meter_id VARCHAR, check_result VARCHAR)`,
		`INSERT INTO int_cutoffs_now VALUES ('M007', DATE '2024-03-05', DATE '2024-03-01', false), ('M009', NULL, DATE '2024-03-08', true)`,
		// M003 has two alerts, one unchecked; M005 one checked
		`INSERT INTO mart_power_alerts VALUES ('M003', NULL), ('M003', '正常'), ('M005', '正常')`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 70 {
		town := []string{"甲镇", "乙镇"}[i%2]
		if _, err := db.ExecContext(ctx, `INSERT INTO int_meters_now VALUES (?, ?, ?, ?, NULL)`,
			fmt.Sprintf("M%03d", i), fmt.Sprintf("户%d", i), []string{"居民", "工业"}[i%3/2], town); err != nil {
			t.Fatal(err)
		}
	}
	if types, err := CustomerTypes(ctx, db); err != nil || fmt.Sprint(types) != "[居民 工业]" {
		t.Fatalf("types %v, %v", types, err)
	}
	if n, err := MeterCount(ctx, db, MeterFilter{}); err != nil || n != 70 {
		t.Fatalf("all: %d, %v", n, err)
	}
	page2, err := Meters(ctx, db, MeterFilter{}, 2)
	if err != nil || len(page2) != 70-PageSize {
		t.Fatalf("page 2: %d rows, %v", len(page2), err)
	}
	first, err := Meters(ctx, db, MeterFilter{}, 1)
	if err != nil || first[0].ID != "M003" || first[0].Alerts != 2 || first[0].Open != 1 || first[1].ID != "M005" {
		t.Fatalf("the meter with an unchecked alert comes first, then the one with alerts: %+v", first[:2])
	}
	if open, err := Meters(ctx, db, MeterFilter{Open: true}, 0); err != nil || len(open) != 1 || open[0].ID != "M003" {
		t.Fatalf("open only: %+v, %v", open, err)
	}
	if cut, err := Meters(ctx, db, MeterFilter{Text: "M007"}, 0); err != nil || len(cut) != 1 || cut[0].CutDone != "2024-03-05" {
		t.Fatalf("text M007: %+v, %v", cut, err)
	}
	if n, err := MeterCount(ctx, db, MeterFilter{Township: "乙镇", Type: "工业"}); err != nil || n != 11 {
		t.Fatalf("乙镇 工业: %d, %v (want 11)", n, err)
	}
	if p, err := PendingCutoffs(ctx, db); err != nil || fmt.Sprint(p) != "map[M009:2024-03-08]" {
		t.Fatalf("pending cut-offs: %v, %v", p, err)
	}
	// a text with quotes is a bound value, never SQL
	if n, err := MeterCount(ctx, db, MeterFilter{Text: "' OR '1'='1"}); err != nil || n != 0 {
		t.Fatalf("quoted text: %d, %v", n, err)
	}
}
