package portal

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"landwatch/audit"
	"landwatch/store/accounts"
)

// uploadStamped posts a file with extra form fields (the office's 送达日期 and 送达时刻).
func (c staffClient) uploadStamped(kind, name string, data []byte, fields map[string]string) (*http.Response, string) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	w.WriteField("_csrf", c.csrf)
	w.WriteField("kind", kind)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	fw, _ := w.CreateFormFile("file", name)
	fw.Write(data)
	w.Close()
	req := httptest.NewRequest("POST", "/staff/upload", &b)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: c.cookie})
	return c.e.do(req)
}

// The office stamps a file that came on paper (audited, with who gave the stamp); a township
// account cannot stamp; a stamp before the file's own dates is refused with the row; past days'
// pages work without another run; the office freezes a day once.
func TestArrivalStampsAndFreezeInThePortal(t *testing.T) {
	t.Parallel()
	now := time.Date(2023, 5, 2, 2, 0, 0, 0, time.UTC) // 10:00 in the county
	e := newEnv(t, noLimits(Options{NoJSDelay: 50 * time.Millisecond, Now: func() time.Time { return now }}))
	office := e.staffAs(accounts.RoleOffice, "")
	town := e.staffAs(accounts.RoleTownship, "郭道镇")
	patrol, err := os.ReadFile("../testdata/etl/巡查记录.csv") // 郭道镇, 03-02 and 03-09
	if err != nil {
		t.Fatal(err)
	}
	_, body := town.get("/staff/upload")
	if strings.Contains(body, `name="received_on"`) {
		t.Error("a township account is offered the arrival stamp")
	}
	if _, body := office.get("/staff/upload"); !strings.Contains(body, `name="received_on"`) {
		t.Error("the office is not offered the arrival stamp")
	}
	if resp, body := town.uploadStamped("patrol", "巡查记录.csv", patrol, map[string]string{"received_on": "2023-03-10"}); resp.StatusCode != 403 || !strings.Contains(body, "只有领导小组办公室可以补录送达时间") {
		t.Fatalf("township stamping: %d %s", resp.StatusCode, body)
	}
	if resp, body := office.uploadStamped("patrol", "巡查记录.csv", patrol, map[string]string{"received_on": "2023-03-05"}); resp.StatusCode != 422 || !strings.Contains(body, "第3行 巡查日期") {
		t.Fatalf("stamp before the file's dates: %d %s", resp.StatusCode, body)
	}
	if resp, body := office.uploadStamped("patrol", "巡查记录.csv", patrol, map[string]string{"received_on": "2023-05-03"}); resp.StatusCode != 422 || !strings.Contains(body, "晚于现在") {
		t.Fatalf("stamp in the future: %d %s", resp.StatusCode, body)
	}
	resp, body := office.uploadStamped("patrol", "巡查记录.csv", patrol, map[string]string{"received_on": "2023-03-10", "received_time": "09:30"})
	if resp.StatusCode != 200 || !strings.Contains(body, "送达时间 2023-03-10 09:30") {
		t.Fatalf("stamped upload: %d %s", resp.StatusCode, body)
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE action = 'load.received_stamp'`); n != 1 {
		t.Errorf("%d audit entries for the stamp", n)
	}
	if resp, body := office.post("/staff/models", map[string]string{"as_of": "2023-04-30"}); resp.StatusCode != 200 {
		t.Fatalf("models: %d %s", resp.StatusCode, body)
	}
	// a past Sunday's scorecard, and a day not in the weekly series, without another run
	for _, day := range []string{"2023-03-05", "2023-03-15"} {
		resp, body := town.get("/staff/scorecard?as_of=" + day)
		if resp.StatusCode != 200 || !strings.Contains(body, "截至 "+day) || !strings.Contains(body, "郭道镇") {
			t.Fatalf("scorecard as of %s: %d", day, resp.StatusCode)
		}
	}
	if resp, _ := town.get("/staff/scorecard?as_of=2023-06-01"); resp.StatusCode != 400 {
		t.Errorf("a day after the last run: %d", resp.StatusCode)
	}
	if resp, _ := town.get("/staff/scorecard?as_of=4月1日"); resp.StatusCode != 400 {
		t.Errorf("a bad day: %d", resp.StatusCode)
	}
	if resp, _ := town.post("/staff/models/freeze", map[string]string{"as_of": "2023-04-16"}); resp.StatusCode != 403 {
		t.Errorf("a township freezing: %d", resp.StatusCode)
	}
	if resp, body := office.post("/staff/models/freeze", map[string]string{"as_of": "2023-04-16"}); resp.StatusCode != 200 || !strings.Contains(body, "2023-04-16 已锁定") {
		t.Fatalf("freeze: %d %s", resp.StatusCode, body)
	}
	if resp, body := office.post("/staff/models/freeze", map[string]string{"as_of": "2023-04-16"}); resp.StatusCode != 422 || !strings.Contains(body, "不能重复锁定") {
		t.Fatalf("second freeze: %d %s", resp.StatusCode, body)
	}
	if _, body := town.get("/staff/scorecard?as_of=2023-04-16"); !strings.Contains(body, "已锁定：该日数据已于 2023-05-02 10:00 锁定") {
		t.Error("the frozen day is not marked on the scorecard page")
	}
	if resp, body := office.get("/staff/freshness"); resp.StatusCode != 200 || !strings.Contains(body, "巡查记录") || !strings.Contains(body, "2023-03-10 09:30") {
		t.Errorf("freshness page: %d", resp.StatusCode)
	}
	if resp, _ := town.get("/staff/freshness"); resp.StatusCode != 403 {
		t.Errorf("township reads the county's freshness page: %d", resp.StatusCode)
	}
	n, findings, err := audit.Verify(context.Background(), e.db)
	if err != nil || len(findings) != 0 || n < 2 {
		t.Fatalf("audit verify: %d %v %v", n, findings, err)
	}
}

// A township sees its own violations, with how each corresponds to its lists in words.
func TestTownshipViolationsPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.loadRaw("imagery", "raw_imagery_patches", "patch_id, imaged_on, township, village, verdict, lon, lat, geometry",
		"WP-9", "2023-03-02", "郭道镇", "郭道村", "违法", 112.18, 36.79, "POINT (112.18 36.79)")
	e.loadRaw("imagery", "raw_imagery_patches", "patch_id, imaged_on, township, village, verdict, lon, lat, geometry",
		"WP-8", "2023-03-02", "沁河镇", "沁河村", "违法", 112.33, 36.51, "POINT (112.33 36.51)")
	office := e.staffAs(accounts.RoleOffice, "")
	town := e.staffAs(accounts.RoleTownship, "郭道镇")
	if resp, body := office.post("/staff/models", map[string]string{"as_of": "2023-04-30"}); resp.StatusCode != 200 {
		t.Fatalf("models: %d %s", resp.StatusCode, body)
	}
	resp, body := town.get("/staff/violations")
	if resp.StatusCode != 200 || !strings.Contains(body, "WP-9") || strings.Contains(body, "WP-8") || !strings.Contains(body, "对应方式") {
		t.Fatalf("township violations: %d %s", resp.StatusCode, body)
	}
	// a mart of the last run alone shows that run's day, in the text and in the date field
	if !strings.Contains(body, "截至 2023-04-30 的数据") || !strings.Contains(body, `value="2023-04-30"`) {
		t.Errorf("the violations page does not say its day:\n%s", body)
	}
}

// The receipt page's save button downloads a text file holding the code shown (the page sends it
// back; the server keeps none), not a data: link the page's policy blocks.
func TestReceiptDownload(t *testing.T) {
	e := newEnv(t)
	form := "code=1234567890123456&day=2023-03-05"
	req := httptest.NewRequest("POST", "/tip/receipt.txt", strings.NewReader(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, body := e.do(req)
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") ||
		!strings.Contains(body, "回执码：1234 5678 9012 3456") || !strings.Contains(body, "2023-03-05") {
		t.Fatalf("download: %d %q %s", resp.StatusCode, resp.Header.Get("Content-Disposition"), body)
	}
	req = httptest.NewRequest("POST", "/tip/receipt.txt", strings.NewReader("code=12ab"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if resp, _ := e.do(req); resp.StatusCode != 400 {
		t.Errorf("a bad code: %d", resp.StatusCode)
	}
	// the tip form's receipt page offers that button, no data: link
	page, err := os.ReadFile("templates/receipt.html")
	if err != nil || strings.Contains(string(page), "data:") || !strings.Contains(string(page), `action="/tip/receipt.txt"`) {
		t.Errorf("receipt page: %v", err)
	}
}
