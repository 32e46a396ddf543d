package portal

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"

	"landwatch/store/accounts"
)

func (c staffClient) upload(kind, name string, data []byte) (*http.Response, string) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	w.WriteField("_csrf", c.csrf)
	w.WriteField("kind", kind)
	fw, _ := w.CreateFormFile("file", name)
	fw.Write(data)
	w.Close()
	req := httptest.NewRequest("POST", "/staff/upload", &b)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: c.cookie})
	return c.e.do(req)
}

// TestUploadsAndModels: uploads go through the ETL with its per-row errors shown; the marts pages
// say "not computed yet" until the models run, then show the township's own rows only.
func TestUploadsAndModels(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	office := e.staffAs(accounts.RoleOffice, "")
	town := e.staffAs(accounts.RoleTownship, "郭道镇")
	if _, body := town.get("/staff/scorecard"); !strings.Contains(body, "尚未计算") {
		t.Fatal("scorecard before the models: not marked as not computed")
	}
	patrol, err := os.ReadFile("../testdata/etl/巡查记录.csv") // 郭道镇's patrols
	if err != nil {
		t.Fatal(err)
	}
	if resp, body := town.upload("cases", "案件.csv", patrol); resp.StatusCode != 403 || !strings.Contains(body, "不能上传") {
		t.Fatalf("township uploading cases: %d", resp.StatusCode)
	}
	// a file with another township's row: refused for a township account, naming the row
	mixed := strings.TrimRight(string(patrol), "\n") + "\n沁河镇,2023-03-03,沁河镇巡查队,沁河村,无\n"
	if resp, body := town.upload("patrol", "巡查-混合.csv", []byte(mixed)); resp.StatusCode != 422 || !strings.Contains(body, "不属于郭道镇") || !strings.Contains(body, "第 4 行") {
		t.Fatalf("other township's row: %d %s", resp.StatusCode, body)
	}
	if n := e.count(`SELECT count(*) FROM raw_patrols`); n != 0 {
		t.Fatalf("%d patrol rows stored after a refusal", n)
	}
	if resp, body := town.upload("patrol", "巡查记录.csv", patrol); resp.StatusCode != 200 || !strings.Contains(body, "已导入") {
		t.Fatalf("own patrol upload: %d %s", resp.StatusCode, body)
	}
	if resp, body := office.upload("patrol", "巡查-混合.csv", []byte(mixed)); resp.StatusCode != 200 || !strings.Contains(body, "已导入") {
		t.Fatalf("office patrol upload: %d %s", resp.StatusCode, body)
	}
	if resp, body := office.upload("patrol", "巡查-混合.csv", []byte(mixed)); resp.StatusCode != 200 || !strings.Contains(body, "已经导入过") {
		t.Fatalf("second upload: %d", resp.StatusCode)
	}
	lines := strings.SplitN(string(patrol), "\n", 2)
	bad := lines[0] + "\n火星镇,2023-13-40,张三,沁河村,无\n"
	resp, body := office.upload("patrol", "坏巡查.csv", []byte(bad))
	if resp.StatusCode != 422 || !strings.Contains(body, "整个文件未导入") || !strings.Contains(body, "坏巡查.csv") {
		t.Fatalf("bad upload: %d %s", resp.StatusCode, body)
	}
	if resp, body := office.post("/staff/models", map[string]string{"as_of": "2023-04-30"}); resp.StatusCode != 200 || !strings.Contains(body, "统计已更新，数据截至 2023-04-30") ||
		!strings.Contains(body, "数据检查全部通过") || strings.Contains(body, "mart_") || regexp.MustCompile(`\d\.\d+s`).MatchString(body) {
		t.Fatalf("models: %d %s", resp.StatusCode, body)
	}
	_, body = town.get("/staff/scorecard")
	if strings.Contains(body, "尚未计算") || !strings.Contains(body, ">郭道镇</td>") || strings.Contains(body, ">沁河镇</td>") {
		t.Fatalf("township scorecard: %s", body)
	}
	resp, _ = office.get("/staff/export/ledger.xlsx")
	if resp.StatusCode != 200 {
		t.Fatalf("ledger xlsx: %d", resp.StatusCode)
	}
}
