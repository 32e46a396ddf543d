package portal

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"landwatch/etl/synth"
	"landwatch/queries"
	"landwatch/store/accounts"
)

// TestActionQueuesOnTinyCounty: every owner of a required action due sees it in its queue, counted
// exactly as mart_violation_actions counts it — a member unit its own, the power company its 终止供电
// confirmations, a township its 制止 and 恢复治理, the office its orders and the violations with an
// action overdue or unable to start — each item linking where it is worked.
func TestActionQueuesOnTinyCounty(t *testing.T) {
	t.Parallel()
	e := tinyEnv(t)
	// the cut-offs the office and the power company entered on the console (console.json) up to the
	// as-of of tinyEnv's run — all but those of the second meter ordered, which the office still owes —
	// then the models again
	raw, err := os.ReadFile(filepath.Join("..", "testdata", "tiny", synth.ConsolePath))
	if err != nil {
		t.Fatal(err)
	}
	var con synth.Console
	if err := json.Unmarshal(raw, &con); err != nil {
		t.Fatal(err)
	}
	asOf := time.Date(2023, 4, 16, 0, 0, 0, 0, time.UTC)
	owed := con.Cutoffs[2].Meter // after console.go's own order and confirmation
	for _, c := range con.Cutoffs {
		if c.RecordedAt > asOf.Format(time.DateOnly)+" 23:59" || c.Meter == owed {
			continue
		}
		if _, err := e.db.Exec(`INSERT INTO power_cutoffs (meter_id, kind, cutoff_on, entered_by, recorded_at) VALUES (?, ?, ?, ?, ?)`,
			c.Meter, c.Kind, c.On, c.By, c.RecordedAt+":00"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := queries.Run(context.Background(), e.db, queries.RunOptions{AsOf: asOf}); err != nil {
		t.Fatal(err)
	}
	count := func(who, section, body string) int {
		t.Helper()
		m := regexp.MustCompile(regexp.QuoteMeta(section) + ` <span class="count">(\d+)</span>`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("%s: no section %s", who, section)
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}
	due := `SELECT count(*) FROM mart_violation_actions WHERE state IN ('待办', '逾期') AND due_on IS NOT NULL AND `
	_, office := e.staffAs(accounts.RoleOffice, "").get("/staff/")
	if got, want := count("office", "办公室应办的查处事项", office), e.count(due+`owner_kind = 'office'`); got != want || want == 0 {
		t.Errorf("office's own actions %d, the mart has %d (> 0)", got, want)
	}
	viol := e.count(`SELECT count(DISTINCT violation_id) FROM mart_violation_actions WHERE state = '逾期' OR (state = '待办' AND due_on IS NULL)`)
	if got := count("office", "应办事项逾期或缺失的违法点位", office); got != viol || viol == 0 {
		t.Errorf("office's violations %d, the mart has %d (> 0)", got, viol)
	}
	if !strings.Contains(office, "逾期：") || !strings.Contains(office, `href="/staff/power/meters/`+owed+`"`) {
		t.Error("office queue: no overdue action named, or no meter to order a cut-off on")
	}
	_, town := e.staffAs(accounts.RoleTownship, "郭道镇").get("/staff/")
	if got, want := count("township", "本乡镇应办的制止、恢复治理", town), e.count(due+`owner_kind = 'township' AND unit = '郭道镇'`); got != want {
		t.Errorf("郭道镇 %d, the mart has %d", got, want)
	}
	for _, unit := range []string{"自然资源", powerScope} {
		_, body := e.staffAs(accounts.RoleDepartment, unit).get("/staff/")
		if got, want := count(unit, "本单位应办的查处事项", body), e.count(due+`owner_kind = 'unit' AND unit = '`+unit+`'`); got != want || want == 0 {
			t.Errorf("%s %d, the mart has %d (> 0)", unit, got, want)
		}
	}
	_, power := e.staffAs(accounts.RoleDepartment, powerScope).get("/staff/")
	if !strings.Contains(power, "终止供电（确认）") || strings.Contains(power, "举报") {
		t.Errorf("power company queue lacks its confirmations: %s", power)
	}
	// a unit owning nothing sees the section empty, and nobody else's actions
	_, court := e.staffAs(accounts.RoleDepartment, "法院").get("/staff/")
	if got := count("法院", "本单位应办的查处事项", court); got != 0 {
		t.Errorf("法院 owns no action, yet its queue lists %d", got)
	}
}
