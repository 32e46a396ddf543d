package reports

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"landwatch/warehouse"
)

var fixtureAsOf = time.Date(2023, 4, 16, 0, 0, 0, 0, time.UTC)

// martDDL creates the marts the reports read, with the contract's columns (issue 4), for tests
// that run before or without the models.
const martDDL = `
CREATE TABLE mart_township_scorecard (as_of DATE, township VARCHAR, violations_due INTEGER, detected INTEGER,
  missed INTEGER, missed_detection_rate DOUBLE, ledger_due INTEGER, rectified_on_time INTEGER,
  rectification_rate DOUBLE, overdue_open INTEGER, new_after_rectification INTEGER, patrol_weeks INTEGER,
  patrol_weeks_done INTEGER, patrol_compliance DOUBLE, level VARCHAR, reasons VARCHAR);
CREATE TABLE mart_violations (violation_id VARCHAR, township VARCHAR, village VARCHAR, category VARCHAR,
  first_seen DATE, sources VARCHAR, source_refs VARCHAR, lon DOUBLE, lat DOUBLE, detected_by VARCHAR,
  detection_status VARCHAR, match_reason VARCHAR);
CREATE TABLE mart_ledger (item_id VARCHAR, kind VARCHAR, township VARCHAR, village VARCHAR, category VARCHAR,
  deadline DATE, status_as_of VARCHAR, rectified_on DATE, on_time BOOLEAN, overdue BOOLEAN);
CREATE TABLE mart_power_alerts (alert_id VARCHAR, meter_id VARCHAR, township VARCHAR, village VARCHAR,
  customer_type VARCHAR, rule VARCHAR, first_day DATE, last_day DATE, score DOUBLE, check_result VARCHAR);
CREATE TABLE mart_cases_pipeline (case_id VARCHAR, township VARCHAR, category VARCHAR, found_on DATE,
  filed_on DATE, to_police_on DATE, to_procuratorate_on DATE, judged_on DATE, fine_yuan DECIMAL(14,2),
  confiscated_yuan DECIMAL(14,2), price_requested_on DATE, price_due_on DATE, price_done_on DATE, price_late BOOLEAN);
CREATE TABLE mart_campaign_weekly (week_start DATE, week_end DATE, iso_year INTEGER, iso_week INTEGER,
  new_patches BIGINT, new_power_alerts BIGINT, new_other_clues BIGINT, violations_verified BIGINT,
  problems_listed BIGINT, items_rectified BIGINT, cases_filed BIGINT, cases_to_police BIGINT,
  cases_to_procuratorate BIGINT, fines_yuan DECIMAL(14,2), confiscated_yuan DECIMAL(14,2), tips_received BIGINT,
  tips_verified BIGINT, rewards_approved BIGINT, rewards_approved_yuan DECIMAL(14,2), rewards_paid BIGINT,
  rewards_paid_yuan DECIMAL(14,2));
CREATE TABLE mart_data_freshness (kind VARCHAR, kind_name VARCHAR, township VARCHAR, last_received_at TIMESTAMP,
  last_file VARCHAR, files BIGINT);
CREATE TABLE mart_power_gaps (meter_id VARCHAR, account VARCHAR, township VARCHAR, village VARCHAR,
  customer_type VARCHAR, last_reading_on DATE, days_silent INTEGER, closed_mine BOOLEAN);
`

