package reports

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"landwatch/campaign"
	"landwatch/queries"
)

// The look-back report asks the plan's four questions of every township, with the counts of the
// marts and the register's names.
func TestLookbackAsksFourQuestions(t *testing.T) {
	ctx := context.Background()
	db := fixtureDB(t)
	var buf bytes.Buffer
	if err := Lookback(ctx, db, fixtureAsOf, &buf); err != nil {
		t.Fatal(err)
	}
	txt := squash(pdfTool(t, buf.Bytes(), "pdftotext", "-enc", "UTF-8"))
	rows, err := db.Query(`SELECT s.township, s.missed, s.overdue_open, s.rectification_false,
		coalesce((SELECT string_agg(person, '、' ORDER BY source_row) FROM mart_register r WHERE r.township = s.township AND duty_type = '第一责任人'), '—')
		FROM mart_township_scorecard s WHERE s.as_of = ?`, fixtureAsOf)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var town, first string
		var missed, overdue, falseN int
		if err := rows.Scan(&town, &missed, &overdue, &falseN, &first); err != nil {
			t.Fatal(err)
		}
		n++
		for _, w := range []string{"第一责任人：" + first, fmt.Sprintf("（一）排查是否全面：应排漏排%d处", missed),
			fmt.Sprintf("（二）整改是否到位：整改不到位%d项，整改不实%d项", overdue, falseN), "（三）查处移送是否到位", "（四）问责处理是否到位"} {
			if !strings.Contains(txt, squash(w)) {
				t.Errorf("%s: the report lacks %q", town, w)
			}
		}
	}
	if n != 12 {
		t.Errorf("%d townships", n)
	}
	// a case closed without transfer (处罚决定 → 执行完毕 → 结案) is handled: the look-back lists none
	closed, err := staleCasesClosed(db)
	if err != nil {
		t.Fatal(err)
	}
	if len(closed) == 0 {
		t.Fatal("the fixture has no case closed without transfer a month after its discovery")
	}
	stale, err := staleCases(ctx, db, fixtureAsOf)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range stale {
		if closed[c.ID] {
			t.Errorf("closed case %s listed as not handled", c.ID)
		}
	}
	for id := range closed {
		if strings.Contains(txt, id) {
			t.Errorf("the report lists the closed case %s", id)
		}
	}
	var item string
	scan(t, db, `SELECT item_id FROM mart_accountability WHERE status <> '已处理' ORDER BY item_id LIMIT 1`, &item)
	if !strings.Contains(txt, item) {
		t.Errorf("the report lacks the open list entry %s", item)
	}
}

// The 责任分解表 export has the office spreadsheet's layout and one row per ledger item.
func TestDutiesXLSX(t *testing.T) {
	ctx := context.Background()
	db := fixtureDB(t)
	var buf bytes.Buffer
	if err := DutiesXLSX(ctx, db, fixtureAsOf, &buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("责任分解表")
	if err != nil {
		t.Fatal(err)
	}
	var items int
	scan(t, db, `SELECT count(*) FROM mart_ledger`, &items)
	if items == 0 {
		t.Fatal("the tiny county has no ledger item")
	}
	if len(rows) != items+2 || !strings.Contains(rows[0][0], "责任分解表（截至2023年4月16日）") || rows[1][3] != "问题编号" || rows[1][5] != "期别" || rows[1][8] != "责任单位" {
		t.Fatalf("%d rows for %d items; title %q header %q", len(rows), items, rows[0], rows[1])
	}
	panes, err := f.GetPanes("责任分解表")
	if err != nil || !panes.Freeze || panes.YSplit != 2 {
		t.Errorf("panes %+v %v", panes, err)
	}
	found := false
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" && strings.Contains(dn.RefersTo, "$1:$2") {
			found = true
		}
	}
	if !found {
		t.Error("no print titles")
	}
	var withDuty int
	scan(t, db, `SELECT count(*) FROM mart_duty_list WHERE duty_class IS NOT NULL`, &withDuty)
	if withDuty == 0 {
		t.Fatal("the tiny county has no item with a duty")
	}
	cfg, err := db.Config(ctx)
	if err != nil {
		t.Fatal(err)
	}
	filled := 0
	for _, r := range rows[2:] {
		if len(r) > 8 && r[8] != "" {
			filled++
			// before the 常态化 period every row is of the campaign's own table
			if r[5] != cfg.Campaign.ShortName {
				t.Errorf("row %s: 期别 %q, want %q", r[3], r[5], cfg.Campaign.ShortName)
			}
		}
	}
	if filled != withDuty {
		t.Errorf("%d rows with a unit, %d items with a duty", filled, withDuty)
	}
}

// As of the 常态化 period's end, the period's own 责任分解表 rows carry its name in 期别 and the
// campaign's rows keep the campaign's.
func TestDutiesXLSXPeriod(t *testing.T) {
	ctx := context.Background()
	db := fixtureDB(t)
	cfg, err := db.Config(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Periods) == 0 {
		t.Fatal("the configuration has no 常态化 period")
	}
	period := cfg.Periods[0]
	if _, err := queries.Run(ctx, db, queries.RunOptions{AsOf: campaign.Day(period.End)}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := DutiesXLSX(ctx, db, campaign.Day(period.End), &buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("责任分解表")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, r := range rows[2:] {
		if len(r) > 5 {
			seen[r[5]]++
		}
	}
	if seen[period.Name] == 0 || seen[cfg.Campaign.ShortName] == 0 {
		t.Errorf("期别 seen %v: want rows of %q and of %q", seen, period.Name, cfg.Campaign.ShortName)
	}
	for k := range seen {
		if k != "" && k != period.Name && k != cfg.Campaign.ShortName {
			t.Errorf("unknown 期别 %q", k)
		}
	}
}

// staleCasesClosed are the cases closed without transfer (已结案 with their 结案 stage) found at least
// StaleCaseDays before the fixture's as-of: the look-back would have listed them as 已立案 before.
func staleCasesClosed(db interface {
	Query(string, ...any) (*sql.Rows, error)
}) (map[string]bool, error) {
	rows, err := db.Query(`SELECT p.case_id FROM mart_cases_pipeline p JOIN mart_case_stages s ON s.case_id = p.case_id AND s.stage = 'closed'
		WHERE p.stage = '已结案' AND p.status = '已结案' AND s.done_on IS NOT NULL AND p.found_on <= ?`, fixtureAsOf.AddDate(0, 0, -StaleCaseDays))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}
