package queries

import (
	"strings"
	"testing"
)

// chainFixture: 郭道镇 with one rectified problem at a point, registers and the patrols of every
// week, so that the level reacts only to what a test adds.
func chainFixture(t *testing.T) *fixture {
	f := newFixture(t)
	f.patrol("郭道镇", patrolDays...)
	f.patrol("郭道镇", "2023-05-03", "2023-05-10")
	return f
}

// 整改不实 reopens an item from the re-inspection's date (as known then): it is no longer
// rectified, its earlier rectification no longer counts as on time, the scorecard counts it in
// rectification_false and reasons, and the level is at least yellow.
func TestRecheckFalseReopens(t *testing.T) {
	t.Parallel()
	f := chainFixture(t)
	f.problem("P1", "郭道镇", "郭道村", "2023-03-10", nil)
	f.rectified("P1", "2023-04-10")
	b := f.newBatch("rechecks")
	f.received(b, "2023-05-06 09:00")
	f.insert("raw_rechecks", row{"item_id": "P1", "rechecked_on": "2023-05-05", "inspector": "王五", "result": "整改不实"})

	f.run("2023-05-05") // the re-inspection is dated 05-05 but reached the county on 05-06
	expect(t, "as of 05-05", f.one(`SELECT * FROM mart_ledger WHERE item_id = 'P1'`),
		row{"rectified_on": "2023-04-10", "on_time": true, "overdue": false, "reopened_on": nil})
	expect(t, "card 05-05", f.card("2023-05-05", "郭道镇"), row{"rectification_false": 0, "rectified_on_time": 1, "level": "green"})

	f.run("2023-05-07")
	expect(t, "as of 05-07", f.one(`SELECT * FROM mart_ledger WHERE item_id = 'P1'`),
		row{"rectified_on": nil, "on_time": false, "overdue": true, "reopened_on": "2023-05-05", "status_as_of": "未整改"})
	expect(t, "card 05-07", f.card("2023-05-07", "郭道镇"), row{"rectification_false": 1, "rectified_on_time": 0,
		"overdue_open": 1, "reasons": "整改不到位1项；整改不实1项"})
	if lvl := f.card("2023-05-07", "郭道镇")["level"]; lvl == "green" {
		t.Errorf("level %v with 整改不实", lvl)
	}
	// the earlier weeks keep their figures
	expect(t, "card 04-30 rebuilt", f.card("2023-04-30", "郭道镇"), row{"rectification_false": 0, "rectified_on_time": 1})

	// rectified again after the re-inspection: rectified, but late, and still counted as 整改不实
	f.newBatch("rectification")
	f.rectified("P1", "2023-05-10")
	f.run("2023-05-14")
	expect(t, "as of 05-14", f.one(`SELECT * FROM mart_ledger WHERE item_id = 'P1'`),
		row{"rectified_on": "2023-05-10", "on_time": false, "overdue": false, "reopened_on": "2023-05-05"})
	expect(t, "card 05-14", f.card("2023-05-14", "郭道镇"), row{"rectification_false": 1, "overdue_open": 0, "reasons": "整改不实1项", "level": "red"})
}

