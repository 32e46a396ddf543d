package portal

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"landwatch/internal/sanitize/sanitizetest"
	"landwatch/queries/read"
	"landwatch/store/accounts"
	"landwatch/store/notify"
	"landwatch/store/tipstore"
)

// tipIDs lists the tip ids of the warehouse, oldest first.
func (e *testEnv) tipIDs() []string {
	e.t.Helper()
	rows, err := e.db.Query(`SELECT tip_id FROM tips ORDER BY rowid`)
	if err != nil {
		e.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		rows.Scan(&id)
		out = append(out, id)
	}
	return out
}

// TestConfidentialChannel: a tip about officials is discipline inspection's alone — not in the
// office's or a township's list, detail, export, audit page or the models — and discipline sees
// it, is notified, and may triage it but not hand it to a township.
func TestConfidentialChannel(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.submitAPI(goodTip())
	secret := goodTip()
	secret["about_officials"] = true
	secret["description"] = "某所长给盗采点通风报信"
	e.submitAPI(secret)
	ids := e.tipIDs()
	open, hidden := ids[0], ids[1]
	office := e.staffAs(accounts.RoleOffice, "")
	town := e.staffAs(accounts.RoleTownship, "沁河镇")
	discipline := e.staffAs(accounts.RoleDiscipline, "")

	if _, body := office.get("/staff/tips"); !strings.Contains(body, open) || strings.Contains(body, hidden) {
		t.Fatalf("office list: want %s without %s", open, hidden)
	}
	if resp, _ := office.get("/staff/tips/" + hidden); resp.StatusCode != 404 {
		t.Fatalf("office opened the confidential tip: %d", resp.StatusCode)
	}
	if resp, body := office.post("/staff/tips/"+hidden+"/triage", map[string]string{"field": "assign", "value": "沁河镇"}); resp.StatusCode == 200 || strings.Contains(body, "已保存") {
		t.Fatalf("office triaged the confidential tip: %d", resp.StatusCode)
	}
	resp, xlsx := office.get("/staff/export/tips.xlsx")
	f, err := excelize.OpenReader(strings.NewReader(xlsx))
	if resp.StatusCode != 200 || err != nil {
		t.Fatalf("office export: %d %v", resp.StatusCode, err)
	}
	if rows, _ := f.GetRows("举报线索"); len(rows) != 2 || rows[1][0] != open {
		t.Fatalf("office export: %v, want only %s", rows, open)
	}
	if _, body := office.get("/staff/audit"); strings.Contains(body, hidden) || !strings.Contains(body, open) {
		t.Fatal("office audit page: the confidential tip's trail shows, or the ordinary one does not")
	}

	_, body := discipline.get("/staff/tips")
	if !strings.Contains(body, hidden) || strings.Contains(body, `href="/staff/tips/`+open+`"`) {
		t.Fatalf("discipline list: want only %s", hidden)
	}
	if _, body := discipline.get("/staff/tips/" + hidden); !strings.Contains(body, "通风报信") || !strings.Contains(body, "涉及公职人员，纪检监察办理") {
		t.Fatal("discipline detail")
	}
	if _, body := discipline.get("/staff/"); !strings.Contains(body, "涉及公职人员的举报") || !strings.Contains(body, `href="/staff/tips/`+hidden+`"`) {
		t.Fatalf("discipline queue: %s", body)
	}
	if _, body := discipline.get("/staff/notifications"); !strings.Contains(body, "收到涉及公职人员的举报 "+hidden) {
		t.Fatal("discipline not notified")
	}
	if _, body := discipline.get("/staff/audit"); !strings.Contains(body, hidden) {
		t.Fatal("discipline audit page lacks the trail")
	}
	if _, body := discipline.post("/staff/tips/"+hidden+"/triage", map[string]string{"field": "assign", "value": "沁河镇"}); !strings.Contains(body, "只由纪检监察办理") {
		t.Fatal("a confidential tip was handed to a township")
	}
	if _, body := discipline.post("/staff/tips/"+hidden+"/status", map[string]string{"status": "核查中", "note": "立案审查"}); !strings.Contains(body, "状态已更新") {
		t.Fatal("discipline cannot work the tip")
	}
	if resp, _ := discipline.get("/staff/tips/" + open); resp.StatusCode != 404 {
		t.Fatal("discipline opened an ordinary tip")
	}
	if resp, _ := town.get("/staff/tips/" + hidden); resp.StatusCode != 404 {
		t.Fatal("township opened the confidential tip")
	}
	e.buildModels()
	if n := e.count(`SELECT count(*) FROM stg_portal__tips WHERE tip_id = ?`, hidden); n != 0 {
		t.Fatal("the confidential tip reached the models")
	}
	if n := e.count(`SELECT count(*) FROM stg_portal__tips WHERE tip_id = ?`, open); n != 1 {
		t.Fatal("the ordinary tip is missing from the models")
	}
}

