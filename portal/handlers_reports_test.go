package portal

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"landwatch/queries"
	"landwatch/store/accounts"
)

// TestReportsRoutes builds the marts on the tiny county and walks the reports' pages by role.
func TestReportsRoutes(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("loads the tiny county")
	}
	e := tinyLoadedEnv(t)
	ctx := context.Background()
	anon := staffClient{e: e}

	// Loaded, before the models run, the public page says nothing is published.
	resp, body := anon.get("/stats")
	if resp.StatusCode != 200 || !strings.Contains(body, "尚未发布") {
		t.Fatalf("/stats before publishing: %d %s", resp.StatusCode, body)
	}
	if resp, _ := anon.get("/stats/tips.csv"); resp.StatusCode != 404 {
		t.Errorf("CSV before publishing: %d", resp.StatusCode)
	}
	if _, err := queries.Run(ctx, e.db, queries.RunOptions{AsOf: time.Date(2023, 4, 16, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}

	// The script is served by the binary.
	resp, body = anon.get("/assets/reports/echarts.min.js")
	if resp.StatusCode != 200 || len(body) < 500_000 {
		t.Errorf("echarts.min.js: %d, %d bytes", resp.StatusCode, len(body))
	}

	// Media reviews and publishes; the office may review but not publish.
	media := e.staffAs(accounts.RoleMedia, "")
	office := e.staffAs(accounts.RoleOffice, "")
	if resp, body := media.get("/staff/publish/preview"); resp.StatusCode != 200 || !strings.Contains(body, "尚未公开") {
		t.Errorf("preview: %d", resp.StatusCode)
	}
	if resp, _ := office.post("/staff/publish", nil); resp.StatusCode != 403 {
		t.Errorf("office publishing: %d", resp.StatusCode)
	}
	if resp, body := media.post("/staff/publish", nil); resp.StatusCode != 200 || !strings.Contains(body, "已发布截至2023-04-16") {
		t.Fatalf("publish: %d %s", resp.StatusCode, body)
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE action = 'stats.published'`); n != 1 {
		t.Errorf("%d audit entries for the publication", n)
	}
	resp, body = anon.get("/stats")
	csp := resp.Header.Get("Content-Security-Policy")
	m := regexp.MustCompile(`'nonce-([A-Za-z0-9_-]+)'`).FindStringSubmatch(csp)
	if resp.StatusCode != 200 || m == nil || !strings.Contains(body, `<script nonce="`+m[1]+`">`) || !strings.Contains(body, "发布日期") {
		t.Errorf("/stats after publishing: %d, CSP %q", resp.StatusCode, csp)
	}
	resp, body = anon.get("/stats/tips.csv")
	if resp.StatusCode != 200 || !strings.HasPrefix(body, "\ufeff统计周,起始日,受理举报") || resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" {
		t.Errorf("tips.csv: %d %q", resp.StatusCode, body)
	}

	// The office writes the briefing; the leader reads it; a township may not.
	if resp, body := office.post("/staff/briefings", nil); resp.StatusCode != 200 || !strings.Contains(body, "briefing-20230416.pdf") || strings.Contains(body, "W15") {
		t.Fatalf("write briefing: %d %s", resp.StatusCode, body)
	}
	leader := e.staffAs(accounts.RoleLeader, "")
	resp, body = leader.get("/staff/briefings/briefing-20230416.pdf")
	if resp.StatusCode != 200 || !strings.HasPrefix(body, "%PDF-") {
		t.Errorf("briefing download: %d", resp.StatusCode)
	}
	// downloaded by its week's dates, never an ISO week number
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, "filename*=UTF-8''"+url.PathEscape("工作周报-20230410至0416.pdf")) {
		t.Errorf("briefing download name: %q", cd)
	}
	if resp, _ := leader.get("/staff/briefings/..%2Fw.duckdb"); resp.StatusCode != 404 {
		t.Errorf("path outside the folder: %d", resp.StatusCode)
	}
	town := e.staffAs(accounts.RoleTownship, "沁河镇")
	if resp, _ := town.get("/staff/briefings"); resp.StatusCode != 403 {
		t.Errorf("township on briefings: %d", resp.StatusCode)
	}

	// Dossiers are for discipline (and the office) only.
	disc := e.staffAs(accounts.RoleDiscipline, "")
	resp, body = disc.get("/staff/dossier/" + url.PathEscape("韩洪乡"))
	if resp.StatusCode != 200 || !strings.HasPrefix(body, "%PDF-") {
		t.Errorf("dossier: %d", resp.StatusCode)
	}
	if resp, _ := leader.get("/staff/dossier/" + url.PathEscape("韩洪乡")); resp.StatusCode != 403 {
		t.Errorf("leader on dossier: %d", resp.StatusCode)
	}

	// A township sees its own township's dashboard only.
	resp, body = town.get("/staff/charts")
	if resp.StatusCode != 200 || !strings.Contains(body, "沁河镇专项行动工作看板") || strings.Contains(body, "每周新增线索") ||
		strings.Contains(body, "韩洪乡") {
		t.Errorf("township dashboard: %d", resp.StatusCode)
	}
	resp, body = leader.get("/staff/charts")
	if resp.StatusCode != 200 || !strings.Contains(body, "每周新增线索") || !strings.Contains(body, "韩洪乡") {
		t.Errorf("leader dashboard: %d", resp.StatusCode)
	}
}
