package portal

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"landwatch/audit"
	"landwatch/internal/warehousetest"
	"landwatch/queries"
	"landwatch/store/accounts"
)

type (
	httpReq    = http.Request
	httpCookie = http.Cookie
)

// loadRaw adds a loaded batch of kind with one raw row (as the ETL would).
func (e *testEnv) loadRaw(kind, table, cols string, args ...any) {
	e.t.Helper()
	var b int64
	e.db.QueryRow(`SELECT nextval('batch_seq')`).Scan(&b) // the loader's own numbering: a later upload gets a new id
	// the file reached the county on 03-23, after every date in it
	if _, err := e.db.Exec(`INSERT INTO load_batches (batch_id, kind, file_name, sha256, rows, loaded_by, loaded_at, received_at)
		VALUES (?, ?, 'test.xlsx', 'test', 1, 'test', current_timestamp, TIMESTAMP '2023-03-23 10:00')`, b, kind); err != nil {
		e.t.Fatal(err)
	}
	// the batch's stamp is audited, as `landwatch load` and uploads do
	if err := e.srv.Audit(context.Background(), "test", "load.batch", fmt.Sprint(b), map[string]any{"bound": audit.Bind("load_batches", fmt.Sprint(b))}); err != nil {
		e.t.Fatal(err)
	}
	if table == "raw_power_readings" { // meter_id, ts, kwh: stored with the meter's key
		if err := warehousetest.InsertReading(context.Background(), e.db, b, 2, args[0].(string), args[1], args[2]); err != nil {
			e.t.Fatal(err)
		}
		return
	}
	marks := strings.TrimSuffix(strings.Repeat("?, ", len(args)), ", ")
	if _, err := e.db.Exec(`INSERT INTO `+table+` (batch_id, source_row, `+cols+`) VALUES (?, 2, `+marks+`)`, append([]any{b}, args...)...); err != nil {
		e.t.Fatal(err)
	}
}

func (e *testEnv) casesAndClues() {
	e.loadRaw("cases", "raw_cases", "case_id, source, township, village, found_on, filed_on",
		"AJ-2023-001", "巡查", "沁河镇", "沁河村", "2023-03-20", "2023-03-22")
	e.loadRaw("cases", "raw_cases", "case_id, source, township, found_on", "AJ-2023-002", "举报", "沁河镇", "2023-03-21")
	e.loadRaw("clues", "raw_clues", "clue_id, source, township, found_on, verdict", "XS-001", "媒体曝光", "沁河镇", "2023-03-18", "核查中")
	e.buildModels() // the consoles read the cases and clues from the staging models
}

// buildModels runs the SQL models once (as of the end of the campaign's accountability phase).
func (e *testEnv) buildModels() {
	e.t.Helper()
	if _, err := queries.Run(context.Background(), e.db, queries.RunOptions{AsOf: time.Date(2023, 4, 30, 0, 0, 0, 0, time.UTC)}); err != nil {
		e.t.Fatal(err)
	}
}