// TestTownshipTips: the office's 交办 reaches the township — its menu, list, queue and notices —
// another township sees nothing; the township's reply, evidence and 核查结果 reach the office;
// the citizen's message reaches both; reading clears the unread count.
func TestTownshipTips(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	receipt := e.submitAPI(goodTip())
	id := e.tipIDs()[0]
	office := e.staffAs(accounts.RoleOffice, "")
	town := e.staffAs(accounts.RoleTownship, "沁河镇")
	other := e.staffAs(accounts.RoleTownship, "郭道镇")

	if _, body := town.get("/staff/tips"); strings.Contains(body, id) {
		t.Fatal("township sees a tip not assigned to it")
	}
	if _, body := office.post("/staff/tips/"+id+"/triage", map[string]string{"field": "assign", "value": "沁河镇", "note": "请三日内核查"}); !strings.Contains(body, "已保存") {
		t.Fatal("assign")
	}
	if _, body := office.get("/staff/tips/" + id); !strings.Contains(body, "<option selected>沁河镇</option>") {
		t.Fatal("the 交办 dropdown does not show the current assignment")
	}
	if _, body := office.post("/staff/tips/"+id+"/triage", map[string]string{"field": "category", "value": "M4"}); !strings.Contains(body, "已保存") ||
		strings.Contains(body, "<td>M4</td>") || !strings.Contains(body, "<td>"+e.srv.cfg.Categories[3].Name+"</td>") {
		t.Fatal("the history shows the category's code, not its name")
	}
	_, body := town.get("/staff/")
	if !strings.Contains(body, `href="/staff/tips"`) || !strings.Contains(body, "交办本乡镇核查的举报") || !strings.Contains(body, `href="/staff/tips/`+id+`"`) {
		t.Fatalf("township home: menu entry or queue item missing: %s", body)
	}
	if !strings.Contains(body, "通知（1）") {
		t.Fatal("township menu lacks the unread count")
	}
	if _, body := town.get("/staff/notifications"); !strings.Contains(body, "交办本单位核查：请三日内核查") {
		t.Fatalf("township notice: %s", body)
	}
	if resp, _ := other.get("/staff/tips/" + id); resp.StatusCode != 404 {
		t.Fatal("another township opened the tip")
	}
	if _, body := other.get("/staff/tips"); strings.Contains(body, id) {
		t.Fatal("another township lists the tip")
	}
	if resp, _ := other.post("/staff/tips/"+id+"/status", map[string]string{"status": "属实", "note": "x"}); resp.StatusCode == 200 {
		t.Fatal("another township changed the status")
	}

	req := multipartReq("/staff/tips/"+id+"/evidence", map[string]string{"_csrf": town.csrf}, map[string][]byte{"photo.jpg": sanitizetest.ExifJPEG(t)})
	req.AddCookie(&httpCookie{Name: sessionCookie, Value: town.cookie})
	if resp, body := e.do(req); resp.StatusCode != 200 || !strings.Contains(body, "已上传 1 个文件") {
		t.Fatalf("township evidence: %d", resp.StatusCode)
	}
	if _, body := town.post("/staff/tips/"+id+"/status", map[string]string{"status": "属实", "note": "现场有新挖井口，已制止"}); !strings.Contains(body, "状态已更新") {
		t.Fatal("township 核查结果")
	}
	if _, body := town.post("/staff/tips/"+id+"/message", map[string]string{"body": "已到现场核查"}); !strings.Contains(body, "留言已发送") {
		t.Fatal("township reply")
	}
	_, body = office.get("/staff/notifications")
	for _, want := range []string{"沁河镇 将举报 " + id + " 改为“属实”：现场有新挖井口", "沁河镇 对举报 " + id + " 留言答复"} {
		if !strings.Contains(body, want) {
			t.Errorf("office not told: %s", want)
		}
	}
	if _, body := office.get("/staff/tips/" + id); !regexp.MustCompile(`>照片 \d+ KB</a> [0-9: -]+（沁河镇`).MatchString(body) || strings.Contains(body, ">image ") {
		t.Fatal("the township's evidence is not listed in words")
	}

	if resp, body := e.do(formReq("/status/message", map[string]string{"receipt": receipt, "body": "又看到车了"})); resp.StatusCode != 200 {
		t.Fatalf("citizen message: %d %s", resp.StatusCode, body)
	}
	if _, body := town.get("/staff/notifications"); !strings.Contains(body, "举报人对举报 "+id+" 留言") {
		t.Fatal("township not told of the citizen's message")
	}
	if _, body := town.post("/staff/notifications/read", nil); !strings.Contains(body, "已全部标为已读") {
		t.Fatal("read all")
	}
	if _, body := town.get("/staff/"); strings.Contains(body, "通知（") {
		t.Fatal("the unread count stays after reading")
	}
	// a notice of another office cannot be marked
	var officeNotice int64
	e.db.QueryRow(`SELECT min(notice_id) FROM notifications WHERE role = 'office'`).Scan(&officeNotice)
	if resp, _ := town.post("/staff/notifications/read", map[string]string{"id": strconv.FormatInt(officeNotice, 10)}); resp.StatusCode != 403 {
		t.Fatalf("township marked the office's notice: %d", resp.StatusCode)
	}
}

