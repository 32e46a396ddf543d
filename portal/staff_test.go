package portal

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"landwatch/audit"
	"landwatch/store/accounts"
	"landwatch/store/tipstore"
	"landwatch/warehouse/secret"
)

// login signs a user in through the form and returns the session cookie and CSRF token.
func (e *testEnv) login(name, pw string) (cookie, csrf string) {
	e.t.Helper()
	resp, body := e.do(formReq("/staff/login", map[string]string{"username": name, "password": pw}))
	if resp.StatusCode != 303 {
		e.t.Fatalf("login %s: %d %s", name, resp.StatusCode, body)
	}
	for _, c := range resp.Cookies() {
		if c.Name == sessionCookie {
			cookie = c.Value
		}
	}
	req := httptest.NewRequest("GET", "/staff/", nil)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: cookie})
	_, body = e.do(req)
	m := regexp.MustCompile(`name="_csrf" value="([0-9a-f]+)"`).FindStringSubmatch(body)
	if m == nil {
		e.t.Fatalf("no CSRF token on the dashboard of %s", name)
	}
	return cookie, m[1]
}

func (e *testEnv) addUser(name string, role accounts.Role, scope string) string {
	e.t.Helper()
	pw, err := accounts.AddUser(context.Background(), e.db, e.srv, "test", name, role, scope)
	if err != nil {
		e.t.Fatal(err)
	}
	return pw
}

type staffClient struct {
	e            *testEnv
	cookie, csrf string
}

func (c staffClient) get(path string) (*http.Response, string) {
	req := httptest.NewRequest("GET", path, nil)
	if c.cookie != "" {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: c.cookie})
	}
	return c.e.do(req)
}

func (c staffClient) post(path string, vals map[string]string) (*http.Response, string) {
	v := map[string]string{"_csrf": c.csrf}
	for k, x := range vals {
		v[k] = x
	}
	req := formReq(path, v)
	if c.cookie != "" {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: c.cookie})
	}
	return c.e.do(req)
}

func (e *testEnv) staffAs(role accounts.Role, scope string) staffClient {
	name := fmt.Sprintf("%s%d", role, time.Now().UnixNano()%1e6)
	pw := e.addUser(name, role, scope)
	cookie, csrf := e.login(name, pw)
	return staffClient{e, cookie, csrf}
}