// TestAssignAndProgress: the office assigns; the department sees only its own and records progress,
// a bad date order is refused and stores nothing; another department sees nothing.
func TestAssignAndProgress(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.casesAndClues()
	office := e.staffAs(accounts.RoleOffice, "")
	police := e.staffAs(accounts.RoleDepartment, "公安")
	market := e.staffAs(accounts.RoleDepartment, "市监")

	if resp, body := office.get("/staff/cases?department=-"); resp.StatusCode != 200 || !strings.Contains(body, "AJ-2023-001") {
		t.Fatalf("unassigned cases: %d", resp.StatusCode)
	}
	if resp, _ := police.get("/staff/cases/AJ-2023-001"); resp.StatusCode != 404 {
		t.Fatalf("unassigned case for a department: %d", resp.StatusCode)
	}
	if resp, body := office.post("/staff/cases/AJ-2023-001/assign", map[string]string{"department": "国安"}); resp.StatusCode != 400 || !strings.Contains(body, "不是成员单位") {
		t.Fatalf("unknown department: %d", resp.StatusCode)
	}
	if resp, _ := office.post("/staff/cases/AJ-NONE/assign", map[string]string{"department": "公安"}); resp.StatusCode != 404 {
		t.Fatalf("unknown case: %d", resp.StatusCode)
	}
	if resp, body := office.post("/staff/cases/AJ-2023-001/assign", map[string]string{"department": "公安", "note": "涉嫌盗采"}); resp.StatusCode != 200 || !strings.Contains(body, "已交办给公安") {
		t.Fatalf("assign case: %d", resp.StatusCode)
	}
	if resp, _ := office.post("/staff/clues/XS-001/assign", map[string]string{"department": "公安"}); resp.StatusCode != 200 {
		t.Fatalf("assign clue: %d", resp.StatusCode)
	}
	if _, body := office.get("/staff/cases?department=公安"); !strings.Contains(body, "AJ-2023-001") || strings.Contains(body, "AJ-2023-002") {
		t.Fatal("department filter")
	}
	if _, body := police.get("/staff/"); !strings.Contains(body, `交办本单位的案件 <span class="count">1</span>`) ||
		!strings.Contains(body, `交办本单位核查的线索 <span class="count">1</span>`) || !strings.Contains(body, `href="/staff/cases/AJ-2023-001"`) {
		t.Fatalf("department home page does not queue its cases and clues: %s", body)
	}
	_, body := police.get("/staff/mine")
	if !strings.Contains(body, "AJ-2023-001") || !strings.Contains(body, "XS-001") || strings.Contains(body, "AJ-2023-002") {
		t.Fatalf("公安 does not see exactly its own: %s", body)
	}
	_, body = market.get("/staff/mine")
	if strings.Contains(body, "AJ-2023-001") || strings.Contains(body, "XS-001") {
		t.Fatal("市监 sees 公安's case or clue")
	}
	if resp, _ := market.get("/staff/cases/AJ-2023-001"); resp.StatusCode != 404 {
		t.Fatalf("other department, case page: %d", resp.StatusCode)
	}
	if resp, _ := market.post("/staff/cases/AJ-2023-001/progress", map[string]string{"to_police_on": "2023-04-01"}); resp.StatusCode != 404 {
		t.Fatalf("other department, progress: %d", resp.StatusCode)
	}
	if resp, _ := market.post("/staff/clues/XS-001/progress", map[string]string{"verdict": "属实", "note": "x"}); resp.StatusCode != 404 {
		t.Fatalf("other department, verdict: %d", resp.StatusCode)
	}

	// every unit holding the case enters only its own stages' fields (casestore/progressowners.go)
	units := map[string]staffClient{"公安": police}
	for _, u := range []string{"自然资源", "发改", "法院"} {
		office.post("/staff/cases/AJ-2023-001/assign", map[string]string{"department": u})
		units[u] = e.staffAs(accounts.RoleDepartment, u)
	}
	refused := []struct {
		unit string
		form map[string]string
		msg  string
	}{
		{"公安", map[string]string{"to_police_on": "2023-03-21"}, "移送公安日期 2023-03-21 早于立案日期 2023-03-22"},
		{"公安", map[string]string{"to_procuratorate_on": "2023-04-10", "to_police_on": "2023-04-20"}, "移送检察院日期 2023-04-10 早于移送公安日期 2023-04-20"},
		{"自然资源", map[string]string{"filed_on": "2023-03-01"}, "早于案件发现日期 2023-03-20"},
		{"发改", map[string]string{"price_requested_on": "2023-04-05", "price_done_on": "2023-04-01"}, "价格认定完成日期 2023-04-01 早于价格认定申请日期"},
		{"自然资源", map[string]string{"fine_yuan": "-100"}, "罚款不能为负数"},
		{"自然资源", map[string]string{"confiscated_yuan": "12.345"}, "应为不小于 0 的金额"},
		{"自然资源", map[string]string{"filed_on": "2023/03/25"}, "格式应为 年-月-日"},
		{"法院", map[string]string{"judged_on": "2999-01-01"}, "晚于今天"},
		{"公安", map[string]string{"note": "只写说明"}, "请至少填写一项进度"},
		// another unit's fields, whatever else the form holds
		{"公安", map[string]string{"filed_on": "2023-03-25", "to_police_on": "2023-04-10"}, "立案日期由自然资源填报，公安不能填写"},
		{"公安", map[string]string{"judged_on": "2023-04-15"}, "判决日期由法院填报，公安不能填写"},
		{"公安", map[string]string{"fine_yuan": "100"}, "罚款由自然资源填报，公安不能填写"},
		{"法院", map[string]string{"to_police_on": "2023-04-10"}, "移送公安日期由公安填报，法院不能填写"},
	}
	for _, c := range refused {
		resp, body := units[c.unit].post("/staff/cases/AJ-2023-001/progress", c.form)
		if resp.StatusCode != 400 || !strings.Contains(body, c.msg) || !strings.Contains(body, "进度未保存") {
			t.Errorf("%s %v: %d, want 400 with %q", c.unit, c.form, resp.StatusCode, c.msg)
		}
	}
	// the form offers a unit its own fields only
	for unit, fields := range map[string][]string{"公安": {"to_police_on", "to_procuratorate_on"}, "法院": {"judged_on"},
		"自然资源": {"filed_on", "fine_yuan", "confiscated_yuan"}, "发改": {"price_requested_on", "price_done_on"}} {
		_, body := units[unit].get("/staff/cases/AJ-2023-001")
		_, body, _ = strings.Cut(body, `action="/staff/cases/AJ-2023-001/progress"`)
		body, _, _ = strings.Cut(body, "</form>")
		for _, f := range []string{"filed_on", "price_requested_on", "price_done_on", "to_police_on", "to_procuratorate_on", "judged_on", "fine_yuan", "confiscated_yuan"} {
			if offered := strings.Contains(body, `name="`+f+`"`); offered != slices.Contains(fields, f) {
				t.Errorf("%s: the progress form offers %s: %v", unit, f, offered)
			}
		}
	}
	if n := e.count(`SELECT count(*) FROM case_updates`); n != 0 {
		t.Fatalf("%d updates stored by refused forms", n)
	}
	if resp, _ := (staffClient{e, police.cookie, "wrong"}).post("/staff/cases/AJ-2023-001/progress", map[string]string{"to_police_on": "2023-04-10"}); resp.StatusCode != 403 {
		t.Fatalf("progress without CSRF: %d", resp.StatusCode)
	}
	if resp, body := police.post("/staff/cases/AJ-2023-001/progress", map[string]string{"to_police_on": "2023-04-10",
		"status": "已移送公安", "note": "移送函 2023-17"}); resp.StatusCode != 200 || !strings.Contains(body, `id="to_police_on">2023-04-10`) {
		t.Fatalf("progress: %d %s", resp.StatusCode, body)
	}
	if resp, body := units["自然资源"].post("/staff/cases/AJ-2023-001/progress", map[string]string{"fine_yuan": "50,000"}); resp.StatusCode != 200 {
		t.Fatalf("progress: %d %s", resp.StatusCode, body)
	}
	// the next update is checked against what is recorded: 移送检察院 before 移送公安 is refused
	if resp, body := police.post("/staff/cases/AJ-2023-001/progress", map[string]string{"to_procuratorate_on": "2023-04-05"}); resp.StatusCode != 400 || !strings.Contains(body, "早于移送公安日期 2023-04-10") {
		t.Fatalf("order against the recorded value: %d", resp.StatusCode)
	}
	var fine string
	e.db.QueryRow(`SELECT CAST(fine_yuan AS VARCHAR) FROM case_updates WHERE fine_yuan IS NOT NULL`).Scan(&fine)
	if n := e.count(`SELECT count(*) FROM case_updates`); n != 2 || fine != "50000.00" {
		t.Fatalf("%d updates, fine %s", n, fine)
	}

	if resp, body := police.post("/staff/clues/XS-001/progress", map[string]string{"verdict": "属实"}); resp.StatusCode != 400 || !strings.Contains(body, "需要写明依据") {
		t.Fatalf("verdict without note: %d", resp.StatusCode)
	}
	if resp, body := police.post("/staff/clues/XS-001/progress", map[string]string{"verdict": "存疑", "note": "x"}); resp.StatusCode != 400 || !strings.Contains(body, "属实、不属实 或 核查中") {
		t.Fatalf("unknown verdict: %d", resp.StatusCode)
	}
	if resp, body := police.post("/staff/clues/XS-001/progress", map[string]string{"verdict": "属实", "note": "现场核实采坑"}); resp.StatusCode != 200 || !strings.Contains(body, `id="verdict">属实`) {
		t.Fatalf("verdict: %d", resp.StatusCode)
	}
	if n := e.count(`SELECT count(*) FROM clue_updates`); n != 1 {
		t.Fatalf("%d clue updates", n)
	}
	// assigned to a second unit as well: a case is held by several units at once (README
	// "Enforcement chain"), so 公安 keeps it and 市监 gets it
	office.post("/staff/cases/AJ-2023-001/assign", map[string]string{"department": "市监"})
	if resp, _ := police.get("/staff/cases/AJ-2023-001"); resp.StatusCode != 200 {
		t.Fatalf("after a second assignment, the first unit: %d", resp.StatusCode)
	}
	if resp, body := market.get("/staff/cases/AJ-2023-001"); resp.StatusCode != 200 || !strings.Contains(body, "移送函 2023-17") {
		t.Fatalf("after reassignment, new department: %d", resp.StatusCode)
	}
	n, findings, err := audit.Verify(t.Context(), e.db)
	if err != nil || len(findings) > 0 {
		t.Fatalf("audit: %v %v", findings, err)
	}
	actions := map[string]int{}
	rows, _ := e.db.Query(`SELECT action FROM audit_log`)
	for rows.Next() {
		var a string
		rows.Scan(&a)
		actions[a]++
	}
	rows.Close()
	// three more units were assigned the case and signed up; two units recorded progress
	if actions["case.assign"] != 5 || actions["clue.assign"] != 1 || actions["case.progress"] != 2 || actions["clue.verdict"] != 1 || actions["user.add"] != 6 || actions["load.batch"] != 3 || n != 18 {
		t.Fatalf("audit entries %v (%d)", actions, n)
	}
}