// TestPhoneTipEntry: the office enters a phone tip; the paper receipt's code works at /status;
// the channel shows in the list; a wrong channel is refused in words.
func TestPhoneTipEntry(t *testing.T) {
	e := newEnv(t)
	office := e.staffAs(accounts.RoleOffice, "")
	resp, body := office.post("/staff/tips/new", map[string]string{"channel": "传真", "township": "沁河镇", "description": "电话反映有人夜间挖沙"})
	if resp.StatusCode != 400 || !strings.Contains(body, "来源：请选择“电话”或“信件”") {
		t.Fatalf("bad channel: %d", resp.StatusCode)
	}
	resp, body = office.post("/staff/tips/new", map[string]string{"channel": "电话", "township": "沁河镇", "village": "沁河镇/沁河村",
		"description": "电话反映有人夜间挖沙", "contact": "王先生"})
	if resp.StatusCode != 201 {
		t.Fatalf("enter: %d %s", resp.StatusCode, body)
	}
	code := regexp.MustCompile(`id="receipt">([0-9 ]{19})<`).FindStringSubmatch(body)
	if code == nil || !strings.Contains(body, "举报回执") || !strings.Contains(body, "来源：电话") {
		t.Fatalf("no paper receipt: %s", body)
	}
	// it says where to check: the portal's address and the status page (the test requests go to example.com)
	if !strings.Contains(body, `id="status-address">http://example.com/status<`) {
		t.Errorf("the paper receipt does not say where to check the tip")
	}
	if resp, body := e.do(formReq("/status", map[string]string{"receipt": strings.ReplaceAll(code[1], " ", "")})); resp.StatusCode != 200 || !strings.Contains(body, "收到") {
		t.Fatalf("the paper receipt does not open the tip: %d", resp.StatusCode)
	}
	if _, body := office.get("/staff/tips"); !strings.Contains(body, ">电话<") {
		t.Fatal("channel not listed")
	}
	if n := e.count(`SELECT count(*) FROM tips WHERE channel = '电话' AND entered_by LIKE 'office%'`); n != 1 {
		t.Fatalf("stored channel/entered_by: %d", n)
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE action = 'tip.received' AND actor LIKE 'office%'`); n != 1 {
		t.Fatal("the entry is not audited under the staff account")
	}
}

// TestOverdueSweepAndDigest: a tip untriaged past portal.triage_days gets one overdue notice (a
// second sweep sends none), and the digest file names it, for the office only.
func TestOverdueSweepAndDigest(t *testing.T) {
	e := newEnv(t)
	e.submitAPI(goodTip())
	id := e.tipIDs()[0]
	ctx := context.Background()
	cfg := e.srv.cfg
	today := e.srv.tips.Today()
	triage, err := read.TipTriage(ctx, e.db, today)
	if err != nil {
		t.Fatal(err)
	}
	due := triage[id].Due
	for day, want := range map[time.Time]int{due: 0, due.AddDate(0, 0, 1): 1} {
		n, err := notify.Sweep(ctx, e.db, cfg, day, e.srv.tips.LocalNow(time.Now()))
		if err != nil {
			t.Fatal(err)
		}
		if n != want {
			t.Errorf("sweep on %s sent %d, want %d", day.Format(time.DateOnly), n, want)
		}
	}
	if n, _ := notify.Sweep(ctx, e.db, cfg, due.AddDate(0, 0, 2), e.srv.tips.LocalNow(time.Now())); n != 0 {
		t.Errorf("a second sweep sent %d again", n)
	}
	dir := filepath.Join(e.dir, "digests")
	paths, err := notify.WriteDigests(ctx, e.db, cfg.County.Name, dir, today)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 1 || !strings.Contains(filepath.Base(paths[0]), "领导小组办公室") {
		t.Fatalf("digests: %v", paths)
	}
	b, _ := os.ReadFile(paths[0])
	st, _ := os.Stat(paths[0])
	if !bytes.HasPrefix(b, []byte("\ufeff")) || !bytes.Contains(b, []byte("举报 "+id)) || !bytes.Contains(b, []byte("\r\n")) || st.Mode().Perm() != 0o600 {
		t.Fatalf("digest file (%v): %s", st.Mode(), b)
	}
	office := e.staffAs(accounts.RoleOffice, "")
	if _, body := office.get("/staff/"); !strings.Contains(body, "待分拣的举报") || !strings.Contains(body, `href="/staff/tips/`+id+`"`) {
		t.Fatal("office queue lacks the tip")
	}
}

// TestTwoRewardsBeforeAnyClaim: rewards approved for two tips before either tipster has looked
// both store (each waits for its own claim code), and each code then opens only its own.
func TestTwoRewardsBeforeAnyClaim(t *testing.T) {
	e := newEnv(t)
	r1, r2 := e.submitAPI(goodTip()), e.submitAPI(goodTip())
	ids := e.tipIDs()
	office := &accounts.User{Name: "office1", Role: accounts.RoleOffice}
	ctx := context.Background()
	st := e.srv.Tips()
	for _, id := range ids {
		if err := st.ChangeStatus(ctx, office, id, "属实", "现场核实"); err != nil {
			t.Fatal(err)
		}
		d, _ := st.TipDetail(ctx, office, id)
		if _, err := st.ApproveReward(ctx, office.Name, id, d.Bands[0].Severity, "5000", ""); err != nil {
			t.Fatalf("reward for %s: %v", id, err)
		}
	}
	for i, rc := range []string{r1, r2} {
		got, _ := st.RewardOf(ctx, ids[i])
		if got == nil || got.ClaimIssued {
			t.Fatalf("reward %d before the tipster looked: %+v", i, got)
		}
		code, err := st.IssueClaimCode(ctx, ids[i], got.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.RecordPayout(ctx, "caizheng", tipstore.PayoutInput{Receipt: rc, ClaimCode: code, Amount: "5000", Voucher: "V1", PaidOn: got.ApprovedOn}); err != nil {
			t.Fatalf("payout %d: %v", i, err)
		}
	}
	if n := e.count(`SELECT count(*) FROM payouts`); n != 2 {
		t.Fatalf("%d payouts", n)
	}
}

// TestTipListPagedAndFiltered: the list shows 50 a page with links to the next, filters by
// township, status and channel, names a filter value it does not know, and exports exactly the
// filtered rows.
func TestTipListPagedAndFiltered(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	st := e.srv.Tips()
	for i := range 55 {
		in := tipstore.TipInput{Township: "沁河镇", Description: "夜里有车拉煤 " + strconv.Itoa(i)}
		if i%5 == 0 {
			in.Township = "郭道镇"
		}
		if _, err := st.Submit(ctx, in, nil); err != nil {
			t.Fatal(err)
		}
	}
	office := e.staffAs(accounts.RoleOffice, "")
	rowsOf := func(body string) int { return strings.Count(body, `<tr><td class="nowrap"><a href="/staff/tips/T`) }
	_, body := office.get("/staff/tips")
	if rowsOf(body) != 50 || !strings.Contains(body, "共 55 条，第 1/2 页") || !strings.Contains(body, `href="/staff/tips?page=2"`) || !strings.Contains(body, `<strong>1</strong>`) {
		t.Fatalf("first page: %d rows", rowsOf(body))
	}
	if _, body = office.get("/staff/tips?page=2"); rowsOf(body) != 5 || !strings.Contains(body, `href="/staff/tips?page=1"`) {
		t.Fatalf("second page: %d rows", rowsOf(body))
	}
	_, body = office.get("/staff/tips?township=" + urlq("郭道镇") + "&status=" + urlq("收到"))
	if rowsOf(body) != 11 || strings.Contains(body, `<td class="nowrap">沁河镇</td>`) {
		t.Fatalf("township filter: %d rows", rowsOf(body))
	}
	if !strings.Contains(body, `href="/staff/export/tips.xlsx?`) || !strings.Contains(body, "township="+urlq("郭道镇")) {
		t.Fatal("the export link does not carry the filters")
	}
	if _, body = office.get("/staff/tips?township=" + urlq("火星镇")); !strings.Contains(body, "没有乡镇“火星镇”，已忽略该筛选条件") || rowsOf(body) != 50 {
		t.Fatal("an unknown township is not named")
	}
	_, xlsx := office.get("/staff/export/tips.xlsx?township=" + urlq("郭道镇"))
	f, err := excelize.OpenReader(strings.NewReader(xlsx))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows("举报线索")
	if len(rows) != 12 {
		t.Fatalf("export: %d lines, want the header and 11 tips", len(rows))
	}
	for _, r := range rows[1:] {
		if r[3] != "郭道镇" {
			t.Fatalf("export row of %s", r[3])
		}
	}
}

// TestQueuesOnTinyCounty: every role's home page on the tiny county lists its work from the
// models — counts equal to the marts', deadlines shown, items past them marked, links to their
// pages — and the power company's queue has alerts and no tip.
func TestQueuesOnTinyCounty(t *testing.T) {
	t.Parallel()
	e := tinyEnv(t)
	count := func(section, body string) int {
		m := regexp.MustCompile(regexp.QuoteMeta(section) + ` <span class="count">(\d+)</span>`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no section %s", section)
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}
	_, office := e.staffAs(accounts.RoleOffice, "").get("/staff/")
	for section, q := range map[string]string{
		"逾期未整改的问题":   `SELECT count(*) FROM mart_ledger WHERE overdue AND status_as_of <> '已整改'`,
		"待现场核查的用电预警": `SELECT count(*) FROM mart_power_alerts WHERE check_result IS NULL`,
		"逾期的价格认定":    `SELECT count(*) FROM mart_cases_pipeline WHERE price_late AND price_done_on IS NULL`,
	} {
		if got, want := count(section, office), e.count(q); got != want {
			t.Errorf("office %s: %d, the mart has %d", section, got, want)
		}
	}
	if !strings.Contains(office, `<li class="overdue">`) || !strings.Contains(office, "已逾期") || !strings.Contains(office, "无证开采嫌疑") {
		t.Error("office queue: no item marked overdue, or the patches lack their licence status")
	}
	_, town := e.staffAs(accounts.RoleTownship, "郭道镇").get("/staff/")
	if got, want := count("本乡镇逾期未整改的问题", town), e.count(`SELECT count(*) FROM mart_ledger WHERE overdue AND status_as_of <> '已整改' AND township = '郭道镇'`); got != want {
		t.Errorf("township ledger queue %d, want %d", got, want)
	}
	if got, want := count("应报未报的排查表", town), e.count(`SELECT count(*) FROM mart_forms_owed WHERE owed AND township = '郭道镇'`); got != want {
		t.Errorf("township forms owed %d, want %d", got, want)
	}
	_, police := e.staffAs(accounts.RoleDepartment, "公安").get("/staff/")
	if got, want := count("本单位待办的办案环节", police), e.count(`SELECT count(*) FROM mart_case_stages WHERE unit = '公安' AND done_on IS NULL`); got != want || want == 0 {
		t.Errorf("公安 stages %d, want %d (> 0)", got, want)
	}
	_, power := e.staffAs(accounts.RoleDepartment, powerScope).get("/staff/")
	if !strings.Contains(power, "待现场核查的用电预警") || strings.Contains(power, "举报") || !strings.Contains(power, `href="/staff/power/meters/`) {
		t.Errorf("power company queue: %s", power)
	}
}

// TestUnitUploadsOwnStages: a member unit hands in its own stage file from its console; a file with
// a stage another unit owns is refused whole, naming the row, and loads nothing.
func TestUnitUploadsOwnStages(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.casesAndClues()
	police := e.staffAs(accounts.RoleDepartment, "公安")
	mixed, err := os.ReadFile(filepath.Join("..", "testdata", "etl", "案件环节.csv"))
	if err != nil {
		t.Fatal(err)
	}
	resp, body := police.upload("case-stages", "公安-办案环节.csv", mixed)
	if resp.StatusCode != 422 || !strings.Contains(body, "第4行") || !strings.Contains(body, "不是本账号的单位（公安）") {
		t.Fatalf("a file with 法院's stage: %d %s", resp.StatusCode, body)
	}
	if n := e.count(`SELECT count(*) FROM load_batches WHERE kind = 'case-stages'`); n != 0 {
		t.Fatalf("%d batches after the refusal", n)
	}
	own := []byte("案件编号,环节,日期,单位,备注,刑期,罚金\nAJ-2023-001,公安受案,2023-03-20,县公安局,移送当日受案,,\nAJ-2023-001,立案侦查,2023-03-22,公安,,,\n")
	if resp, body := police.upload("case-stages", "公安-办案环节.csv", own); resp.StatusCode != 200 {
		t.Fatalf("its own stages: %d %s", resp.StatusCode, body)
	}
	if n := e.count(`SELECT count(*) FROM raw_case_stages`); n != 2 {
		t.Fatalf("%d stage rows, want 2", n)
	}
	if resp, _ := e.staffAs(accounts.RoleDepartment, "公安").upload("meters", "x.csv", own); resp.StatusCode != 403 {
		t.Fatal("a unit other than the power company uploaded meters")
	}
}
