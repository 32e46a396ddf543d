package portal

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
	"github.com/xuri/excelize/v2"

	"landwatch/campaign"
	"landwatch/portal/view"
	"landwatch/queries"
	"landwatch/store/accounts"
)

// martPaths are the list pages that show a mart, by mart (routes.go).
var martPaths = map[string]string{"mart_data_freshness": "/staff/freshness", "mart_power_gaps": "/staff/power-gaps",
	"mart_township_scorecard": "/staff/scorecard", "mart_ledger": "/staff/ledger", "mart_violations": "/staff/violations",
	"mart_accountability": "/staff/accountability", "mart_imagery_triage": "/staff/imagery"}

var (
	thRe  = regexp.MustCompile(`(?s)<th>(.*?)</th>`)
	tdRe  = regexp.MustCompile(`(?s)<td[^>]*>(.*?)</td>`)
	tagRe = regexp.MustCompile(`<[^>]+>`)
	rowRe = regexp.MustCompile(`<tr><td data-label=`) // a data row of a list (portal/view/table.go)
	latin = regexp.MustCompile(`[A-Za-z]`)
	catRe = regexp.MustCompile(`^[ML]\d+$`)
)

func cellsOf(re *regexp.Regexp, body string) []string {
	var out []string
	for _, m := range re.FindAllStringSubmatch(body, -1) {
		out = append(out, strings.TrimSpace(html.UnescapeString(tagRe.ReplaceAllString(m[1], ""))))
	}
	return out
}

// codeWord finds a label code as a whole word: not inside a longer run of letters, digits, '_',
// '.', '-' or '/' (so "green" in an id, "x.pdf" or a path does not count). The same rule as the
// phone browser test (browser_phone_test.go).
func codeWord(text, code string) bool {
	word := func(b byte) bool {
		return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || strings.IndexByte("_.-/", b) >= 0
	}
	for i := 0; ; {
		j := strings.Index(text[i:], code)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(code)
		if (j == 0 || !word(text[j-1])) && (end == len(text) || !word(text[end])) {
			return true
		}
		i = j + 1
	}
}

// TestCodeWord: the whole-word rule the page checks use.
func TestCodeWord(t *testing.T) {
	for _, c := range []struct {
		text, code string
		want       bool
	}{{"等级 green", "green", true}, {"green", "green", true}, {"（true）", "true", true}, {"tip.status 已改", "tip.status", true},
		{"green1", "green", false}, {"evergreen", "green", false}, {"周报 2023-W15.pdf", "pdf", false}, {"/staff/cases", "cases", false},
		{"PDF", "pdf", false}, {"a green-b", "green", false}} {
		if got := codeWord(c.text, c.code); got != c.want {
			t.Errorf("codeWord(%q, %q) = %v", c.text, c.code, got)
		}
	}
}