// TestDepartmentUploadKinds: only the power company uploads, and only its three kinds.
func TestDepartmentUploadKinds(t *testing.T) {
	e := newEnv(t)
	power := e.staffAs(accounts.RoleDepartment, "供电公司")
	police := e.staffAs(accounts.RoleDepartment, "公安")
	_, body := power.get("/staff/upload")
	for _, k := range []string{`value="meters"`, `value="power"`, `value="power-checks"`} {
		if !strings.Contains(body, k) {
			t.Errorf("供电公司 cannot choose %s", k)
		}
	}
	if strings.Contains(body, `value="cases"`) || strings.Contains(body, `value="clues"`) {
		t.Error("供电公司 may upload cases or clues")
	}
	if _, body := police.get("/staff/upload"); !strings.Contains(body, `value="case-stages"`) || strings.Contains(body, `value="meters"`) ||
		strings.Contains(body, `value="cases"`) {
		t.Error("公安's upload form offers other than its own stages")
	}
	for _, c := range []struct {
		cl   staffClient
		kind string
	}{{police, "meters"}, {police, "cases"}, {power, "cases"}, {power, "clues"}, {power, "inspection"}} {
		resp, body := c.cl.e.do(func() *httpReq {
			r := multipartReq("/staff/upload", map[string]string{"_csrf": c.cl.csrf, "kind": c.kind}, map[string][]byte{"a.csv": []byte("x\n")})
			r.AddCookie(&httpCookie{Name: sessionCookie, Value: c.cl.cookie})
			return r
		}())
		if resp.StatusCode != 403 || !strings.Contains(body, "不能上传") {
			t.Errorf("upload %s: %d", c.kind, resp.StatusCode)
		}
	}
}

