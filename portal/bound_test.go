package portal

import (
	"strings"
	"testing"

	"landwatch/audit"
	"landwatch/store/accounts"
	"landwatch/store/tipstore"
)

// TestAuditVerifyBoundConsoleRecords: a stage entry, a tip's verdict and triage, and accounts
// written through the portal are bound to their audit entries. Each edited in the warehouse
// directly is named by audit verify with what changed; put back as written, verify passes again. A
// stage entry deleted, and one added behind the portal's back, are named too.
func TestAuditVerifyBoundConsoleRecords(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.casesAndClues()
	office := e.staffAs(accounts.RoleOffice, "")
	prices := e.staffAs(accounts.RoleDepartment, "发改")
	if resp, _ := office.post("/staff/cases/AJ-2023-001/assign", map[string]string{"department": "发改"}); resp.StatusCode != 200 {
		t.Fatalf("assign: %d", resp.StatusCode)
	}
	if resp, body := prices.post("/staff/cases/AJ-2023-001/stages", map[string]string{"stage": "price_requested", "stage_on": "2023-03-24"}); resp.StatusCode != 200 || !strings.Contains(body, "环节已保存") {
		t.Fatalf("stage entry: %d", resp.StatusCode)
	}
	e.submitAPI(goodTip())
	var tipID string
	if err := e.db.QueryRow(`SELECT tip_id FROM tips`).Scan(&tipID); err != nil {
		t.Fatal(err)
	}
	u := &accounts.User{Name: "office1", Role: accounts.RoleOffice}
	if err := e.srv.Tips().ChangeStatus(t.Context(), u, tipID, tipstore.StatusTrue, "现场核实"); err != nil {
		t.Fatal(err)
	}
	if err := e.srv.Tips().Triage(t.Context(), u, tipID, "assign", "沁河镇", ""); err != nil {
		t.Fatal(err)
	}
	verify := func(want ...string) {
		t.Helper()
		_, findings, err := audit.Verify(t.Context(), e.db)
		if err != nil {
			t.Fatal(err)
		}
		var all []string
		for _, f := range findings {
			all = append(all, f.String())
		}
		text := strings.Join(all, "\n")
		if len(want) == 0 && len(findings) > 0 {
			t.Fatalf("verify found defects in a clean warehouse:\n%s", text)
		}
		if len(want) > 0 && len(findings) == 0 {
			t.Fatalf("verify passed, want %q", want)
		}
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%q not named in\n%s", w, text)
			}
		}
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := e.db.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	verify()

	exec(`UPDATE case_stage_entries SET stage_on = DATE '2023-03-01'`)
	verify("案件环节记录被改动：AJ-2023-001/price_requested/", "的日期现为“2023-03-01”，记录时为“2023-03-24”")
	exec(`UPDATE case_stage_entries SET stage_on = DATE '2023-03-24'`)
	verify()

	exec(`UPDATE tips SET status = '不属实', verdict = '不属实' WHERE tip_id = ?`, tipID)
	verify("举报的核查结论和分拣被改动：举报 " + tipID + " 的状态现为“不属实”，记录时为“属实”，核查结论现为“不属实”，记录时为“属实”")
	exec(`UPDATE tips SET status = '属实', verdict = '属实' WHERE tip_id = ?`, tipID)
	exec(`UPDATE tips SET assigned_to = '郭道镇' WHERE tip_id = ?`, tipID)
	verify("举报 " + tipID + " 的交办单位现为“郭道镇”，记录时为“沁河镇”")
	exec(`UPDATE tips SET assigned_to = '沁河镇' WHERE tip_id = ?`, tipID)

	var dept string
	if err := e.db.QueryRow(`SELECT username FROM users WHERE scope = '发改'`).Scan(&dept); err != nil {
		t.Fatal(err)
	}
	exec(`UPDATE users SET role = 'office', scope = NULL WHERE username = ?`, dept)
	verify("账号角色被改动：账号 " + dept + " 的角色现为“office”，记录时为“department”，范围现为“空”，记录时为“发改”")
	exec(`UPDATE users SET role = 'department', scope = '发改' WHERE username = ?`, dept)
	verify()

	exec(`DELETE FROM case_stage_entries`)
	exec(`INSERT INTO case_stage_entries (case_id, stage, unit, stage_on, term_months, fine_yuan, note, entered_by, entered_at) VALUES ('AJ-2023-001', 'price_done', '发改', DATE '2023-03-25', NULL, NULL, NULL, 'x', TIMESTAMP '2023-03-25 10:00:00')`)
	verify("案件环节记录被删除：AJ-2023-001/price_requested/", "案件环节记录没有审计记录：AJ-2023-001/price_done/2023-03-25 10:00:00.000000")
}