// TestMartHeadings: every column of every mart a page shows has a Chinese heading, and the pages
// show neither an English heading nor a raw code, share or category code in a cell.
func TestMartHeadings(t *testing.T) {
	t.Parallel()
	e := tinyEnv(t)
	ctx := context.Background()
	for mart := range martFilters {
		if _, ok := martPaths[mart]; !ok {
			t.Errorf("%s has filters but no page in this test", mart)
		}
	}
	for mart := range martPaths {
		tb, err := martColumns(ctx, e.db, mart)
		if err != nil || tb == nil {
			t.Fatalf("%s: %v", mart, err)
		}
		for _, c := range tb.Cols {
			if view.ColLabels[c] == "" {
				t.Errorf("%s.%s has no Chinese heading (view.ColLabels, portal/view/table.go)", mart, c)
			}
		}
	}
	office := e.staffAs(accounts.RoleOffice, "")
	// every menu page that shows a mart table is one of martPaths (so the columns above are all a
	// page shows); one user per role reads them (each sign-up and sign-in costs an Argon2id hash)
	asRole := map[accounts.Role]staffClient{}
	for _, r := range e.srv.Routes() {
		if r.Label == "" {
			continue
		}
		c, ok := asRole[r.Roles[0]]
		if !ok {
			c = e.staffAs(r.Roles[0], scopeFor(r.Roles[0]))
			asRole[r.Roles[0]] = c
		}
		_, body := c.get(r.Path)
		if strings.Contains(body, `<table class="mart">`) && !slices.Contains(slices.Collect(maps.Values(martPaths)), r.Path) {
			t.Errorf("%s shows a mart not checked here", r.Path)
		}
	}
	var item string
	if err := e.db.QueryRow(`SELECT item_id FROM mart_accountability LIMIT 1`).Scan(&item); err != nil {
		t.Fatal(err)
	}
	pages := []string{"/staff/accountability/" + item}
	for _, p := range martPaths {
		pages = append(pages, p)
	}
	for _, p := range pages {
		for n := 1; n <= 2; n++ {
			resp, body := office.get(fmt.Sprintf("%s?page=%d", p, n))
			if resp.StatusCode != 200 {
				t.Fatalf("%s: %d", p, resp.StatusCode)
			}
			for _, th := range cellsOf(thRe, body) {
				if latin.MatchString(th) {
					t.Errorf("%s: heading %q", p, th)
				}
			}
			for _, td := range cellsOf(tdRe, body) {
				if catRe.MatchString(td) { // a category code instead of its name
					t.Errorf("%s: raw value %q", p, td)
				}
				for _, col := range campaign.LabelColumns() {
					for _, code := range campaign.LabelCodes(col) {
						if codeWord(td, code) {
							t.Errorf("%s: code %q (%s) in cell %q", p, code, col, td)
						}
					}
				}
			}
		}
	}
	if _, body := office.get("/staff/accountability"); !strings.Contains(body, "名单截至 2023-04-16") {
		t.Error("the accountability list does not show its date")
	}
	// the shares are percentages with one decimal, the levels words
	_, sc := office.get("/staff/scorecard")
	heads := cellsOf(thRe, sc)
	cells := cellsOf(tdRe, sc)
	for _, rc := range view.RateCols {
		i := slices.Index(heads, view.ColLabels[rc])
		if i < 0 {
			t.Fatalf("scorecard has no %s", rc)
		}
		for r := 0; r+len(heads) <= len(cells); r += len(heads) {
			if v := cells[r+i]; v != "" && !regexp.MustCompile(`^\d+\.\d%$`).MatchString(v) {
				t.Errorf("scorecard %s: %q", rc, v)
			}
		}
	}
	if body := sc; !regexp.MustCompile(`<td[^>]*>\d+\.\d%</td>`).MatchString(body) ||
		!regexp.MustCompile(`<td[^>]*>`+campaign.Label("level", "green")+`</td>`).MatchString(body) {
		t.Error("the scorecard shows no percentage or no level word")
	}
}

// scopeFor is a scope a test user of role needs.
func scopeFor(r accounts.Role) string {
	switch r {
	case accounts.RoleTownship:
		return "郭道镇"
	case accounts.RoleDepartment:
		return powerScope
	}
	return ""
}