// An item's own 整改时限 in the 责任分解表 replaces the default deadline in every figure, from the
// table's arrival.
func TestDutyDeadline(t *testing.T) {
	t.Parallel()
	f := chainFixture(t)
	f.problem("P2", "郭道镇", "郭道村", "2023-03-10", nil) // rectified 04-10: late for 04-05
	f.problem("P3", "郭道镇", "郭道村", "2023-03-10", nil) // rectified 04-20: on time for 04-25
	f.problem("P4", "郭道镇", "郭道村", "2023-03-10", nil) // open, due 05-10
	f.rectified("P2", "2023-04-10")
	f.rectified("P3", "2023-04-20")
	b := f.newBatch("duties")
	f.received(b, "2023-03-24 10:00")
	f.insert("raw_duties", row{"item_id": "P2", "class": "重点", "unit": "县自然资源局", "person": "郭永强", "deadline": "2023-04-05"})
	f.insert("raw_duties", row{"item_id": "P3", "class": "一般", "unit": "县公安局", "deadline": "2023-04-25"})
	f.insert("raw_duties", row{"item_id": "P4", "class": "一般", "unit": "县公安局", "deadline": "2023-05-10"})
	// P2 is 重点: it counts as rectified once 自然资源 accepts it (TestAcceptanceDeadline)
	f.received(f.newBatch("acceptances"), "2023-04-12 10:00")
	f.insert("raw_acceptances", row{"item_id": "P2", "accepted_on": "2023-04-12", "unit": "县自然资源局", "inspector": "郭永强", "result": "合格"})

	f.run("2023-04-30")
	for _, c := range []struct {
		id   string
		want row
	}{
		{"P2", row{"deadline": "2023-04-05", "on_time": false, "overdue": false}},
		{"P3", row{"deadline": "2023-04-25", "on_time": true, "overdue": false}},
		{"P4", row{"deadline": "2023-05-10", "on_time": false, "overdue": false}},
	} {
		expect(t, c.id, f.one(`SELECT * FROM mart_ledger WHERE item_id = ?`, c.id), c.want)
	}
	expect(t, "card", f.card("2023-04-30", "郭道镇"), row{"ledger_due": 2, "rectified_on_time": 1, "overdue_open": 0})
	expect(t, "duty list", f.one(`SELECT * FROM mart_duty_list WHERE item_id = 'P2'`),
		row{"duty_class": "重点", "duty_unit": "县自然资源局", "unit_short": "自然资源", "duty_person": "郭永强",
			"deadline": "2023-04-05", "default_deadline": "2023-04-15"})
	// before the table arrived, the default deadlines held
	expect(t, "card 03-19", f.card("2023-03-19", "郭道镇"), row{"ledger_due": 0})
	f.run("2023-03-23")
	expect(t, "P3 as of 03-23", f.one(`SELECT * FROM mart_ledger WHERE item_id = 'P3'`), row{"deadline": "2023-04-15"})
	// P4 passes its own deadline
	f.run("2023-05-14")
	expect(t, "P4 as of 05-14", f.one(`SELECT * FROM mart_ledger WHERE item_id = 'P4'`), row{"overdue": true})
}