// TestRoleRouteMatrix: every staff route refuses anonymous users and every role it does not list,
// and the lists follow the role table (portal/README.md, "Staff").
func TestRoleRouteMatrix(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.submitAPI(goodTip())
	var tipID string
	e.db.QueryRow(`SELECT tip_id FROM tips`).Scan(&tipID)
	clients := map[accounts.Role]staffClient{}
	users := map[accounts.Role]*accounts.User{}
	for _, r := range accounts.Roles {
		scope := ""
		switch r {
		case accounts.RoleTownship:
			scope = "沁河镇"
		case accounts.RoleDepartment:
			scope = "公安"
		}
		clients[r] = e.staffAs(r, scope)
		users[r] = &accounts.User{Role: r, Scope: scope}
	}
	routes := e.srv.Routes()
	if len(routes) < 20 {
		t.Fatalf("only %d routes", len(routes))
	}
	// The role table as data: who may do what. Every staff route of the table must be here, so a route
	// added without deciding its roles fails this test.
	must := map[string][]accounts.Role{
		"GET /staff/":                          accounts.Roles,
		"POST /staff/logout":                   accounts.Roles,
		"GET /staff/totp":                      accounts.Roles,
		"POST /staff/totp":                     accounts.Roles,
		"GET /staff/notifications":             accounts.Roles,
		"POST /staff/notifications/read":       accounts.Roles,
		"GET /staff/export/notifications.xlsx": accounts.Roles,
		// tips: which tip each role sees is tipstore's (TestConfidentialChannel, TestTownshipTips)
		"GET /staff/tips/new":                 {accounts.RoleOffice},
		"POST /staff/tips/new":                {accounts.RoleOffice},
		"POST /staff/tips/:id/evidence":       {accounts.RoleOffice, accounts.RoleTownship, accounts.RoleDepartment, accounts.RoleDiscipline},
		"GET /staff/tips":                     {accounts.RoleOffice, accounts.RoleTownship, accounts.RoleDepartment, accounts.RoleDiscipline},
		"POST /staff/tips/:id/status":         {accounts.RoleOffice, accounts.RoleTownship, accounts.RoleDepartment, accounts.RoleDiscipline},
		"POST /staff/tips/:id/message":        {accounts.RoleOffice, accounts.RoleTownship, accounts.RoleDepartment, accounts.RoleDiscipline},
		"POST /staff/tips/:id/reward":         {accounts.RoleOffice, accounts.RoleDiscipline},
		"GET /staff/rewards":                  {accounts.RoleOffice, accounts.RoleFinance},
		"POST /staff/payouts":                 {accounts.RoleFinance},
		"GET /staff/export/payouts.xlsx":      {accounts.RoleFinance},
		"GET /staff/finance":                  {accounts.RoleFinance},
		"POST /staff/finance/collections":     {accounts.RoleFinance},
		"GET /staff/export/finance.xlsx":      {accounts.RoleFinance},
		"GET /staff/tips/:id":                 {accounts.RoleOffice, accounts.RoleTownship, accounts.RoleDepartment, accounts.RoleDiscipline},
		"POST /staff/tips/:id/triage":         {accounts.RoleOffice, accounts.RoleDiscipline},
		"GET /staff/models":                   {accounts.RoleOffice},
		"POST /staff/models":                  {accounts.RoleOffice},
		"POST /staff/models/freeze":           {accounts.RoleOffice},
		"GET /staff/freshness":                {accounts.RoleOffice, accounts.RoleLeader},
		"GET /staff/power-gaps":               {accounts.RoleOffice, accounts.RoleLeader},
		"GET /staff/accountability":           {accounts.RoleOffice, accounts.RoleTownship, accounts.RoleLeader, accounts.RoleDiscipline},
		"GET /staff/accountability/:item":     {accounts.RoleOffice, accounts.RoleTownship, accounts.RoleLeader, accounts.RoleDiscipline},
		"POST /staff/accountability/transfer": {accounts.RoleOffice},
		"POST /staff/accountability/outcome":  {accounts.RoleDiscipline},
		"GET /staff/scorecard":                {accounts.RoleOffice, accounts.RoleTownship, accounts.RoleLeader, accounts.RoleDiscipline},
		"GET /staff/ledger":                   {accounts.RoleOffice, accounts.RoleTownship, accounts.RoleLeader, accounts.RoleDiscipline},
		"GET /staff/violations":               {accounts.RoleOffice, accounts.RoleTownship, accounts.RoleLeader, accounts.RoleDiscipline},
		"GET /staff/imagery":                  {accounts.RoleOffice, accounts.RoleTownship, accounts.RoleLeader, accounts.RoleMedia},
		"GET /staff/export/ledger.xlsx":       {accounts.RoleOffice, accounts.RoleTownship, accounts.RoleLeader, accounts.RoleDiscipline},
		"GET /staff/audit":                    {accounts.RoleOffice, accounts.RoleDiscipline},
		"GET /staff/export/audit.xlsx":        {accounts.RoleOffice, accounts.RoleDiscipline},
		"GET /staff/upload":                   {accounts.RoleOffice, accounts.RoleTownship, accounts.RoleDepartment, accounts.RoleFinance},
		"POST /staff/upload":                  {accounts.RoleOffice, accounts.RoleTownship, accounts.RoleDepartment, accounts.RoleFinance},
		"GET /staff/upload/template/:kind":    {accounts.RoleOffice, accounts.RoleTownship, accounts.RoleDepartment, accounts.RoleFinance},
		"GET /staff/tips/:id/files/:fid":      {accounts.RoleOffice, accounts.RoleTownship, accounts.RoleDepartment, accounts.RoleDiscipline},
		"GET /staff/export/tips.xlsx":         {accounts.RoleOffice, accounts.RoleDiscipline},
		// cases and clues: the office assigns, the department records progress
		"GET /staff/cases":               {accounts.RoleOffice},
		"GET /staff/cases/:id":           {accounts.RoleOffice, accounts.RoleDepartment},
		"POST /staff/cases/:id/assign":   {accounts.RoleOffice},
		"POST /staff/cases/:id/progress": {accounts.RoleDepartment},
		"POST /staff/cases/:id/stages":   {accounts.RoleDepartment},
		"GET /staff/clues":               {accounts.RoleOffice},
		"GET /staff/clues/:id":           {accounts.RoleOffice, accounts.RoleDepartment},
		"POST /staff/clues/:id/assign":   {accounts.RoleOffice},
		"POST /staff/clues/:id/progress": {accounts.RoleDepartment},
		"GET /staff/mine":                {accounts.RoleDepartment},
		// clues raised by a member unit: the unit raises and adds photos to its own, the office triages
		"GET /staff/deptclues":              {accounts.RoleOffice, accounts.RoleDepartment},
		"POST /staff/deptclues":             {accounts.RoleDepartment},
		"POST /staff/deptclues/:id/files":   {accounts.RoleDepartment},
		"GET /staff/deptclues/:id/files/:n": {accounts.RoleOffice, accounts.RoleDepartment},
		// the power company's console (a department account of 供电公司; other departments are
		// refused, TestPowerCompanyConsole); the township works its own alerts; the office orders cut-offs
		"GET /staff/power":                            {accounts.RoleOffice, accounts.RoleTownship, accounts.RoleDepartment},
		"POST /staff/power/alerts/:id/check":          {accounts.RoleTownship, accounts.RoleDepartment},
		"GET /staff/power/meters":                     {accounts.RoleOffice, accounts.RoleTownship, accounts.RoleDepartment},
		"GET /staff/export/alerts.xlsx":               {accounts.RoleOffice, accounts.RoleTownship, accounts.RoleDepartment},
		"GET /staff/export/meters.xlsx":               {accounts.RoleOffice, accounts.RoleTownship, accounts.RoleDepartment},
		"GET /staff/power/meters/:meter":              {accounts.RoleOffice, accounts.RoleTownship, accounts.RoleDepartment},
		"POST /staff/power/meters/:meter/cutoff":      {accounts.RoleOffice},
		"POST /staff/power/meters/:meter/cutoff-done": {accounts.RoleDepartment},
		// the clue channels 民爆流向 (公安; other departments are refused) and 视频监控 (the township)
		"GET /staff/explosives":            {accounts.RoleOffice, accounts.RoleDepartment},
		"POST /staff/explosives/:id/check": {accounts.RoleDepartment},
		"GET /staff/video":                 {accounts.RoleOffice, accounts.RoleTownship},
		"POST /staff/video/:id/check":      {accounts.RoleTownship},
		"GET /staff/video/:id/shot":        {accounts.RoleOffice, accounts.RoleTownship},
		// acceptance and restoration: the accepting units enter, the office sees (other departments are
		// refused, TestAcceptanceConsole)
		"GET /staff/acceptance":              {accounts.RoleOffice, accounts.RoleDepartment},
		"POST /staff/acceptance":             {accounts.RoleDepartment},
		"POST /staff/acceptance/:item":       {accounts.RoleDepartment},
		"GET /staff/acceptance/:id/files/:n": {accounts.RoleOffice, accounts.RoleDepartment},
		"GET /staff/restoration":             {accounts.RoleOffice, accounts.RoleDepartment},
		"POST /staff/restoration/:item":      {accounts.RoleDepartment},
		// reports
		"GET /staff/charts":            {accounts.RoleOffice, accounts.RoleLeader, accounts.RoleTownship, accounts.RoleDiscipline, accounts.RoleMedia},
		"GET /staff/briefings":         {accounts.RoleOffice, accounts.RoleLeader, accounts.RoleDiscipline},
		"POST /staff/briefings":        {accounts.RoleOffice},
		"GET /staff/briefings/:file":   {accounts.RoleOffice, accounts.RoleLeader, accounts.RoleDiscipline},
		"GET /staff/dossier/:township": {accounts.RoleOffice, accounts.RoleDiscipline},
		"GET /staff/publish":           {accounts.RoleOffice, accounts.RoleMedia},
		"GET /staff/publish/preview":   {accounts.RoleOffice, accounts.RoleMedia},
		"POST /staff/publish":          {accounts.RoleMedia},
	}
	// the public routes: no sign-in
	public := map[string]bool{"GET /healthz": true, "GET /": true, "GET /tip": true, "POST /tip": true, "POST /tip/receipt.txt": true, "POST /tip/done": true, "GET /status": true,
		"POST /status": true, "POST /status/message": true, "POST /status/evidence": true, "POST /status/claim-code": true, "POST /status/claim.txt": true,
		"GET /api/v1/pow": true, "POST /api/v1/tips": true, "GET /api/v1/tips/status": true, "POST /api/v1/tips/messages": true,
		"POST /api/v1/tips/evidence": true, "GET /stats": true, "GET /stats/:chart.csv": true, "GET /staff/login": true, "POST /staff/login": true}
	mounted := map[string]bool{}
	for _, r := range e.srv.App().GetRoutes(true) {
		if r.Method != "HEAD" {
			mounted[r.Method+" "+r.Path] = true
		}
	}
	for _, r := range routes {
		key := r.Method + " " + r.Path
		if !mounted[key] {
			t.Errorf("%s is in the table but not mounted", key)
		}
		delete(mounted, key)
		if r.Public() != public[key] {
			t.Errorf("%s: public %v, want %v", key, r.Public(), public[key])
		}
		if _, ok := must[key]; !ok && !r.Public() {
			t.Errorf("staff route %s has no entry in the role matrix", key)
		}
	}
	for key := range mounted {
		t.Errorf("%s is mounted outside the route table", key)
	}
	seen := map[string]bool{}
	for _, r := range routes {
		if r.Public() {
			continue
		}
		key := r.Method + " " + r.Path
		seen[key] = true
		if want, ok := must[key]; ok && !slices.Equal(sorted(r.Roles), sorted(want)) {
			t.Errorf("%s allows %v, the role table says %v", key, r.Roles, want)
		}
		if slices.Contains(r.Roles, accounts.RoleFinance) && strings.HasPrefix(r.Path, "/staff/tips") {
			t.Errorf("finance may reach %s (tip text and contact)", key)
		}
		path := strings.ReplaceAll(strings.ReplaceAll(r.Path, ":id", tipID), ":fid", strings.Repeat("ab", 16))
		anon := staffClient{e: e}
		var resp *http.Response
		if r.Method == "GET" {
			resp, _ = anon.get(path)
			if resp.StatusCode != 303 || resp.Header.Get("Location") != "/staff/login" {
				t.Errorf("anonymous %s: %d", key, resp.StatusCode)
			}
		} else {
			resp, _ = anon.post(path, nil)
			if resp.StatusCode != 401 {
				t.Errorf("anonymous %s: %d", key, resp.StatusCode)
			}
		}
		for _, role := range accounts.Roles {
			c := clients[role]
			if key == "POST /staff/logout" { // allowed for all; posting it would end the session
				if resp, _ := (staffClient{e, c.cookie, "wrong"}).post(path, nil); resp.StatusCode != 403 {
					t.Errorf("logout without CSRF as %s: %d", role, resp.StatusCode)
				}
				continue
			}
			if r.Method == "GET" {
				resp, _ = c.get(path)
			} else {
				resp, _ = c.post(path, nil)
			}
			allowed := slices.Contains(r.Roles, role) && !r.Denies(users[role]) // 公安 is not the power company
			if !allowed && resp.StatusCode != 403 {
				t.Errorf("%s as %s: %d, want 403", key, role, resp.StatusCode)
			}
			if allowed && resp.StatusCode == 403 && !(key == "POST /staff/upload") {
				t.Errorf("%s as %s: 403, want allowed", key, role)
			}
			if r.Method != "GET" && allowed {
				// without the CSRF token the same request is refused
				bad := staffClient{e, c.cookie, "wrong"}
				if resp, _ := bad.post(path, nil); resp.StatusCode != 403 {
					t.Errorf("%s as %s without CSRF: %d", key, role, resp.StatusCode)
				}
			}
		}
	}
	for k := range must {
		if !seen[k] {
			t.Errorf("route %s missing", k)
		}
	}
}

