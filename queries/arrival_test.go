package queries

import "testing"

// Figures as known then (README "As known then", "Detection by arrival", "Recurrences"): each rule
// at its boundary.

// A problem whose form arrives at the end of the deadline day detects; one arriving a second later
// does not (迟报), though it stays the violation's ledger item.
func TestDetectionByArrival(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.patch("WP-A", t1, v1, "2023-03-02", 112.30, 36.50, nil)
	f.patch("WP-B", t1, v2, "2023-03-02", 112.40, 36.60, nil)
	onTime := f.newBatch("inspection")
	f.problem("沁河镇-20230313-1", t1, v1, "2023-03-13", row{"remark": "WP-A"})
	f.received(onTime, "2023-03-14 23:59:59")
	late := f.newBatch("inspection")
	f.problem("沁河镇-20230313-2", t1, v2, "2023-03-13", row{"remark": "WP-B"})
	f.received(late, "2023-03-15 00:00:00")
	f.run("2023-04-30")

	expect(t, "WP-A", f.one(`SELECT * FROM mart_violations WHERE violation_id = 'WP-A'`),
		row{"detection_status": "detected", "detected_by": "沁河镇-20230313-1", "match_reason": "编号对应", "late_problem": nil})
	expect(t, "WP-B", f.one(`SELECT * FROM mart_violations WHERE violation_id = 'WP-B'`),
		row{"detection_status": "missed", "detected_by": nil, "late_problem": "沁河镇-20230313-2",
			"match_reason": "迟报：表上日期 03-13，03-15 才报送，晚于 03-14 截止"})
	// the late problem is WP-B's ledger item: WP-B has none of its own
	if n := len(f.query(`SELECT * FROM mart_ledger WHERE item_id = 'WP-B'`)); n != 0 {
		t.Error("WP-B, matched by a late problem, has a ledger item of its own")
	}
	expect(t, "card", f.card("2023-04-30", t1), row{"violations_due": 2, "detected": 1, "missed": 1, "ledger_due": 2})
	// before the late form arrived it is not on the list at all: WP-B is its own item
	expect(t, "as of 03-14", f.one(`SELECT count(*) AS n FROM int_problems_listed WHERE known_on = DATE '2023-03-14'`), row{"n": 1})
}

// A correction arriving by the deadline counts for detection; one arriving after it does not, and
// earlier weeks keep the form as it stood before the correction arrived.
func TestCorrectionArrival(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, received string
		detected       bool
	}{
		{"before the deadline", "2023-03-14 18:00:00", true},
		{"after the deadline", "2023-03-16 09:00:00", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			f.patch("WP-1", t1, v1, "2023-03-02", 112.30, 36.50, nil)
			orig := f.newBatch("inspection")
			f.problem("沁河镇-20230312-1", t1, v1, "2023-03-12", row{"remark": "无"})
			f.received(orig, "2023-03-12 17:00:00")
			corr := f.replace("inspection")
			f.problem("沁河镇-20230312-1", t1, v1, "2023-03-12", row{"remark": "即WP-1"})
			f.received(corr, c.received)
			f.run("2023-04-30")
			v := f.one(`SELECT * FROM mart_violations`)
			if c.detected {
				expect(t, "WP-1", v, row{"detection_status": "detected", "detected_by": "沁河镇-20230312-1"})
			} else {
				expect(t, "WP-1", v, row{"detection_status": "missed", "late_problem": "沁河镇-20230312-1",
					"match_reason": "迟报：表上日期 03-12，03-16 才报送，晚于 03-14 截止"})
			}
			// as of 03-12 (a Sunday) the original stood, whatever came later
			expect(t, "03-12", f.one(`SELECT remark FROM int_problems_listed WHERE known_on = DATE '2023-03-12'`), row{"remark": "无"})
			expect(t, "03-19", f.one(`SELECT remark FROM int_problems_listed WHERE known_on = DATE '2023-03-19'`), row{"remark": "即WP-1"})
		})
	}
}

// A rectification reported late: the week before it arrived the item is overdue and open, the week
// after it is rectified on time (the completion date is the fact; the arrival decides when it is known).
func TestRectificationArrival(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.problem("P-1", t1, v1, "2023-03-10", nil)
	b := f.newBatch("rectification")
	f.rectified("P-1", "2023-04-10")
	f.received(b, "2023-04-20 10:00:00")
	f.run("2023-04-30")
	expect(t, "04-16", f.card("2023-04-16", t1), row{"ledger_due": 1, "rectified_on_time": 0, "overdue_open": 1})
	expect(t, "04-23", f.card("2023-04-23", t1), row{"ledger_due": 1, "rectified_on_time": 1, "overdue_open": 0, "rectification_rate": 1.0})
	expect(t, "ledger 04-16", f.one(`SELECT status_as_of, rectified_on, overdue FROM int_ledger_items WHERE as_of = DATE '2023-04-16'`),
		row{"status_as_of": "未整改", "rectified_on": nil, "overdue": true})
}

