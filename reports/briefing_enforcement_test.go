package reports

import (
	"fmt"
	"strings"
	"testing"
)

// TestWeeklyEnforcementSection: the briefing's 发现一起、查处一起 section lists the speed figures of
// mart_enforcement_speed as they stand in the mart, and the overdue stages per unit.
func TestWeeklyEnforcementSection(t *testing.T) {
	pdf := renderWeekly(t)
	txt := squash(pdfTool(t, pdf, "pdftotext", "-enc", "UTF-8"))
	if !strings.Contains(txt, squash("十、发现一起、查处一起")) {
		t.Fatal("briefing lacks the enforcement section")
	}
	db := fixtureDB(t)
	var town, channel string
	var n, withCase int64
	err := db.QueryRow(`SELECT township, channel, violations, with_case FROM mart_enforcement_speed ORDER BY township, channel LIMIT 1`).
		Scan(&town, &channel, &n, &withCase)
	if err != nil {
		t.Fatal(err)
	}
	if want := squash(fmt.Sprintf("%s%s%d%d", town, channel, n, withCase)); !strings.Contains(txt, want) {
		t.Errorf("briefing lacks the row %q", want)
	}
	var overdue int64
	if err := db.QueryRow(`SELECT count(*) FROM mart_case_stages WHERE overdue`).Scan(&overdue); err != nil {
		t.Fatal(err)
	}
	if (overdue == 0) != strings.Contains(txt, squash("各成员单位负责的办案环节均未超期")) {
		t.Errorf("overdue stages %d, but the briefing says otherwise", overdue)
	}
	// 恢复土地面积: the restoration accepted by the as-of, as on the public page — never a patch area
	var mu, patches float64
	if err := db.QueryRow(`SELECT CAST(coalesce(sum(accepted_mu), 0) AS DOUBLE), (SELECT CAST(coalesce(sum(area_mu), 0) AS DOUBLE) FROM mart_violations)
		FROM mart_restoration`).Scan(&mu, &patches); err != nil {
		t.Fatal(err)
	}
	if want := squash(fmt.Sprintf("验收合格的恢复土地面积%.2f亩", mu)); mu == 0 || mu == patches || !strings.Contains(txt, want) {
		t.Errorf("briefing lacks %q (patch area %.2f)", want, patches)
	}
}