func sorted(r []accounts.Role) []accounts.Role { s := slices.Clone(r); slices.Sort(s); return s }

// TestTipLifecycleRewardPayout walks the office and finance steps over HTTP.
func TestTipLifecycleRewardPayout(t *testing.T) {
	e := newEnv(t)
	receipt := e.submitAPI(goodTip())
	var tipID string
	e.db.QueryRow(`SELECT tip_id FROM tips`).Scan(&tipID)
	office := e.staffAs(accounts.RoleOffice, "")
	finance := e.staffAs(accounts.RoleFinance, "")
	dept := e.staffAs(accounts.RoleDepartment, "公安")

	if resp, body := office.post("/staff/tips/"+tipID+"/reward", map[string]string{"severity": "一般", "amount": "8000"}); resp.StatusCode != 400 || !strings.Contains(body, "尚未核实为属实") {
		t.Fatalf("reward before verification: %d", resp.StatusCode)
	}
	if resp, body := office.post("/staff/tips/"+tipID+"/status", map[string]string{"status": "属实"}); resp.StatusCode != 400 || !strings.Contains(body, "需要写明依据") {
		t.Fatalf("verdict without note: %d", resp.StatusCode)
	}
	// department sees only what is assigned to it
	if resp, _ := dept.get("/staff/tips/" + tipID); resp.StatusCode != 404 {
		t.Fatalf("unassigned tip for department: %d", resp.StatusCode)
	}
	office.post("/staff/tips/"+tipID+"/triage", map[string]string{"field": "assign", "value": "公安", "note": "涉嫌盗采"})
	if resp, body := dept.get("/staff/tips/" + tipID); resp.StatusCode != 200 || !strings.Contains(body, "夜里有车拉煤") {
		t.Fatalf("assigned tip for department: %d", resp.StatusCode)
	}
	if resp, _ := dept.post("/staff/tips/"+tipID+"/status", map[string]string{"status": "核查中", "note": "已派员"}); resp.StatusCode != 200 {
		t.Fatalf("department status: %d", resp.StatusCode)
	}
	if resp, body := office.post("/staff/tips/"+tipID+"/status", map[string]string{"status": "属实", "note": "现场核实井口"}); resp.StatusCode != 200 || !strings.Contains(body, `id="status">属实`) {
		t.Fatalf("verify: %d", resp.StatusCode)
	}
	office.post("/staff/tips/"+tipID+"/triage", map[string]string{"field": "link", "value": "AJ2023-007"})
	if resp, body := office.post("/staff/tips/"+tipID+"/reward", map[string]string{"severity": "一般", "amount": "25000"}); resp.StatusCode != 400 || !strings.Contains(body, "超出范围") {
		t.Fatalf("reward outside band: %d", resp.StatusCode)
	}
	if resp, body := office.post("/staff/tips/"+tipID+"/reward", map[string]string{"severity": "一般", "amount": "8000"}); resp.StatusCode != 200 || !strings.Contains(body, "奖励已批准") {
		t.Fatalf("reward: %d %s", resp.StatusCode, body)
	}
	// the citizen sees the amount and a claim code, once
	_, body := e.do(formReq("/status", map[string]string{"receipt": receipt}))
	if !strings.Contains(body, `id="reward-amount">8000.00`) {
		t.Fatalf("amount not shown")
	}
	m := regexp.MustCompile(`id="claim">([0-9 ]+)<`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no claim code shown")
	}
	lost := strings.ReplaceAll(m[1], " ", "")
	// kept like the receipt: copy and print buttons, and the code as a text file
	if !strings.Contains(body, `id="copy-claim" data-code="`+m[1]+`"`) || !strings.Contains(body, `id="print-claim"`) ||
		!strings.Contains(body, `action="/status/claim.txt"`) {
		t.Error("the claim code has no copy, print or save")
	}
	if resp, txt := e.do(formReq("/status/claim.txt", map[string]string{"code": m[1]})); resp.StatusCode != 200 ||
		!strings.Contains(txt, "领奖码："+m[1]) || !strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("claim code file: %d %q", resp.StatusCode, txt)
	}
	if resp, _ := e.do(formReq("/status/claim.txt", map[string]string{"code": "12ab"})); resp.StatusCode != 400 {
		t.Errorf("a claim file of a made-up code: %d", resp.StatusCode)
	}
	if _, body := e.do(formReq("/status", map[string]string{"receipt": receipt})); strings.Contains(body, `id="claim"`) {
		t.Fatal("claim code shown twice")
	}
	// the citizen lost the claim code: a new one replaces it
	_, body = e.do(formReq("/status/claim-code", map[string]string{"receipt": receipt}))
	m = regexp.MustCompile(`原领奖码作废：([0-9 ]+)（`).FindStringSubmatch(body)
	if m == nil || !strings.Contains(body, `id="claim">`+m[1]+`<`) {
		t.Fatal("no new claim code, or not in the claim code's box")
	}
	claim := strings.ReplaceAll(m[1], " ", "")
	if resp, body := finance.post("/staff/payouts", map[string]string{"receipt": receipt, "claim_code": lost, "amount": "8000",
		"voucher": "CZ-1", "paid_on": "2023-04-20"}); resp.StatusCode != 400 || !strings.Contains(body, "不匹配") {
		t.Fatalf("replaced claim code accepted: %d", resp.StatusCode)
	}
	// finance never sees the tip text or contact
	_, body = finance.get("/staff/rewards")
	if strings.Contains(body, "夜里有车拉煤") || !strings.Contains(body, "R"+strings.TrimPrefix(tipID, "T")) {
		t.Fatal("finance page shows tip text or misses the reward")
	}
	// paid on the day of approval (the reward was approved today; a payout cannot predate it)
	pay := map[string]string{"receipt": receipt, "claim_code": claim, "amount": "9000", "voucher": "CZ-2023-0102", "paid_on": e.srv.tips.Today().Format("2006-01-02")}
	if resp, body := finance.post("/staff/payouts", pay); resp.StatusCode != 400 || !strings.Contains(body, "超过批准金额") {
		t.Fatalf("payout above approved: %d", resp.StatusCode)
	}
	pay["amount"], pay["claim_code"] = "8000", "1111222233334444"
	if resp, body := finance.post("/staff/payouts", pay); resp.StatusCode != 400 || !strings.Contains(body, "不匹配") {
		t.Fatalf("wrong claim code: %d", resp.StatusCode)
	}
	pay["claim_code"] = claim
	if resp, body := finance.post("/staff/payouts", pay); resp.StatusCode != 200 || !strings.Contains(body, "已登记支付") {
		t.Fatalf("payout: %d %s", resp.StatusCode, body)
	}
	pay["voucher"] = "CZ-2023-0103"
	if resp, body := finance.post("/staff/payouts", pay); resp.StatusCode != 409 || !strings.Contains(body, "不能重复支付") {
		t.Fatalf("second payout: %d", resp.StatusCode)
	}
	_, body = e.do(formReq("/status", map[string]string{"receipt": receipt}))
	if !strings.Contains(body, `id="status">已领取`) || !strings.Contains(body, `id="paid"`) {
		t.Fatal("citizen does not see 已领取")
	}
	resp, _ := finance.get("/staff/export/payouts.xlsx")
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "spreadsheetml") {
		t.Fatalf("payout xlsx: %d", resp.StatusCode)
	}
	if n := e.count(`SELECT count(*) FROM payouts`); n != 1 {
		t.Fatalf("%d payouts", n)
	}
	n, findings, err := audit.Verify(t.Context(), e.db)
	if err != nil || len(findings) > 0 || n < 8 {
		t.Fatalf("audit: %d entries, %v, %v", n, findings, err)
	}
}