// fixtureDB opens a fresh warehouse with the default configuration and fills the marts with a
// county's worth of hand-made rows: every level and reason, NULL rates, long ledger lists.
func fixtureDB(t testing.TB) *warehouse.DB {
	t.Helper()
	ctx := context.Background()
	db, err := warehouse.Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(martDDL)
	cfg, err := db.Config(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i, tw := range cfg.Townships {
		for _, asOf := range []time.Time{fixtureAsOf.AddDate(0, 0, -7), fixtureAsOf} {
			week := 0
			if asOf.Equal(fixtureAsOf) {
				week = 1
			}
			due := int64(3 + i%5)
			missed := int64(i % 4)
			if i == 5 { // no violations due: NULL rate
				due, missed = 0, 0
			}
			ledger := int64(4 + i%3 + week)
			onTime := ledger - int64(i%3)
			overdue := int64(i % 3)
			newAfter := int64(0)
			if i%6 == 1 {
				newAfter = int64(1 + week)
			}
			weeks := int64(6 + week)
			done := weeks - int64(i%2)
			var mrate any
			if due > 0 {
				mrate = float64(missed) / float64(due)
			}
			rrate := float64(onTime) / float64(ledger)
			level := "green"
			var reasons []string
			if missed > 0 {
				reasons = append(reasons, fmt.Sprintf("应排漏排%d处", missed))
			}
			if overdue > 0 {
				reasons = append(reasons, fmt.Sprintf("整改不到位%d项", overdue))
			}
			if newAfter > 0 {
				reasons = append(reasons, fmt.Sprintf("属地新增%d处", newAfter))
			}
			if weeks > done {
				reasons = append(reasons, fmt.Sprintf("巡查缺%d周", weeks-done))
			}
			switch {
			case due > 0 && float64(missed)/float64(due) >= 0.3 || newAfter >= 2 || rrate < 0.8:
				level = "red"
			case len(reasons) > 0:
				level = "yellow"
			}
			joined := ""
			for k, r := range reasons {
				if k > 0 {
					joined += "；"
				}
				joined += r
			}
			exec(`INSERT INTO mart_township_scorecard VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
				asOf, tw.Name, due, due-missed, missed, mrate, ledger, onTime, rrate, overdue, newAfter,
				weeks, done, float64(done)/float64(weeks), level, joined)
		}
		for k := 0; k < 6; k++ {
			status := "detected"
			if k < i%4 {
				status = "missed"
			}
			cat := cfg.Categories[(i+k)%len(cfg.Categories)].Code
			id := fmt.Sprintf("WP2023%02d%03d", i+1, k+1)
			exec(`INSERT INTO mart_violations VALUES (?,?,?,?,?,?,?,?,?,?,?,?)`, id, tw.Name, tw.Villages[k%len(tw.Villages)],
				cat, time.Date(2023, 3, 1+k, 0, 0, 0, 0, time.UTC), "卫片,案件", id+","+fmt.Sprintf("AJ2023-%02d%02d", i+1, k),
				tw.Center[0]+0.001*float64(k), tw.Center[1], nil, status, "")
		}
		for k := 0; k < 8; k++ {
			overdue := k < 5
			status := "已整改"
			if overdue {
				status = "未整改"
			}
			exec(`INSERT INTO mart_ledger VALUES (?,?,?,?,?,?,?,?,?,?)`, fmt.Sprintf("%s-20230310-%d", tw.Name, k+1), "problem",
				tw.Name, tw.Villages[k%len(tw.Villages)], "L1", time.Date(2023, 4, 10+k%5, 0, 0, 0, 0, time.UTC), status, nil, !overdue, overdue)
		}
		exec(`INSERT INTO mart_power_alerts VALUES (?,?,?,?,?,?,?,?,?,?)`, fmt.Sprintf("M%04d-NOD-20230401", i), fmt.Sprintf("M%04d", i),
			tw.Name, tw.Villages[0], "小工厂", "night_over_day", time.Date(2023, 4, 1, 0, 0, 0, 0, time.UTC),
			time.Date(2023, 4, 9, 0, 0, 0, 0, time.UTC), 2.5, nil)
		if i%4 == 0 {
			exec(`INSERT INTO mart_cases_pipeline VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, fmt.Sprintf("AJ2023-%02d", i), tw.Name, "M1",
				time.Date(2023, 3, 20, 0, 0, 0, 0, time.UTC), time.Date(2023, 3, 22, 0, 0, 0, 0, time.UTC), nil, nil, nil, 20000, 0,
				time.Date(2023, 3, 30, 0, 0, 0, 0, time.UTC), time.Date(2023, 4, 3, 0, 0, 0, 0, time.UTC), nil, true)
		}
	}
	for w := 0; w < 9; w++ {
		start := time.Date(2023, 2, 20, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 7*w)
		y, wk := start.ISOWeek()
		exec(`INSERT INTO mart_campaign_weekly VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, start, start.AddDate(0, 0, 6), y, wk,
			3+w, w%3, w%2, 2+w, 5+2*w, w, 1+w%3, w%2, 0, 10000*w, 500*w, 4+w, 2+w%3, w%3, 400*(w%3), w%2, 300*(w%2))
	}
	// Restored land: two patches of rectified violations (10.5 mu in W14) and one of an open one.
	exec(`INSERT INTO load_batches (batch_id, kind, file_name, sha256, rows, loaded_by, loaded_at, received_at) VALUES (900, 'imagery', 'patches.geojson', 'x', 3, 'test', now(), TIMESTAMP '2023-03-01')`)
	// the marts above stand for a models run as of fixtureAsOf
	exec(`INSERT INTO run_parameters VALUES (1, ?, now())`, fixtureAsOf)
	exec(`ALTER TABLE mart_township_scorecard ADD COLUMN frozen_at TIMESTAMP`)
	exec(`INSERT INTO mart_data_freshness VALUES ('inspection', '排查报表', NULL, TIMESTAMP '2023-03-14 17:00', '郭道镇-乡镇复查.xlsx', 14),
		('inspection', '排查报表', '郭道镇', TIMESTAMP '2023-03-14 17:00', '郭道镇-乡镇复查.xlsx', 2)`)
	exec(`INSERT INTO mart_power_gaps VALUES ('1430000009', '原沁河煤矿', '沁河镇', '沁河村', '关闭矿井', DATE '2023-04-09', 7, true)`)
	for i, p := range []struct {
		id   string
		area float64
	}{{"WP202301001", 4}, {"WP202302001", 6.5}, {"WP202303001", 99}} {
		exec(`INSERT INTO raw_imagery_patches (batch_id, source_row, patch_id, imaged_on, township, verdict, lon, lat, geometry, area_mu, change_type)
			VALUES (900, ?, ?, DATE '2023-03-01', ?, '违法', 112.3, 36.6, 'POINT(112.3 36.6)', ?, '挖损')`, i+1, p.id, cfg.Townships[i].Name, p.area)
	}
	// A problem 郭道镇 listed 0.005° east of its missed violation WP202302001 (445 m at latitude 36.79).
	gd := cfg.Townships[1]
	exec(`INSERT INTO raw_inspections (batch_id, source_row, township, level, problem_id, is_problem, village, reported_on, lon, lat, category_inferred)
		VALUES (900, 9, ?, '乡镇', '郭道镇-20230312-1', true, ?, DATE '2023-03-12', ?, ?, false)`, gd.Name, gd.Villages[0], gd.Center[0]+0.005, gd.Center[1])
	exec(`INSERT INTO mart_ledger VALUES ('WP202301001', 'violation', '沁河镇', NULL, 'M1', DATE '2023-04-15', '已整改', DATE '2023-04-05', true, false),
		('WP202302001', 'violation', '沁河镇', NULL, 'M1', DATE '2023-04-15', '已整改', DATE '2023-04-06', true, false)`)
	return db
}