// ledgerCount counts the ledger rows as of the last run (or as of day) with a condition.
func ledgerCount(t *testing.T, e *testEnv, day time.Time, where string, args ...any) int {
	t.Helper()
	n := 0
	count := func(q queries.Querier) error {
		return q.QueryRowContext(context.Background(), `SELECT count(*) FROM mart_ledger WHERE `+where, args...).Scan(&n)
	}
	var err error
	if day.IsZero() {
		err = count(e.db)
	} else {
		err = queries.At(context.Background(), e.db, day, count)
	}
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// totalOf is the row count a list page states ("共 N 行，显示第…"); a page that states none fails
// the test.
func totalOf(t *testing.T, body string) int {
	t.Helper()
	m := regexp.MustCompile(`共 (\d+) 行，显示第`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("the page states no row count (共 N 行):\n%.2000s", body)
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// xlsxRows reads the first sheet of an export (header row first).
func xlsxRows(t *testing.T, body string) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestLedgerPagedFilteredExported: the ledger shows 50 rows a page with links to every page;
// filters (township, kind, status, overdue, with ?as_of=) narrow it through bind parameters, a
// value not offered is refused in Chinese; the xlsx export holds exactly the filtered rows; a
// township user stays in its township whatever it asks for.
func TestLedgerPagedFilteredExported(t *testing.T) {
	t.Parallel()
	e := tinyEnv(t)
	office := e.staffAs(accounts.RoleOffice, "")
	all := ledgerCount(t, e, time.Time{}, "true")
	if all <= view.PageSize {
		t.Fatalf("the tiny ledger has %d rows: too few to page", all)
	}
	_, body := office.get("/staff/ledger")
	if n := len(rowRe.FindAllString(body, -1)); n != view.PageSize || totalOf(t, body) != all {
		t.Fatalf("page 1: %d rows of %d (want %d of %d)", n, totalOf(t, body), view.PageSize, all)
	}
	pages := (all + view.PageSize - 1) / view.PageSize
	if !strings.Contains(body, fmt.Sprintf(`href="/staff/ledger?page=%d"`, pages)) || strings.Contains(body, fmt.Sprintf(`?page=%d"`, pages+1)) {
		t.Errorf("page links do not reach page %d exactly", pages)
	}
	_, last := office.get(fmt.Sprintf("/staff/ledger?page=%d", pages))
	if n := len(rowRe.FindAllString(last, -1)); n != all-(pages-1)*view.PageSize {
		t.Errorf("last page: %d rows", n)
	}

	town := "郭道镇"
	q := "/staff/ledger?township=" + urlq(town) + "&overdue=true&kind=problem"
	want := ledgerCount(t, e, time.Time{}, "township = ? AND overdue AND kind = 'problem'", town)
	if want == 0 {
		t.Fatal("the filter selects nothing in the tiny county: pick another")
	}
	resp, body := office.get(q)
	if resp.StatusCode != 200 || totalOf(t, body) != want {
		t.Fatalf("filtered: %d, %d rows shown as total, want %d", resp.StatusCode, totalOf(t, body), want)
	}
	resp, x := office.get("/staff/export/ledger.xlsx?township=" + urlq(town) + "&overdue=true&kind=problem")
	rows := xlsxRows(t, x)
	if resp.StatusCode != 200 || len(rows)-1 != want {
		t.Fatalf("export: %d, %d rows, want %d", resp.StatusCode, len(rows)-1, want)
	}
	tcol := slices.Index(rows[0], "乡镇")
	for _, r := range rows[1:] {
		if r[tcol] != town || slices.Contains(r, "true") || slices.Contains(r, "problem") {
			t.Fatalf("export row %v", r)
		}
	}
	if !strings.Contains(body, `href="/staff/export/ledger.xlsx?kind=problem&amp;overdue=true&amp;township=`+urlq(town)+`"`) {
		t.Error("the export link does not carry the filters")
	}

	// a past day with a filter
	day := time.Date(2023, 3, 20, 0, 0, 0, 0, time.UTC)
	status := "未整改"
	want = ledgerCount(t, e, day, "status_as_of = ?", status)
	if want == 0 {
		t.Fatalf("no ledger item is %s on %s in the tiny county: pick another", status, day.Format(time.DateOnly))
	}
	resp, body = office.get("/staff/ledger?as_of=2023-03-20&status=" + urlq(status))
	if resp.StatusCode != 200 || !strings.Contains(body, "截至 2023-03-20") || totalOf(t, body) != want {
		t.Fatalf("past day filtered: %d total %d want %d", resp.StatusCode, totalOf(t, body), want)
	}

	// values not offered: refused in Chinese, nothing of them reaches SQL
	for _, bad := range []string{"township=" + urlq("火星镇"), "status=" + urlq("' OR 1=1 --"), "overdue=maybe", "kind=green", "page=0"} {
		resp, body := office.get("/staff/ledger?" + bad)
		if resp.StatusCode != 400 || !strings.Contains(body, "class=\"error\"") || rowRe.MatchString(body) {
			t.Errorf("%s: %d", bad, resp.StatusCode)
		}
		if resp, _ := office.get("/staff/export/ledger.xlsx?" + bad); resp.StatusCode != 400 && bad != "page=0" {
			t.Errorf("export %s: %d", bad, resp.StatusCode)
		}
	}

	// a township user asking for another township sees none of its rows, on the page or in the export
	tu := e.staffAs(accounts.RoleTownship, town)
	other := "沁河镇"
	resp, body = tu.get("/staff/ledger?township=" + urlq(other))
	if resp.StatusCode != 400 || strings.Contains(body, ">"+other+"</td>") {
		t.Errorf("township user asking for %s: %d", other, resp.StatusCode)
	}
	if resp, _ := tu.get("/staff/export/ledger.xlsx?township=" + urlq(other)); resp.StatusCode != 400 {
		t.Errorf("township export of %s: %d", other, resp.StatusCode)
	}
	_, x = tu.get("/staff/export/ledger.xlsx")
	rows = xlsxRows(t, x)
	if len(rows)-1 != ledgerCount(t, e, time.Time{}, "township = ?", town) {
		t.Errorf("township export: %d rows", len(rows)-1)
	}
	for _, r := range rows[1:] {
		if r[tcol] != town {
			t.Fatalf("township export row %v", r)
		}
	}
}

// TestAuditSentences: every action the code appends to the audit log has a sentence and a label,
// and the audit page words entries in Chinese with the detail's values.
func TestAuditSentences(t *testing.T) {
	acts := map[string]bool{}
	re := regexp.MustCompile(`\.(?:Add|Audit)\([^"\n]*"([a-z_]+\.[a-z_]+)"`)
	err := filepath.WalkDir("..", func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return err
		}
		b, err := os.ReadFile(p)
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			acts[m[1]] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range campaign.LabelCodes("triage_field") { // "tip."+field (tipstore/status.go)
		if f != "status" {
			acts["tip."+f] = true
		}
	}
	acts["case.assign"], acts["clue.assign"] = true, true // kind+".assign" (casestore/cases.go)
	if len(acts) < 15 {
		t.Fatalf("found only %d actions: %v", len(acts), acts)
	}
	for a := range acts {
		if _, ok := view.AuditSentences[a]; !ok {
			t.Errorf("audit action %s has no sentence (view.AuditSentences, portal/view/words.go)", a)
		}
	}
	for a, sent := range view.AuditSentences {
		if campaign.Label("audit_action", a) == a {
			t.Errorf("audit action %s has no label (campaign/labels.go)", a)
		}
		for _, k := range sent.Extra {
			if view.AuditKeys[k] == "" {
				t.Errorf("%s: detail key %s has no Chinese name", a, k)
			}
		}
	}

	e := newEnv(t)
	for _, c := range []struct{ actor, action, object, detail, want string }{
		{"张三", "tip.status", "T1", `{"from":"收到","to":"核查中","note":"去现场"}`, "张三把举报 T1 的状态由“收到”改为“核查中”，说明：去现场。"},
		{"citizen", "tip.received", "T2", `{"status":"收到","township":"沁河镇","files":2}`, "举报人提交举报 T2（沁河镇，附材料 2 个）。"},
		{"张三", "tip.category", "T1", `{"value":"M4","note":""}`, "张三把举报 T1 的类别设为“" + mustCat(t, e, "M4") + "”。"},
		{"李四", "accountability.transfer", "X-1", `{"township":"郭道镇","transferred_on":"2023-04-20","backdated":true,"note":""}`,
			"李四把追责事项 X-1（郭道镇）移交纪检监察，移交日期 2023-04-20，补录。"},
		{"王五", "load.received_stamp", "7", `{"file":"a.csv","kind":"patrol","received_at":"2023-03-10 09:30","given_by":"王五"}`,
			"王五为导入批次 7（巡查记录“a.csv”）补录送达时间 2023-03-10 09:30，补录人：王五。"},
		{"王五", "load.batch", "8", `{"file":"b.csv","kind":"patrol","received_at":"2023-03-11 10:00","bound":[{"table":"load_batches"}]}`,
			"王五导入批次 8（巡查记录“b.csv”），送达时间 2023-03-11 10:00。"},
		{"管理员", "user.add", "guo1", `{"role":"township","scope":"郭道镇","bound":[]}`, "管理员添加账号 guo1（乡镇），范围：郭道镇。"},
		{"管理员", "audit.baseline", "users", `{"record":"账号角色","rows":3,"bound":[]}`, "管理员为绑定审计以前写入的账号角色建立基线（3 条）。"},
		{"王五", "some.new", "9", `{}`, "王五对 9 进行了其他操作。"},
	} {
		if got := e.srv.auditText(c.actor, c.action, c.object, c.detail); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.action, got, c.want)
		}
	}

	// through the page: a tip and a status change
	e.submitAPI(goodTip())
	var id string
	if err := e.db.QueryRow(`SELECT tip_id FROM tips`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	office := e.staffAs(accounts.RoleOffice, "")
	if resp, body := office.post("/staff/tips/"+id+"/status", map[string]string{"status": "核查中", "note": "派人核实"}); resp.StatusCode >= 400 {
		t.Fatalf("status: %d %s", resp.StatusCode, body)
	}
	_, body := office.get("/staff/audit")
	for _, want := range []string{"举报人提交举报 " + id, "把举报 " + id + " 的状态由“收到”改为“核查中”，说明：派人核实。"} {
		if !strings.Contains(body, want) {
			t.Errorf("audit page lacks %q", want)
		}
	}
	for _, raw := range []string{"tip.received", "tip.status", `"from"`, "{&#34;"} {
		if strings.Contains(body, raw) {
			t.Errorf("audit page shows %q", raw)
		}
	}
}

func mustCat(t *testing.T, e *testEnv, code string) string {
	t.Helper()
	c, ok := e.srv.cfg.Category(code)
	if !ok {
		t.Fatalf("no category %s", code)
	}
	return c.Name
}

// TestReceiptDone: the receipt page offers copy and print from a same-origin script (no inline
// script), and 完成 refuses without 我已保存回执码, showing the same code again.
func TestReceiptDone(t *testing.T) {
	e := newEnv(t)
	tok := e.srv.forms.Issue(e.srv.opt.now())
	f := map[string]string{"pow_token": tok}
	for k, v := range goodTip() {
		f[k] = fmt.Sprint(v)
	}
	resp, body := e.do(multipartReq("/tip", f, nil))
	if resp.StatusCode != 201 {
		t.Fatalf("tip: %d %s", resp.StatusCode, body)
	}
	m := regexp.MustCompile(`name="code" value="(\d{16})"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no code on the receipt page")
	}
	code := m[1]
	if !strings.Contains(body, `<script src="/static/receipt.js"></script>`) || regexp.MustCompile(`<script>`).MatchString(body) ||
		!strings.Contains(body, `id="copy"`) || !strings.Contains(body, `id="print"`) || !strings.Contains(body, `action="/tip/done"`) {
		t.Error("receipt page: no copy/print script or no 完成 form, or an inline script")
	}
	if !strings.Contains(resp.Header.Get("Content-Security-Policy"), "script-src 'self'") {
		t.Error("receipt page CSP")
	}
	if resp, js := e.do(newTestReq("GET", "/static/receipt.js")); resp.StatusCode != 200 || !strings.Contains(js, "clipboard") {
		t.Errorf("receipt.js: %d", resp.StatusCode)
	}
	grouped := code[:4] + " " + code[4:8] + " " + code[8:12] + " " + code[12:]
	resp, body = e.do(formReq("/tip/done", map[string]string{"code": code, "day": "2023-03-02"}))
	if resp.StatusCode != 400 || !strings.Contains(body, "我已保存回执码") || !strings.Contains(body, grouped) || !strings.Contains(body, "请先保存回执码") {
		t.Errorf("done without the tick: %d", resp.StatusCode)
	}
	resp, body = e.do(formReq("/tip/done", map[string]string{"code": code, "day": "2023-03-02", "saved": "1"}))
	if resp.StatusCode != 200 || !strings.Contains(body, "举报已提交完成") || strings.Contains(body, code) {
		t.Errorf("done with the tick: %d", resp.StatusCode)
	}
	if resp, _ := e.do(formReq("/tip/done", map[string]string{"code": "12ab", "saved": "1"})); resp.StatusCode != 400 {
		t.Errorf("done with a bad code: %d", resp.StatusCode)
	}
}

// TestErrorsInChinese: Fiber's own errors and refused tip fields reach no reader in English.
func TestErrorsInChinese(t *testing.T) {
	e := newEnv(t)
	for _, fe := range []*fiber.Error{fiber.ErrForbidden, fiber.ErrBadRequest, fiber.ErrTooManyRequests, fiber.ErrServiceUnavailable} {
		c := e.srv.App().AcquireCtx(&fasthttp.RequestCtx{})
		c.Request().SetRequestURI("/staff/x")
		if err := e.srv.errorHandler(c, fe); err != nil {
			t.Fatal(err)
		}
		body := string(c.Response().Body())
		if c.Response().StatusCode() != fe.Code || strings.Contains(body, fe.Message) || !strings.Contains(body, statusWords[fe.Code]) {
			t.Errorf("%d: %q", fe.Code, fe.Message)
		}
		e.srv.App().ReleaseCtx(c)
	}
	resp, body := e.do(jsonReq("POST", "/api/v1/tips", map[string]any{"township": "", "description": ""}))
	if resp.StatusCode != 400 || strings.Contains(body, "township:") || strings.Contains(body, "description:") || !strings.Contains(body, "乡镇：") {
		t.Errorf("API refusal: %d %s", resp.StatusCode, body)
	}
	for code, w := range statusWords {
		if latin.MatchString(w) {
			t.Errorf("%d: %q", code, w)
		}
	}
}

func newTestReq(method, path string) *http.Request { return httptest.NewRequest(method, path, nil) }

// TestChineseOnly: the English glosses and wrapped Go errors of a message do not reach a page.
func TestChineseOnly(t *testing.T) {
	for in, want := range map[string]string{
		"不是有效的Excel文件 (not a valid xlsx workbook): zip: not a valid zip file":       "不是有效的Excel文件",
		"该日期已锁定 (already frozen)：2023-04-16 已于 2023-05-02 10:00 由 office 锁定，不能重复锁定": "该日期已锁定：2023-04-16 已于 2023-05-02 10:00 由 office 锁定，不能重复锁定",
		"第 3 行“村”：“x村”不在郭道镇的村名录中，已作为未确认村加入 (unknown village added as unconfirmed)":  "第 3 行“村”：“x村”不在郭道镇的村名录中，已作为未确认村加入",
		"文件超过 512 MB：请用命令行 landwatch load 导入":                                       "文件超过 512 MB：请用命令行 landwatch load 导入",
		"已导入 patrol.csv（12 行）": "已导入 patrol.csv（12 行）",
	} {
		if got := view.ChineseOnly(in); got != want {
			t.Errorf("chineseOnly(%q)\n got %q\nwant %q", in, got, want)
		}
	}
}

// TestPageSlice: a list read whole (cases, clues) is shown 50 a page, its links keep the filters,
// a page out of range is refused in Chinese.
func TestPageSlice(t *testing.T) {
	list := make([]int, 120)
	for i := range list {
		list[i] = i
	}
	app := fiber.New()
	app.Get("/l", func(c *fiber.Ctx) error {
		rows, links, err := view.PageSlice(c, list)
		if err != nil {
			return c.Status(400).SendString(err.Error())
		}
		return c.JSON(fiber.Map{"first": rows[0], "n": len(rows), "links": len(links), "last": links[len(links)-1].URL,
			"current": slices.IndexFunc(links, func(l view.PageLink) bool { return l.Current }) + 1})
	})
	for q, want := range map[string]string{
		"":                                `{"current":1,"first":0,"last":"/l?page=3","links":3,"n":50}`,
		"?page=3&township=" + urlq("郭道镇"): `{"current":3,"first":100,"last":"/l?page=3\u0026township=` + urlq("郭道镇") + `","links":3,"n":20}`,
	} {
		resp, err := app.Test(httptest.NewRequest("GET", "/l"+q, nil))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || string(b) != want {
			t.Errorf("%s: %d %s\nwant %s", q, resp.StatusCode, b, want)
		}
	}
	for _, q := range []string{"?page=4", "?page=0", "?page=x"} {
		resp, _ := app.Test(httptest.NewRequest("GET", "/l"+q, nil))
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 400 || !strings.Contains(string(b), "页码") {
			t.Errorf("%s: %d %s", q, resp.StatusCode, b)
		}
	}
}
