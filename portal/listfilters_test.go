package portal

import (
	"context"
	"fmt"
	"html"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"landwatch/campaign"
	"landwatch/portal/view"
	"landwatch/store/accounts"
	"landwatch/store/notify"
)

// tableRows are the cells' texts of every data row of the table with id (a list's rows).
func tableRows(t *testing.T, body, id string) [][]string {
	t.Helper()
	i := strings.Index(body, `<table id="`+id+`"`)
	if i < 0 {
		t.Fatalf("no table %s in the page:\n%.1500s", id, body)
	}
	table := body[i : i+strings.Index(body[i:], "</table>")]
	var out [][]string
	for _, tr := range regexp.MustCompile(`(?s)<tr>(.*?)</tr>`).FindAllStringSubmatch(table, -1) {
		if strings.Contains(tr[1], "<th>") || strings.Contains(tr[1], "colspan") {
			continue
		}
		out = append(out, cellsOf(tdRe, tr[1]))
	}
	return out
}

// column is column i of rows, sorted.
func column(rows [][]string, i int) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r[i])
	}
	slices.Sort(out)
	return out
}

// countIn reads the count a page states with pattern (one group of digits).
func countIn(t *testing.T, body, pattern string) int {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("the page does not state %s:\n%.2000s", pattern, body)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// exportOf fetches a list's export and checks its Chinese header; the rows follow it.
func exportOf(t *testing.T, c staffClient, path string, header []string) [][]string {
	t.Helper()
	resp, body := c.get(path)
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("%s: %d %s", path, resp.StatusCode, resp.Header.Get("Content-Disposition"))
	}
	rows := xlsxRows(t, body)
	if len(rows) == 0 || !slices.Equal(rows[0], header) {
		t.Fatalf("%s: header %v, want %v", path, rows, header)
	}
	for _, r := range rows {
		for _, v := range r {
			if v == "true" || v == "false" || strings.HasPrefix(v, "mart_") {
				t.Fatalf("%s: a code in row %v", path, r)
			}
		}
	}
	return rows[1:]
}