// TestAuditVerify: an edited, a deleted and an inserted entry are each found and named.
func TestAuditVerify(t *testing.T) {
	t.Parallel()
	setup := func(t *testing.T) *testEnv {
		e := newEnv(t)
		for range 3 {
			e.submitAPI(goodTip())
		}
		u := &accounts.User{Name: "office1", Role: accounts.RoleOffice}
		rows, _ := e.db.Query(`SELECT tip_id FROM tips ORDER BY rowid`)
		var ids []string
		for rows.Next() {
			var id string
			rows.Scan(&id)
			ids = append(ids, id)
		}
		rows.Close()
		for _, id := range ids {
			if err := e.srv.Tips().ChangeStatus(t.Context(), u, id, tipstore.StatusChecking, "派员核查"); err != nil {
				t.Fatal(err)
			}
		}
		if n, f, err := audit.Verify(t.Context(), e.db); err != nil || len(f) != 0 || n != 6 {
			t.Fatalf("clean chain: %d %v %v", n, f, err)
		}
		return e
	}
	expect := func(t *testing.T, e *testEnv, kind string, seq int64) {
		t.Helper()
		_, f, err := audit.Verify(t.Context(), e.db)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range f {
			if x.Kind == kind && x.Seq == seq {
				return
			}
		}
		t.Fatalf("want %s #%d, got %v", kind, seq, f)
	}
	t.Run("edited", func(t *testing.T) {
		e := setup(t)
		e.db.Exec(`UPDATE audit_log SET detail = replace(detail, '核查中', '属实') WHERE seq = 5`)
		expect(t, e, "edited", 5)
	})
	t.Run("deleted middle", func(t *testing.T) {
		e := setup(t)
		e.db.Exec(`DELETE FROM audit_log WHERE seq = 3`)
		expect(t, e, "deleted", 3)
	})
	t.Run("deleted tail", func(t *testing.T) {
		e := setup(t)
		e.db.Exec(`DELETE FROM audit_log WHERE seq = 6`)
		expect(t, e, "deleted", 6)
	})
	t.Run("inserted", func(t *testing.T) {
		e := setup(t)
		// a forger who knows the algorithm but not the secret
		fake := audit.Entry{Seq: 4, At: time.Now(), Actor: "office1", Action: "tip.status", Object: "T20230301-0001", Detail: `{"to":"属实"}`}
		var prev string
		e.db.QueryRow(`SELECT mac FROM audit_log WHERE seq = 3`).Scan(&prev)
		fake.PrevMAC = prev
		forger := secret.Derive([]byte("guessed key"))
		fake.MAC = audit.MAC(forger, fake)
		e.db.Exec(`INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, fake.Seq, fake.At, fake.Actor, fake.Action, fake.Object, fake.Detail, fake.PrevMAC, fake.MAC)
		expect(t, e, "inserted", 4)
		e.db.Exec(`INSERT INTO audit_log VALUES (7, ?, 'x', 'payout.recorded', 'T1', '{}', 'ab', 'cd')`, time.Now())
		expect(t, e, "inserted", 7)
	})
}

func TestTOTP(t *testing.T) {
	e := newEnv(t)
	pw := e.addUser("leader1", accounts.RoleLeader, "")
	cookie, csrf := e.login("leader1", pw)
	c := staffClient{e, cookie, csrf}
	_, body := c.get("/staff/totp")
	// a QR code drawn by the server (no address of the secret in the text), the secret in groups
	// of four as the fallback
	if !strings.Contains(body, `<svg class="qr"`) || strings.Contains(body, "otpauth") || strings.Contains(body, "TOTP") {
		t.Error("the enrolment page shows no QR code, or the raw address")
	}
	m := regexp.MustCompile(`id="secret">([A-Z2-7 ]+)<`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no secret shown")
	}
	m[1] = strings.ReplaceAll(m[1], " ", "")
	code, _ := accounts.TOTPCode(m[1], time.Now())
	if resp, body := c.post("/staff/totp", map[string]string{"code": code}); resp.StatusCode != 200 || !strings.Contains(body, "已启用") {
		t.Fatalf("enable: %d", resp.StatusCode)
	}
	if resp, _ := e.do(formReq("/staff/login", map[string]string{"username": "leader1", "password": pw})); resp.StatusCode != 401 {
		t.Fatalf("login without code: %d", resp.StatusCode)
	}
	code, _ = accounts.TOTPCode(m[1], time.Now())
	if resp, _ := e.do(formReq("/staff/login", map[string]string{"username": "leader1", "password": pw, "totp": code})); resp.StatusCode != 303 {
		t.Fatalf("login with code: %d", resp.StatusCode)
	}
}

func TestLoginThrottle(t *testing.T) {
	frozen := time.Date(2023, 3, 10, 9, 0, 0, 0, time.UTC)
	e := newEnv(t, noLimits(Options{NoJSDelay: time.Second, Now: func() time.Time { return frozen }}))
	e.addUser("fin1", accounts.RoleFinance, "")
	var codes []int
	for range 6 {
		resp, _ := e.do(formReq("/staff/login", map[string]string{"username": "fin1", "password": "wrong"}))
		codes = append(codes, resp.StatusCode)
	}
	if codes[4] != 401 || codes[5] != 429 {
		t.Fatalf("codes %v", codes)
	}
	if _, err := accounts.AddUser(t.Context(), e.db, e.srv, "test", "t9", accounts.RoleTownship, "火星镇"); err == nil || !strings.Contains(err.Error(), "“火星镇”不是") {
		t.Fatalf("township scope: %v", err)
	}
	if _, err := accounts.AddUser(t.Context(), e.db, e.srv, "test", "fin1", accounts.RoleFinance, ""); err == nil {
		t.Fatal("duplicate user accepted")
	}
}