// TestDepartmentUpdateReachesModels: a department's progress and verdict change the marts the
// office computes (through the same hooks as the 运行模型 page).
func TestDepartmentUpdateReachesModels(t *testing.T) {
	t.Parallel()
	now := time.Date(2023, 4, 20, 2, 0, 0, 0, time.UTC) // 10:00 in the county
	e := newEnv(t, noLimits(Options{NoJSDelay: 50 * time.Millisecond, Now: func() time.Time { return now }}))
	e.casesAndClues()
	office := e.staffAs(accounts.RoleOffice, "")
	police := e.staffAs(accounts.RoleDepartment, "公安")
	office.post("/staff/cases/AJ-2023-001/assign", map[string]string{"department": "公安"})
	office.post("/staff/clues/XS-001/assign", map[string]string{"department": "公安"})
	if resp, body := police.post("/staff/cases/AJ-2023-001/progress", map[string]string{"to_police_on": "2023-04-10"}); resp.StatusCode != 200 {
		t.Fatalf("progress: %d %s", resp.StatusCode, body)
	}
	if resp, _ := police.post("/staff/clues/XS-001/progress", map[string]string{"verdict": "属实", "note": "现场核实"}); resp.StatusCode != 200 {
		t.Fatalf("verdict: %d", resp.StatusCode)
	}
	if resp, body := office.post("/staff/models", map[string]string{"as_of": "2023-04-30"}); resp.StatusCode != 200 {
		t.Fatalf("models: %d %s", resp.StatusCode, body)
	}
	var stage string
	if err := e.db.QueryRow(`SELECT stage FROM mart_cases_pipeline WHERE case_id = 'AJ-2023-001'`).Scan(&stage); err != nil || stage != "移送公安" {
		t.Fatalf("stage %q, %v", stage, err)
	}
	if n := e.count(`SELECT count(*) FROM mart_violations WHERE list_contains(string_split(source_refs, ','), 'XS-001')`); n != 1 {
		t.Fatalf("clue verified 属实 is in %d violations", n)
	}
}

// TestCasesBeforeModels: before the models were ever built and before any file, the case and clue
// lists open empty (their views exist from the warehouse's open: queries/live.go), an unknown case
// is not found, the department's dashboard opens, nothing crashes (TestListsBeforeAnyRun: with
// files loaded).
func TestCasesBeforeModels(t *testing.T) {
	e := newEnv(t)
	office := e.staffAs(accounts.RoleOffice, "")
	police := e.staffAs(accounts.RoleDepartment, "公安")
	for path, want := range map[string]int{"/staff/cases": 200, "/staff/clues": 200, "/staff/cases/AJ-1": 404} {
		if resp, body := office.get(path); resp.StatusCode != want || strings.Contains(body, "请办公室先更新一次统计") {
			t.Errorf("%s before the models: %d, want %d", path, resp.StatusCode, want)
		}
	}
	if resp, _ := police.get("/staff/"); resp.StatusCode != 200 {
		t.Errorf("department dashboard before the models: %d", resp.StatusCode)
	}
}