// A record at a rectified site: first seen the day before or on the day of the rectification it
// joins the old violation; the day after, it is a recurrence with a ledger item of its own, and after the end of
// rectification it counts as 属地新增.
func TestRecurrence(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.patch("WP-OLD", t1, v1, "2023-03-02", 112.30, 36.50, nil)
	f.problem("P-OLD", t1, v1, "2023-03-10", row{"remark": "WP-OLD"})
	f.rectified("P-OLD", "2023-04-06")
	f.patch("WP-DAY-BEFORE", t1, v1, "2023-04-05", 112.30, north(36.50, -30), nil)
	f.patch("WP-SAME-DAY", t1, v1, "2023-04-06", 112.30, north(36.50, 30), nil)
	f.patch("WP-NEXT-DAY", t1, v1, "2023-04-07", 112.30, north(36.50, 60), nil)
	// a second site, rectified on 04-06 too, comes back after the end of rectification
	f.patch("WP-X", t1, v2, "2023-03-03", 112.50, 36.70, nil)
	f.rectified("WP-X", "2023-04-06")
	f.patch("WP-X2", t1, v2, "2023-04-25", 112.50, north(36.70, 30), nil)
	// a case naming the old patch by id stays with it, whenever it was found
	f.insert("raw_cases", row{"case_id": "C-1", "source": "卫片", "source_ref": "WP-X", "township": t1, "village": v2,
		"found_on": "2023-04-26"})
	f.run("2023-04-30")

	got := map[string]row{}
	for _, v := range f.query(`SELECT * FROM mart_violations`) {
		got[v["violation_id"].(string)] = v
	}
	if len(got) != 4 {
		t.Fatalf("violations %v, want WP-OLD, WP-NEXT-DAY, WP-X, WP-X2", got)
	}
	expect(t, "WP-OLD", got["WP-OLD"], row{"source_refs": "WP-OLD,WP-DAY-BEFORE,WP-SAME-DAY", "recurrence_of": nil, "detection_status": "detected"})
	expect(t, "WP-NEXT-DAY", got["WP-NEXT-DAY"], row{"recurrence_of": "WP-OLD", "first_seen": "2023-04-07", "detection_status": "not_due",
		"match_reason": nil})
	expect(t, "WP-X", got["WP-X"], row{"source_refs": "WP-X,C-1", "recurrence_of": nil})
	expect(t, "WP-X2", got["WP-X2"], row{"recurrence_of": "WP-X", "detection_status": "new_after_rectification"})

	ledger := map[string]row{}
	for _, l := range f.query(`SELECT * FROM mart_ledger`) {
		ledger[l["item_id"].(string)] = l
	}
	// the old problem P-OLD does not match the recurrence (it was reported before the fix)
	expect(t, "WP-NEXT-DAY item", ledger["WP-NEXT-DAY"], row{"kind": "violation", "deadline": "2023-04-15", "overdue": true})
	expect(t, "WP-X2 item", ledger["WP-X2"], row{"kind": "violation", "deadline": "2023-05-25", "overdue": false})
	expect(t, "P-OLD", ledger["P-OLD"], row{"status_as_of": "已整改"})
	expect(t, "card", f.card("2023-04-30", t1), row{"new_after_rectification": 1})
	// as of 04-02 the site was not rectified yet: WP-NEXT-DAY does not exist, nothing recurs
	if n := len(f.query(`SELECT * FROM int_violations WHERE recurrence_of IS NOT NULL AND as_of <= DATE '2023-04-02'`)); n != 0 {
		t.Errorf("%d recurrences before any rectification", n)
	}
}

// A site that was only a problem, fixed before any channel saw it: the violation found later is a
// recurrence of the problem.
func TestRecurrenceOfProblem(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.problem("P-1", t1, v1, "2023-03-10", row{"lon": 112.30, "lat": 36.50})
	f.rectified("P-1", "2023-03-30")
	f.patch("WP-1", t1, v1, "2023-04-05", 112.30, north(36.50, 100), nil)
	f.run("2023-04-30")
	expect(t, "WP-1", f.one(`SELECT * FROM mart_violations`), row{"recurrence_of": "P-1", "late_problem": nil, "match_reason": nil})
	if n := len(f.query(`SELECT * FROM mart_ledger WHERE item_id = 'WP-1'`)); n != 1 {
		t.Error("the recurrence has no ledger item of its own")
	}
}