// The accountability list names, per item, whoever the register named on the item's date; the
// transfer and outcome columns show what was recorded by the as-of.
func TestAccountabilityNames(t *testing.T) {
	t.Parallel()
	f := chainFixture(t)
	r1 := f.newBatch("responsibilities")
	f.received(r1, "2023-03-01 09:00")
	for _, r := range []row{
		{"township": "郭道镇", "person": "王一", "duty_type": "第一责任人", "post": "镇长"},
		{"township": "郭道镇", "person": "周六", "duty_type": "分管领导"},
		{"township": "郭道镇", "village": "郭道村", "person": "张三", "duty_type": "直接责任人"},
		{"township": "郭道镇", "village": "郭道村", "person": "赵四", "duty_type": "包村干部"},
	} {
		f.insert("raw_responsibilities", r)
	}
	r2 := f.newBatch("responsibilities")
	f.received(r2, "2023-04-20 09:00")
	for _, r := range []row{
		{"township": "郭道镇", "person": "王二", "duty_type": "第一责任人"},
		{"township": "郭道镇", "village": "郭道村", "person": "张三", "duty_type": "直接责任人"},
		{"township": "郭道镇", "village": "郭道村", "person": "钱五", "duty_type": "包村干部"},
	} {
		f.insert("raw_responsibilities", r)
	}
	f.patch("WP-M", "郭道镇", "郭道村", "2023-03-02", 112.18, 36.79, nil) // missed
	f.problem("P5", "郭道镇", "郭道村", "2023-03-10", nil)                // overdue
	f.patch("WP-N", "郭道镇", "郭道村", "2023-04-25", 112.19, 36.80, nil) // new after rectification
	f.received(f.newBatch("inspection"), "2023-03-05 18:00")
	f.insert("raw_inspections", row{"problem_id": "X1", "township": "郭道镇", "village": "郭道村", "level": "村级",
		"is_problem": false, "reported_on": "2023-03-05", "category_inferred": false, "cadre_signed": "李四"})
	f.exec(`INSERT INTO accountability_transfers VALUES (1, 'WP-M', DATE '2023-04-23', DATE '2023-04-28', 'office', NULL, TIMESTAMP '2023-04-28 10:00')`)
	f.exec(`INSERT INTO accountability_outcomes VALUES (2, 'WP-M', '诫勉', DATE '2023-05-03', '沁纪〔2023〕5号', 'office', NULL, TIMESTAMP '2023-05-03 10:00')`)

	f.run("2023-04-30")
	got := f.query(`SELECT item_id, reason, names_on, first_responsible, leader_in_charge, direct_responsible, village_cadre, status, transferred_on, outcome
		FROM mart_accountability ORDER BY item_id, reason`)
	want := []row{
		{"item_id": "P5", "reason": "整改不到位", "names_on": "2023-04-15", "first_responsible": "王一", "leader_in_charge": "周六", "direct_responsible": "张三", "village_cadre": "赵四", "status": "待移交"},
		{"item_id": "WP-M", "reason": "应排漏排", "names_on": "2023-03-14", "first_responsible": "王一", "village_cadre": "赵四", "status": "已移交", "transferred_on": "2023-04-28", "outcome": nil},
		// the missed patch is also an overdue ledger item of its own
		{"item_id": "WP-M", "reason": "整改不到位", "names_on": "2023-04-15", "first_responsible": "王一", "status": "已移交"},
		{"item_id": "WP-N", "reason": "属地新增", "names_on": "2023-04-25", "first_responsible": "王二", "leader_in_charge": nil, "direct_responsible": "张三", "village_cadre": "钱五", "status": "待移交"},
	}
	if len(got) != len(want) {
		t.Fatalf("list: %v", got)
	}
	for i := range want {
		expect(t, want[i]["item_id"].(string)+" "+want[i]["reason"].(string), got[i], want[i])
	}
	warn := f.query(`SELECT kind, village, signed, registered FROM mart_register_warnings WHERE township = '郭道镇' AND kind = '包村干部不符'`)
	if len(warn) != 1 || warn[0]["signed"] != "李四" || warn[0]["registered"] != "赵四" {
		t.Errorf("register warnings: %v", warn)
	}
	f.run("2023-05-07")
	expect(t, "as of 05-07", f.one(`SELECT * FROM mart_accountability WHERE item_id = 'WP-M' AND reason = '应排漏排'`),
		row{"status": "已处理", "outcome": "诫勉", "outcome_on": "2023-05-03", "document_no": "沁纪〔2023〕5号"})
}

// 复发 in a re-inspection is a recurrence: a new violation first seen on the re-inspection date,
// recurrence_of the item, 属地新增, with a ledger item of its own.
func TestRecheckRecurrence(t *testing.T) {
	t.Parallel()
	f := chainFixture(t)
	f.problem("P6", "郭道镇", "郭道村", "2023-03-10", row{"lon": 112.18, "lat": 36.79})
	f.rectified("P6", "2023-04-01")
	f.patch("WP-7", "郭道镇", "郭道村", "2023-03-02", 112.20, 36.81, nil)
	f.rectified("WP-7", "2023-04-01")
	b := f.newBatch("rechecks")
	f.received(b, "2023-05-07 09:00")
	f.insert("raw_rechecks", row{"item_id": "P6", "rechecked_on": "2023-05-06", "result": "复发"})
	f.insert("raw_rechecks", row{"item_id": "WP-7", "rechecked_on": "2023-05-06", "result": "复发"})
	f.run("2023-05-07")
	got := f.query(`SELECT violation_id, first_seen, recurrence_of, detection_status, sources FROM mart_violations ORDER BY violation_id`)
	want := []row{
		{"violation_id": "P6-复发-20230506", "first_seen": "2023-05-06", "recurrence_of": "P6", "detection_status": "new_after_rectification", "sources": "复查"},
		{"violation_id": "WP-7", "recurrence_of": nil, "detection_status": "missed"},
		{"violation_id": "WP-7-复发-20230506", "first_seen": "2023-05-06", "recurrence_of": "WP-7", "detection_status": "new_after_rectification"},
	}
	if len(got) != len(want) {
		t.Fatalf("violations: %v", got)
	}
	for i := range want {
		expect(t, want[i]["violation_id"].(string), got[i], want[i])
	}
	expect(t, "recurrence item", f.one(`SELECT * FROM mart_ledger WHERE item_id = 'P6-复发-20230506'`), row{"kind": "violation", "deadline": "2023-06-05"})
	expect(t, "card", f.card("2023-05-07", "郭道镇"), row{"new_after_rectification": 2})
	expect(t, "evidence", f.one(`SELECT * FROM mart_evidence WHERE record_id = 'P6-复发-20230506'`), row{"channel": "复查", "township": "郭道镇"})
}

