package portal

import (
	"strings"
	"testing"

	"landwatch/audit"
	"landwatch/store/accounts"
)

// TestStagesOwnUnitOnly: several units hold one case; each enters only the stages its unit owns (403
// for another unit's stage, 404 for a case it does not hold); a unit owning an entered stage sees
// the case; the case page shows the stages; every entry is audited.
func TestStagesOwnUnitOnly(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.casesAndClues()
	office := e.staffAs(accounts.RoleOffice, "")
	police := e.staffAs(accounts.RoleDepartment, "公安")
	prices := e.staffAs(accounts.RoleDepartment, "发改")
	procur := e.staffAs(accounts.RoleDepartment, "检察院")
	market := e.staffAs(accounts.RoleDepartment, "市监")
	land := e.staffAs(accounts.RoleDepartment, "自然资源")
	for _, d := range []string{"公安", "发改"} {
		if resp, _ := office.post("/staff/cases/AJ-2023-001/assign", map[string]string{"department": d}); resp.StatusCode != 200 {
			t.Fatalf("assign to %s: %d", d, resp.StatusCode)
		}
	}
	if resp, body := police.get("/staff/cases/AJ-2023-001"); resp.StatusCode != 200 || !strings.Contains(body, "公安、发改") {
		t.Fatalf("公安 does not hold the case with 发改: %d", resp.StatusCode)
	}
	if resp, _ := police.post("/staff/cases/AJ-2023-001/stages", map[string]string{"stage": "price_done", "stage_on": "2023-03-24"}); resp.StatusCode != 403 {
		t.Fatalf("公安 entering 发改's stage: %d, want 403", resp.StatusCode)
	}
	if resp, _ := market.post("/staff/cases/AJ-2023-001/stages", map[string]string{"stage": "police_filed", "stage_on": "2023-03-24"}); resp.StatusCode != 403 {
		t.Fatalf("市监 entering 公安's stage: %d, want 403", resp.StatusCode)
	}
	if resp, _ := procur.post("/staff/cases/AJ-2023-001/stages", map[string]string{"stage": "prosec_accepted", "stage_on": "2023-03-24"}); resp.StatusCode != 404 {
		t.Fatalf("检察院 entering a stage of a case it does not hold: %d, want 404", resp.StatusCode)
	}
	if resp, body := prices.post("/staff/cases/AJ-2023-001/stages", map[string]string{"stage": "price_requested", "stage_on": "2023-03-24"}); resp.StatusCode != 200 || !strings.Contains(body, "环节已保存") {
		t.Fatalf("发改 price request: %d", resp.StatusCode)
	}
	if resp, body := prices.post("/staff/cases/AJ-2023-001/stages", map[string]string{"stage": "price_done", "stage_on": "2023-03-23"}); resp.StatusCode != 400 || !strings.Contains(body, "早于价格认定申请日期 2023-03-24") {
		t.Fatalf("price done before its request: %d", resp.StatusCode)
	}
	if resp, body := prices.post("/staff/cases/AJ-2023-001/stages", map[string]string{"stage": "price_requested", "stage_on": "2023-03-24", "term_months": "3"}); resp.StatusCode != 400 || !strings.Contains(body, "只有“判决”环节") {
		t.Fatalf("a term on a price request: %d", resp.StatusCode)
	}
	if resp, _ := police.post("/staff/cases/AJ-2023-001/stages", map[string]string{"stage": "police_accepted", "stage_on": "2023-03-25", "note": "受案登记"}); resp.StatusCode != 200 {
		t.Fatalf("公安 acceptance: %d", resp.StatusCode)
	}
	// 自然资源 was never assigned the case, but owns its 立案 (from the cases file): it holds it
	if resp, _ := land.get("/staff/cases/AJ-2023-001"); resp.StatusCode != 200 {
		t.Fatalf("the unit owning an entered stage: %d", resp.StatusCode)
	}
	if resp, _ := land.get("/staff/cases/AJ-2023-002"); resp.StatusCode != 404 {
		t.Fatalf("自然资源 sees a case it has no stage of: %d", resp.StatusCode)
	}
	// 自然资源's 处罚决定 carries its 文号 and 罚款; a 文号 on another stage is refused
	if resp, body := land.post("/staff/cases/AJ-2023-001/stages", map[string]string{"stage": "penalty", "stage_on": "2023-03-24",
		"doc_no": "沁自然资罚〔2023〕7号", "fine_yuan": "65,000"}); resp.StatusCode != 200 || !strings.Contains(body, "环节已保存") {
		t.Fatalf("自然资源 penalty: %d", resp.StatusCode)
	}
	if resp, body := land.post("/staff/cases/AJ-2023-001/stages", map[string]string{"stage": "executed", "stage_on": "2023-03-25",
		"doc_no": "沁自然资罚〔2023〕8号"}); resp.StatusCode != 400 || !strings.Contains(body, "只有“处罚决定”环节可以填写决定文号") {
		t.Fatalf("a 文号 on 执行完毕: %d", resp.StatusCode)
	}
	if n := e.count(`SELECT count(*) FROM case_stage_entries WHERE stage = 'penalty' AND doc_no = '沁自然资罚〔2023〕7号' AND fine_yuan = 65000`); n != 1 {
		t.Fatalf("%d penalty entries with their 文号 and fine", n)
	}
	// the models as of 2023-04-30 know the file's 立案 (due 7 working days after Mon 03-20: 03-29),
	// not the entries made today; the entries list shows them
	e.buildModels()
	_, body := police.get("/staff/cases/AJ-2023-001")
	for _, w := range []string{"2023-03-29", "价格认定申请", "公安受案", "受案登记", "控制台"} {
		if !strings.Contains(body, w) {
			t.Errorf("case page lacks %q", w)
		}
	}
	if !strings.Contains(body, `value="police_filed"`) || strings.Contains(body, `value="price_done"`) {
		t.Error("公安's form must offer its own stages only")
	}
	if n := e.count(`SELECT count(*) FROM case_stage_entries`); n != 3 {
		t.Fatalf("%d stage entries, want 3", n)
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE action = 'case.stage'`); n != 3 {
		t.Fatalf("%d audited stage entries, want 3", n)
	}
	if _, findings, err := audit.Verify(t.Context(), e.db); err != nil || len(findings) > 0 {
		t.Fatalf("audit: %v %v", findings, err)
	}
}