// Readings count only once their file arrived: an alert is unknown the week before.
func TestReadingsArrival(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.insert("raw_meters", row{"meter_id": "M1", "customer_type": "关闭矿井", "township": t1, "village": v1})
	b := f.newBatch("power")
	f.insert("raw_power_readings", row{"meter_id": "M1", "ts": "2023-04-03 10:00:00", "kwh": 50.0})
	f.received(b, "2023-04-10 08:00:00")
	f.run("2023-04-09")
	if n := len(f.query(`SELECT * FROM mart_power_alerts`)); n != 0 {
		t.Errorf("as of 04-09, %d alerts from readings that arrived on 04-10", n)
	}
	f.run("2023-04-10")
	expect(t, "alert", f.one(`SELECT alert_id, score FROM mart_power_alerts`), row{"alert_id": "M1-CLM-20230403", "score": 50.0})
}

// A newer version of a register row (a later 案件台账 export) counts from its arrival.
func TestRegisterVersions(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	first := f.newBatch("cases")
	f.insert("raw_cases", row{"case_id": "C-1", "source": "巡查", "township": t1, "village": v1, "found_on": "2023-03-05"})
	f.received(first, "2023-03-05 18:00:00")
	second := f.newBatch("cases")
	f.insert("raw_cases", row{"case_id": "C-1", "source": "巡查", "township": t1, "village": v1, "found_on": "2023-03-05",
		"filed_on": "2023-03-08"})
	f.received(second, "2023-03-20 09:00:00")
	f.run("2023-03-19")
	expect(t, "03-19", f.one(`SELECT stage, filed_on FROM mart_cases_pipeline`), row{"stage": "未立案", "filed_on": nil})
	f.run("2023-03-20")
	expect(t, "03-20", f.one(`SELECT stage, filed_on FROM mart_cases_pipeline`), row{"stage": "已立案", "filed_on": "2023-03-08"})
}