// A 常态化 period's 责任分解表 (期别 set) leaves the campaign's table in force: the campaign's items
// keep their 整改时限 and unit after it arrives, while a revised campaign table replaces the
// campaign's rows only. The data test duties_one_table_per_period holds throughout.
func TestDutiesOfAPeriod(t *testing.T) {
	f := chainFixture(t)
	f.problem("P2", "郭道镇", "郭道村", "2023-03-10", nil)
	f.problem("P3", "郭道镇", "郭道村", "2023-03-10", nil)
	f.received(f.newBatch("duties"), "2023-03-24 10:00")
	f.insert("raw_duties", row{"item_id": "P2", "class": "一般", "unit": "县自然资源局", "deadline": "2023-04-05"})
	f.insert("raw_duties", row{"item_id": "P3", "class": "一般", "unit": "县公安局", "deadline": "2023-04-25"})
	f.received(f.newBatch("duties"), "2023-05-02 10:00") // the period's table
	f.insert("raw_duties", row{"item_id": "Q1", "class": "一般", "unit": "县农业农村局", "deadline": "2024-03-31", "period": "2024年第一季度常态化排查整治"})

	f.run("2023-05-07") // fails on a failing data test
	expect(t, "P2 after the period's table", f.one(`SELECT deadline, duty_unit FROM mart_duty_list WHERE item_id = 'P2'`),
		row{"deadline": "2023-04-05", "duty_unit": "县自然资源局"})
	expect(t, "known rows", f.one(`SELECT count(*) FILTER (WHERE period IS NULL) AS campaign, count(*) FILTER (WHERE period IS NOT NULL) AS period
		FROM stg_forms__duties WHERE known_until IS NULL`), row{"campaign": 2, "period": 1})

	// a revised campaign table replaces the campaign's rows (P3 is no longer in it), not the period's
	f.received(f.newBatch("duties"), "2023-05-06 10:00")
	f.insert("raw_duties", row{"item_id": "P2", "class": "一般", "unit": "县公安局", "deadline": "2023-04-10"})
	f.run("2023-05-07")
	expect(t, "P2 revised", f.one(`SELECT deadline, duty_unit FROM mart_duty_list WHERE item_id = 'P2'`),
		row{"deadline": "2023-04-10", "duty_unit": "县公安局"})
	expect(t, "P3 revised away", f.one(`SELECT deadline, duty_unit FROM mart_duty_list WHERE item_id = 'P3'`),
		row{"deadline": "2023-04-15", "duty_unit": nil})
	expect(t, "known rows revised", f.one(`SELECT count(*) FILTER (WHERE period IS NULL) AS campaign, count(*) FILTER (WHERE period IS NOT NULL) AS period
		FROM stg_forms__duties WHERE known_until IS NULL`), row{"campaign": 1, "period": 1})

	// the data test catches two campaign tables in force at once (as the former rule, a period's
	// table ending the campaign's, would not; here every file is kept in force)
	body, err := sqlFS.ReadFile("tests/duties_one_table_per_period.sql")
	if err != nil {
		t.Fatal(err)
	}
	q := strings.Replace(string(body), "FROM stg_forms__duties",
		"FROM (SELECT * REPLACE (CAST(NULL AS TIMESTAMP) AS known_until) FROM stg_forms__duties)", 1)
	if q == string(body) {
		t.Fatal("the data test no longer reads stg_forms__duties")
	}
	if got := f.query(q); len(got) != 1 || got[0]["period"] != nil {
		t.Errorf("duties_one_table_per_period on two campaign tables both in force: %v, want the campaign's overlap", got)
	}
}
