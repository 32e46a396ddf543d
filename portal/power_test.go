package portal

import (
	"strings"
	"testing"
	"time"

	"landwatch/audit"
	"landwatch/store/accounts"
)

// TestPowerCompanyConsole: the power company (a department account of 供电公司) sees the meters and
// the alerts with their check deadlines, enters checks and confirms cut-offs, and never reaches a
// tip; another department is refused the power pages; the township sees its own township's alerts;
// the office orders a cut-off only for a meter whose alert was checked 非法采矿.
func TestPowerCompanyConsole(t *testing.T) {
	t.Parallel()
	// the console's clock: 2023-04-20, so the models as of 04-30 know what is entered
	clock := time.Date(2023, 4, 20, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	e := newEnv(t, noLimits(Options{NoJSDelay: 50 * time.Millisecond, Now: func() time.Time { return clock }}))
	e.submitAPI(goodTip())
	var tipID string
	e.db.QueryRow(`SELECT tip_id FROM tips`).Scan(&tipID)
	e.loadRaw("meters", "raw_meters", "meter_id, customer_type, township, village", "M-1", "关闭矿井", "沁河镇", "沁河村")
	e.loadRaw("power", "raw_power_readings", "meter_id, ts, kwh", "M-1", "2023-03-10 10:00:00", 5.0)
	e.buildModels()
	company := e.staffAs(accounts.RoleDepartment, "供电公司")
	police := e.staffAs(accounts.RoleDepartment, "公安")
	office := e.staffAs(accounts.RoleOffice, "")
	town := e.staffAs(accounts.RoleTownship, "沁河镇")
	other := e.staffAs(accounts.RoleTownship, "郭道镇")

	// even a tip the office hands to the power company stays out of its sight
	if resp, _ := office.post("/staff/tips/"+tipID+"/triage", map[string]string{"field": "assign", "value": "供电公司"}); resp.StatusCode != 200 {
		t.Fatalf("assign the tip: %d", resp.StatusCode)
	}
	if _, body := company.get("/staff/"); strings.Contains(body, "/staff/tips") {
		t.Error("the power company's dashboard counts or links tips")
	}
	for _, p := range []string{"/staff/tips", "/staff/tips/" + tipID} {
		if resp, _ := company.get(p); resp.StatusCode != 403 {
			t.Errorf("供电公司 GET %s: %d, want 403", p, resp.StatusCode)
		}
	}
	if resp, _ := company.post("/staff/tips/"+tipID+"/message", map[string]string{"body": "x"}); resp.StatusCode != 403 {
		t.Errorf("供电公司 messages a tipster: %d, want 403", resp.StatusCode)
	}
	resp, body := company.get("/staff/power")
	if resp.StatusCode != 200 || !strings.Contains(body, "M-1-CLM-20230310") || !strings.Contains(body, "2023-03-13") || !strings.Contains(body, "关闭矿井用电") {
		t.Fatalf("供电公司 work queue: %d", resp.StatusCode)
	}
	if strings.Contains(body, `href="/staff/tips"`) || strings.Contains(body, "closed_mine") {
		t.Error("the power company's menu offers the tips, or a raw rule code shows")
	}
	if resp, body := company.get("/staff/power/meters"); resp.StatusCode != 200 || !strings.Contains(body, `href="/staff/power/meters/M-1"`) || !strings.Contains(body, "关闭矿井") {
		t.Fatalf("供电公司 meters: %d", resp.StatusCode)
	}
	if _, body := other.get("/staff/power/meters"); strings.Contains(body, "M-1") {
		t.Error("another township lists the meter")
	}
	if resp, _ := police.get("/staff/power"); resp.StatusCode != 403 {
		t.Errorf("公安 on the power queue: %d, want 403", resp.StatusCode)
	}
	if _, body := town.get("/staff/power"); !strings.Contains(body, "M-1-CLM-20230310") {
		t.Error("the township does not see its own alert")
	}
	if _, body := other.get("/staff/power"); strings.Contains(body, "M-1-CLM-20230310") {
		t.Error("another township sees the alert")
	}
	if resp, _ := other.get("/staff/power/meters/M-1"); resp.StatusCode != 404 {
		t.Errorf("another township's meter page: %d, want 404", resp.StatusCode)
	}
	if resp, body := office.post("/staff/power/meters/M-1/cutoff", map[string]string{"cutoff_on": "2023-03-15"}); resp.StatusCode != 400 || !strings.Contains(body, "没有经现场核查为非法采矿") {
		t.Fatalf("order before a verified check: %d", resp.StatusCode)
	}
	if resp, body := company.post("/staff/power/alerts/M-1-CLM-20230310/check", map[string]string{"checked_on": "2023-03-09", "result": "非法采矿", "note": "井口有人"}); resp.StatusCode != 400 || !strings.Contains(body, "早于预警首日") {
		t.Fatalf("check before the alert: %d", resp.StatusCode)
	}
	if resp, body := company.post("/staff/power/alerts/M-1-CLM-20230310/check", map[string]string{"checked_on": "2023-03-12", "result": "非法采矿", "note": "井口有人"}); resp.StatusCode != 200 || !strings.Contains(body, "核查结果已保存") {
		t.Fatalf("check: %d", resp.StatusCode)
	}
	// the check entered on 04-20 counts from then: the models as of 04-30 know it
	e.buildModels()
	if resp, body := office.post("/staff/power/meters/M-1/cutoff", map[string]string{"cutoff_on": "2023-03-15"}); resp.StatusCode != 200 || !strings.Contains(body, "终止供电指令已记录") {
		t.Fatalf("order: %d", resp.StatusCode)
	}
	if resp, _ := police.post("/staff/power/meters/M-1/cutoff-done", map[string]string{"cutoff_on": "2023-03-16"}); resp.StatusCode != 403 {
		t.Fatalf("公安 confirming a cut-off: %d, want 403", resp.StatusCode)
	}
	if resp, body := company.post("/staff/power/meters/M-1/cutoff-done", map[string]string{"cutoff_on": "2023-03-16"}); resp.StatusCode != 200 || !strings.Contains(body, "确认已终止供电") {
		t.Fatalf("confirm: %d", resp.StatusCode)
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE action IN ('power.check', 'power.cutoff_ordered', 'power.cutoff_done')`); n != 3 {
		t.Fatalf("%d audited power entries, want 3", n)
	}
	if _, findings, err := audit.Verify(t.Context(), e.db); err != nil || len(findings) > 0 {
		t.Fatalf("audit: %v %v", findings, err)
	}
}