// A past day's marts come out as they were, built on the fly and discarded: the pool's connections
// see the warehouse's own marts afterwards.
func TestAtPastDay(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.problem("P-1", t1, v1, "2023-03-10", nil)
	b := f.newBatch("rectification")
	f.rectified("P-1", "2023-04-10")
	f.received(b, "2023-04-20 10:00:00")
	f.run("2023-04-30")
	for i := 0; i < 3; i++ {
		err := At(f.ctx, f.db, day(t, "2023-04-16"), func(q Querier) error {
			var status string
			var overdue bool
			if err := q.QueryRowContext(f.ctx, `SELECT status_as_of, overdue FROM mart_ledger`).Scan(&status, &overdue); err != nil {
				return err
			}
			if status != "未整改" || !overdue {
				t.Errorf("as of 04-16: %s overdue=%v, want 未整改 and overdue", status, overdue)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	expect(t, "the built marts", f.one(`SELECT status_as_of, overdue FROM mart_ledger`), row{"status_as_of": "已整改", "overdue": false})
	if err := At(f.ctx, f.db, day(t, "2023-05-01"), func(Querier) error { return nil }); err == nil {
		t.Error("a day after the last run was built")
	}
}

// A frozen day shows its snapshot whatever is rebuilt later; freezing it twice is refused; an
// altered snapshot is caught.
func TestFreeze(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.patch("WP-1", t1, v1, "2023-03-02", 112.30, 36.50, nil)
	f.run("2023-04-30")
	fr, err := FreezeDate(f.ctx, f.db, day(t, "2023-04-16"), FreezeOptions{By: "office"})
	if err != nil {
		t.Fatal(err)
	}
	if fr.Scorecards != 12 || fr.Violations != 1 || fr.Ledger != 1 || len(fr.SHA256) != 64 {
		t.Errorf("freeze %+v", fr)
	}
	if _, err := FreezeDate(f.ctx, f.db, day(t, "2023-04-16"), FreezeOptions{By: "office"}); err == nil {
		t.Error("froze 04-16 twice")
	}
	if _, err := FreezeDate(f.ctx, f.db, day(t, "2023-05-07"), FreezeOptions{By: "office"}); err == nil {
		t.Error("froze a day after the last run")
	}
	// a later change of the rules would move the figures: the frozen day keeps its own
	f.exec(`UPDATE raw_imagery_patches SET verdict = '合法'`)
	f.run("2023-04-30")
	expect(t, "live 04-30", f.card("2023-04-30", t1), row{"missed": 0, "frozen_at": nil})
	frozen := f.card("2023-04-16", t1)
	expect(t, "frozen 04-16", frozen, row{"missed": 1, "level": "red"})
	if frozen["frozen_at"] == nil {
		t.Error("the frozen row does not say when it was frozen")
	}
	err = At(f.ctx, f.db, day(t, "2023-04-16"), func(q Querier) error {
		var id, status string
		if err := q.QueryRowContext(f.ctx, `SELECT violation_id, detection_status FROM mart_violations`).Scan(&id, &status); err != nil {
			return err
		}
		if id != "WP-1" || status != "missed" {
			t.Errorf("frozen violations as of 04-16: %s %s", id, status)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if bad, err := VerifyFreezes(f.ctx, f.db); err != nil || len(bad) != 0 {
		t.Fatalf("intact snapshot: %v %v", bad, err)
	}
	// a later migration adds a column to the frozen tables: the snapshot still verifies
	f.exec(`ALTER TABLE frozen_scorecards ADD COLUMN added_later INTEGER`)
	if bad, err := VerifyFreezes(f.ctx, f.db); err != nil || len(bad) != 0 {
		t.Fatalf("snapshot after a new column: %v %v", bad, err)
	}
	f.exec(`UPDATE frozen_scorecards SET missed = 0, level = 'green' WHERE township = ?`, t1)
	bad, err := VerifyFreezes(f.ctx, f.db)
	if err != nil || len(bad) != 1 {
		t.Fatalf("altered snapshot not caught: %v %v", bad, err)
	}
}

// A meter whose readings stop more than silent_days (3) before the as-of is 数据中断; one that
// stopped exactly 3 days before is not. Its alerts stay as they are. When the latest readings file
// ends before the as-of, the gap counts from its last day.
func TestPowerGaps(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.insert("raw_meters", row{"meter_id": "M-QUIET", "customer_type": "关闭矿井", "township": t1, "village": v1})
	f.insert("raw_meters", row{"meter_id": "M-EDGE", "customer_type": "居民", "township": t1, "village": v1})
	f.insert("raw_meters", row{"meter_id": "M-LIVE", "customer_type": "居民", "township": t1, "village": v1})
	f.newBatch("power")
	f.insert("raw_power_readings", row{"meter_id": "M-QUIET", "ts": "2023-04-26 10:00:00", "kwh": 5.0})
	f.insert("raw_power_readings", row{"meter_id": "M-EDGE", "ts": "2023-04-27 10:00:00", "kwh": 1.0})
	f.insert("raw_power_readings", row{"meter_id": "M-LIVE", "ts": "2023-04-30 10:00:00", "kwh": 1.0})
	f.run("2023-04-30")
	gaps := f.query(`SELECT * FROM mart_power_gaps`)
	if len(gaps) != 1 {
		t.Fatalf("gaps %v, want M-QUIET only", gaps)
	}
	expect(t, "M-QUIET", gaps[0], row{"meter_id": "M-QUIET", "last_reading_on": "2023-04-26", "days_silent": 4, "closed_mine": true})
	expect(t, "alert", f.one(`SELECT alert_id FROM mart_power_alerts`), row{"alert_id": "M-QUIET-CLM-20230426"})
	// as of 05-03 the latest readings still end on 04-30: the same one meter, counted from 04-30
	f.run("2023-05-03")
	expect(t, "05-03", f.one(`SELECT meter_id, days_silent FROM mart_power_gaps`), row{"meter_id": "M-QUIET", "days_silent": 4})
}

// When data last arrived, per kind and per township, as known at the as-of.
func TestDataFreshness(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	a := f.newBatch("patrol")
	f.patrol(t1, "2023-03-02")
	f.received(a, "2023-03-03 09:00:00")
	b := f.newBatch("patrol")
	f.patrol(t2, "2023-03-09")
	f.received(b, "2023-03-10 17:30:00")
	later := f.newBatch("patrol")
	f.patrol(t1, "2023-03-16")
	f.received(later, "2023-03-20 08:00:00")
	f.run("2023-03-19")
	got := map[string]row{}
	for _, r := range f.query(`SELECT * FROM mart_data_freshness WHERE kind = 'patrol'`) {
		k, _ := r["township"].(string)
		got[k] = r
	}
	if len(got) != 3 {
		t.Fatalf("rows %v, want the county and two townships", got)
	}
	expect(t, "county", got[""], row{"kind_name": "巡查记录", "files": 2, "last_file": "patrol-2.xlsx"})
	expect(t, t1, got[t1], row{"files": 1, "last_file": "patrol-1.xlsx"})
	expect(t, t2, got[t2], row{"files": 1})
}