// exportLink is the page's export link, as the browser follows it.
func exportLink(t *testing.T, body, path string) string {
	t.Helper()
	m := regexp.MustCompile(`href="(` + regexp.QuoteMeta(path) + `[^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no export link %s on the page", path)
	}
	return html.UnescapeString(m[1])
}

// refused: a filter value the page does not offer is refused in Chinese on the page and its export.
func refused(t *testing.T, c staffClient, page, export, query string) {
	t.Helper()
	if resp, body := c.get(page + "?" + query); resp.StatusCode != 400 || !strings.Contains(body, `class="error"`) {
		t.Errorf("%s?%s: %d, want 400 with the reason", page, query, resp.StatusCode)
	}
	if resp, _ := c.get(export + "?" + query); resp.StatusCode != 400 {
		t.Errorf("%s?%s: %d, want 400", export, query, resp.StatusCode)
	}
}

// TestListsFilteredExported: 用电户, 用电预警, 通知 and 审计日志 are filtered like the mart pages: a
// filter narrows the rows to those the warehouse holds for it, the page links the export with the
// same filters, and the export (Chinese headings) holds exactly the filtered rows, every page of
// them; a value not offered is refused; a township's account stays in its township.
func TestListsFilteredExported(t *testing.T) {
	t.Parallel()
	e := tinyEnv(t)
	office := e.staffAs(accounts.RoleOffice, "")
	town := "郭道镇"

	t.Run("meters", func(t *testing.T) {
		header := []string{"户号", "户名", "用电类别", "乡镇", "村", "预警", "未核查预警", "终止供电"}
		all := e.count(`SELECT count(DISTINCT meter_id) FROM stg_power__meters WHERE known_until IS NULL`)
		_, body := office.get("/staff/power/meters")
		if n := countIn(t, body, `共 (\d+) 户。`); n != all || len(tableRows(t, body, "meters")) != min(all, view.PageSize) {
			t.Fatalf("unfiltered: %d meters stated, %d rows, want %d", n, len(tableRows(t, body, "meters")), all)
		}
		if rows := exportOf(t, office, exportLink(t, body, "/staff/export/meters.xlsx"), header); len(rows) != all {
			t.Errorf("unfiltered export: %d rows, want %d", len(rows), all)
		}
		var typ string
		e.db.QueryRow(`SELECT customer_type FROM stg_power__meters WHERE known_until IS NULL AND township = ? GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`, town).Scan(&typ)
		want := e.count(`SELECT count(DISTINCT meter_id) FROM stg_power__meters WHERE known_until IS NULL AND township = ? AND customer_type = ?`, town, typ)
		if want == 0 || want == all {
			t.Fatalf("the filter selects %d of %d meters in the tiny county: pick another", want, all)
		}
		_, body = office.get("/staff/power/meters?township=" + urlq(town) + "&type=" + urlq(typ))
		shown := tableRows(t, body, "meters")
		if n := countIn(t, body, `共 (\d+) 户。`); n != want || len(shown) != min(want, view.PageSize) {
			t.Fatalf("filtered: %d stated, %d rows, want %d", n, len(shown), want)
		}
		link := exportLink(t, body, "/staff/export/meters.xlsx")
		if !strings.Contains(link, "township=") || !strings.Contains(link, "type=") {
			t.Errorf("the export link %s does not carry the filters", link)
		}
		rows := exportOf(t, office, link, header)
		if len(rows) != want {
			t.Fatalf("filtered export: %d rows, want %d", len(rows), want)
		}
		for _, r := range rows {
			if r[2] != typ || r[3] != town {
				t.Fatalf("export row %v outside the filter", r)
			}
		}
		if want <= view.PageSize && !slices.Equal(column(rows, 0), column(shown, 1)) {
			t.Errorf("the export's meters %v are not the page's %v", column(rows, 0), column(shown, 1))
		}
		// only meters with unchecked alerts
		open := e.count(`SELECT count(DISTINCT meter_id) FROM mart_power_alerts WHERE check_result IS NULL`)
		if rows := exportOf(t, office, "/staff/export/meters.xlsx?open=1", header); len(rows) != open {
			t.Errorf("meters with unchecked alerts: %d exported, want %d", len(rows), open)
		}
		refused(t, office, "/staff/power/meters", "/staff/export/meters.xlsx", "type="+urlq("' OR 1=1 --"))
		refused(t, office, "/staff/power/meters", "/staff/export/meters.xlsx", "township="+urlq("火星镇"))
		tu := e.staffAs(accounts.RoleTownship, "沁河镇")
		rows = exportOf(t, tu, "/staff/export/meters.xlsx?township="+urlq(town), header)
		if len(rows) != e.count(`SELECT count(DISTINCT meter_id) FROM stg_power__meters WHERE known_until IS NULL AND township = '沁河镇'`) {
			t.Errorf("a township's export: %d rows", len(rows))
		}
		for _, r := range rows {
			if r[3] != "沁河镇" {
				t.Fatalf("a township's export holds %v", r)
			}
		}
	})

	t.Run("alerts", func(t *testing.T) {
		header := []string{"核查结果", "预警编号", "终止供电", "核查期限", "逾期", "户号", "乡镇", "村", "用电类别", "规则", "首日", "末日", "核查日期"}
		all := e.count(`SELECT count(*) FROM mart_power_alerts`)
		_, body := office.get("/staff/power")
		if n := len(tableRows(t, body, "alerts")); n != min(all, view.PageSize) {
			t.Fatalf("unfiltered: %d rows, want %d", n, min(all, view.PageSize))
		}
		if rows := exportOf(t, office, exportLink(t, body, "/staff/export/alerts.xlsx"), header); len(rows) != all {
			t.Errorf("unfiltered export: %d rows, want %d", len(rows), all)
		}
		// the most frequent township, result and rule together
		var atown, result, rule string
		var want int
		if err := e.db.QueryRow(`SELECT township, coalesce(check_result, '未核查') AS r, rule, count(*) AS n FROM mart_power_alerts
			WHERE township IS NOT NULL GROUP BY ALL ORDER BY n DESC, township, r, rule LIMIT 1`).Scan(&atown, &result, &rule, &want); err != nil {
			t.Fatal(err)
		}
		if want == 0 || want == all {
			t.Fatalf("the filter selects %d of %d alerts in the tiny county: pick another", want, all)
		}
		q := "?township=" + urlq(atown) + "&result=" + urlq(result) + "&rule=" + urlq(campaign.Label("rule", rule))
		_, body = office.get("/staff/power" + q)
		shown := tableRows(t, body, "alerts")
		if n := countIn(t, body, `符合筛选条件的预警 (\d+) 条`); n != want || len(shown) != min(want, view.PageSize) {
			t.Fatalf("filtered: %d stated, %d rows, want %d", n, len(shown), want)
		}
		rows := exportOf(t, office, exportLink(t, body, "/staff/export/alerts.xlsx"), header)
		if len(rows) != want {
			t.Fatalf("filtered export: %d rows, want %d", len(rows), want)
		}
		ruleName := rows[0][9]
		for _, r := range rows {
			if r[0] != result || r[6] != atown || r[9] != ruleName || r[9] == rule {
				t.Fatalf("export row %v outside the filter (or the rule as a code)", r)
			}
		}
		if want <= view.PageSize && !slices.Equal(column(rows, 1), column(shown, 1)) {
			t.Errorf("the export's alerts %v are not the page's %v", column(rows, 1), column(shown, 1))
		}
		late := e.count(`SELECT count(*) FROM mart_power_alerts WHERE check_late`)
		if rows := exportOf(t, office, "/staff/export/alerts.xlsx?late=true", header); len(rows) != late {
			t.Errorf("late alerts: %d exported, want %d", len(rows), late)
		}
		refused(t, office, "/staff/power", "/staff/export/alerts.xlsx", "rule="+rule) // the code is not a value the page offers
		refused(t, office, "/staff/power", "/staff/export/alerts.xlsx", "late=maybe")
		refused(t, office, "/staff/power", "/staff/export/alerts.xlsx", "result="+urlq("' OR 1=1 --"))
		tu := e.staffAs(accounts.RoleTownship, "沁河镇")
		for _, r := range exportOf(t, tu, "/staff/export/alerts.xlsx?township="+urlq(town), header) {
			if r[6] != "沁河镇" {
				t.Fatalf("a township's export holds %v", r)
			}
		}
	})

	t.Run("notifications", func(t *testing.T) {
		header := []string{"时间", "类别", "内容", "状态"}
		ctx := context.Background()
		kinds := []string{notify.KindAssigned, notify.KindOverdue, notify.KindAnswered}
		for i := range 60 {
			n := notify.Notice{To: notify.To{Role: accounts.RoleOffice}, Kind: kinds[i%3], Ref: fmt.Sprint(i), Body: fmt.Sprintf("测试通知第%d条", i),
				Link: "/staff/", Created: time.Date(2023, 4, 1, 8, i, 0, 0, time.UTC)}
			if _, err := notify.Send(ctx, e.db, n); err != nil {
				t.Fatal(err)
			}
		}
		other := notify.Notice{To: notify.To{Role: accounts.RoleTownship, Scope: town}, Kind: notify.KindOverdue, Ref: "x", Body: "别处的通知",
			Link: "/staff/", Created: time.Date(2023, 4, 2, 8, 0, 0, 0, time.UTC)}
		if _, err := notify.Send(ctx, e.db, other); err != nil {
			t.Fatal(err)
		}
		mine := e.count(`SELECT count(*) FROM notifications WHERE role = 'office'`)
		// two overdue notices read
		for _, body := range []string{"测试通知第1条", "测试通知第4条"} {
			var id int64
			e.db.QueryRow(`SELECT notice_id FROM notifications WHERE body = ?`, body).Scan(&id)
			if resp, _ := office.post("/staff/notifications/read", map[string]string{"id": fmt.Sprint(id)}); resp.StatusCode != 303 {
				t.Fatalf("read %s: %d", body, resp.StatusCode)
			}
		}
		_, body := office.get("/staff/notifications")
		if rows := exportOf(t, office, exportLink(t, body, "/staff/export/notifications.xlsx"), header); len(rows) != mine {
			t.Errorf("unfiltered export: %d rows, want %d", len(rows), mine)
		}
		overdue := e.count(`SELECT count(*) FROM notifications WHERE role = 'office' AND kind = 'overdue'`)
		_, body = office.get("/staff/notifications?kind=overdue&read=false")
		shown := regexp.MustCompile(`测试通知第\d+条`).FindAllString(body, -1)
		if len(shown) != overdue-2 || strings.Contains(body, "测试通知第1条") || strings.Contains(body, "别处的通知") {
			t.Fatalf("unread overdue notices: %d shown, want %d", len(shown), overdue-2)
		}
		rows := exportOf(t, office, exportLink(t, body, "/staff/export/notifications.xlsx"), header)
		var bodies []string
		for _, r := range rows {
			if r[1] != "逾期" || r[3] != "未读" {
				t.Fatalf("export row %v outside the filter", r)
			}
			bodies = append(bodies, r[2])
		}
		slices.Sort(bodies)
		slices.Sort(shown)
		if !slices.Equal(bodies, shown) {
			t.Errorf("the export's notices %v are not the page's %v", bodies, shown)
		}
		if rows := exportOf(t, office, "/staff/export/notifications.xlsx?read=true", header); len(rows) != 2 {
			t.Errorf("read notices: %d exported, want 2", len(rows))
		}
		refused(t, office, "/staff/notifications", "/staff/export/notifications.xlsx", "kind=spam")
		refused(t, office, "/staff/notifications", "/staff/export/notifications.xlsx", "read=1")
	})

	t.Run("audit", func(t *testing.T) {
		header := []string{"序号", "时间", "操作人", "操作", "记录"}
		e.addUser("auditor1", accounts.RoleDiscipline, "")
		for i := range 7 {
			if err := e.srv.Audit(context.Background(), "auditor1", "power.cutoff_ordered", fmt.Sprintf("M-%d", i), map[string]any{"cutoff_on": "2023-04-01"}); err != nil {
				t.Fatal(err)
			}
		}
		all := e.count(`SELECT count(*) FROM audit_log`)
		_, body := office.get("/staff/audit")
		if rows := exportOf(t, office, exportLink(t, body, "/staff/export/audit.xlsx"), header); len(rows) != all {
			t.Errorf("unfiltered export: %d rows, want %d", len(rows), all)
		}
		if all <= 7 {
			t.Fatalf("only %d audit entries: the filter would not narrow", all)
		}
		_, body = office.get("/staff/audit?action=" + urlq("下令终止供电"))
		if n := countIn(t, body, `符合筛选条件的 (\d+) 条`); n != 7 {
			t.Fatalf("entries of one action: %d, want 7", n)
		}
		shown := tableRows(t, body, "audit")
		rows := exportOf(t, office, exportLink(t, body, "/staff/export/audit.xlsx"), header)
		if len(rows) != 7 || !slices.Equal(column(rows, 0), column(shown, 0)) {
			t.Fatalf("export %v, page %v", column(rows, 0), column(shown, 0))
		}
		for _, r := range rows {
			if r[3] != "下令终止供电" || !strings.Contains(r[4], "终止户号") {
				t.Fatalf("export row %v outside the filter", r)
			}
		}
		// by the person (the account that acted, in words): its entries, and only those
		person := rows[0][2]
		byPerson := exportOf(t, office, "/staff/export/audit.xlsx?actor="+urlq(person), header)
		if len(byPerson) != 7 {
			t.Errorf("entries of %s: %d of %d", person, len(byPerson), all)
		}
		for _, r := range byPerson {
			if r[2] != person {
				t.Fatalf("entry %v is not %s's", r, person)
			}
		}
		// by day: nothing after today, everything from long ago
		if rows := exportOf(t, office, "/staff/export/audit.xlsx?since=2999-01-01", header); len(rows) != 0 {
			t.Errorf("entries after 2999-01-01: %d", len(rows))
		}
		if rows := exportOf(t, office, "/staff/export/audit.xlsx?since=2000-01-01&action="+urlq("下令终止供电")+"", header); len(rows) != 7 {
			t.Errorf("entries since 2000 of one action: %d", len(rows))
		}
		refused(t, office, "/staff/audit", "/staff/export/audit.xlsx", "action=power.cutoff_ordered")
		refused(t, office, "/staff/audit", "/staff/export/audit.xlsx", "actor="+urlq("无此人"))
		refused(t, office, "/staff/audit", "/staff/export/audit.xlsx", "since=2023-13-01")
		refused(t, office, "/staff/audit", "/staff/export/audit.xlsx", "since=2023-04-02&until=2023-04-01")
	})
}
