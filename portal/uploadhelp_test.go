package portal

import (
	"bytes"
	"fmt"
	"html"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"landwatch/etl"
	"landwatch/store/accounts"
)

// TestUploadsThatHelp: the upload page offers a template for every kind the account uploads, the
// template holds the loader's columns and an example row and loads as it is; a file lacking
// columns lists every missing one at once; the same file again and a file repeating rows (its own
// or rows loaded before) are each named on the page.
func TestUploadsThatHelp(t *testing.T) {
	e := newEnv(t)
	office := e.staffAs(accounts.RoleOffice, "")
	town := e.staffAs(accounts.RoleTownship, "郭道镇")
	_, page := office.get("/staff/upload")
	for _, k := range e.srv.kindsFor(&accounts.User{Role: accounts.RoleOffice}) {
		if !strings.Contains(page, `href="/staff/upload/template/`+k.Kind+`"`) {
			t.Errorf("no template of %s on the upload page", k.Kind)
		}
	}
	resp, data := office.get("/staff/upload/template/meters")
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), "filename*=UTF-8''") {
		t.Fatalf("template: %d %q", resp.StatusCode, resp.Header.Get("Content-Disposition"))
	}
	f, err := excelize.OpenReader(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(f.GetSheetList()[0])
	if len(rows) != 2 || strings.Join(rows[0], ",") != "户号,户名,用电类别,乡镇,村,经度,纬度,地址" {
		t.Errorf("meters template rows %q", rows)
	}
	if resp, _ := town.get("/staff/upload/template/cases"); resp.StatusCode != 404 {
		t.Errorf("a township gets the template of a kind it does not upload: %d", resp.StatusCode)
	}
	// the template as it is loads; the same file again is named and not loaded twice
	if _, body := office.uploadStamped("meters", "电表.xlsx", []byte(data), nil); !strings.Contains(body, "已导入 电表.xlsx：1 行") {
		t.Fatalf("the template does not load: %s", pageMessages(body))
	}
	if _, body := office.uploadStamped("meters", "电表.xlsx", []byte(data), nil); !strings.Contains(body, "内容完全相同（1 行），没有重复导入") {
		t.Errorf("the same file again: %s", pageMessages(body))
	}
	// saved again with a row added: the row loaded before is named
	f.SetSheetRow(f.GetSheetList()[0], "A3", &[]string{"1430000777", "另一户", rows[1][2], rows[1][3], rows[1][4]})
	var b bytes.Buffer
	f.Write(&b)
	_, body := office.uploadStamped("meters", "电表-改.xlsx", b.Bytes(), nil)
	if !strings.Contains(body, "本文件有 1 行与已导入的数据完全相同") || !strings.Contains(body, "第2行 整行: 与已导入的批次") {
		t.Errorf("rows loaded before are not named: %s", pageMessages(body))
	}
	// a patrol log with a line written twice
	day := e.srv.cfg.Start().AddDate(0, 0, 10).Format("2006-01-02")
	patrol := fmt.Sprintf("乡镇,巡查日期,巡查人员,发现问题\n郭道镇,%[1]s,张三,未发现问题\n郭道镇,%[1]s,李四,未发现问题\n郭道镇,%[1]s,张三,未发现问题\n", day)
	if _, body := town.uploadStamped("patrol", "巡查.csv", []byte(patrol), nil); !strings.Contains(body, "第4行 整行: 与本文件第2行完全相同") {
		t.Errorf("a repeated row is not named: %s", pageMessages(body))
	}
	// every missing column at once, whatever the kind
	for _, k := range []string{"cases", "imagery", "restoration", "licences"} {
		kind, _ := etl.ParseKind(k)
		_, body := office.uploadStamped(k, "缺列.csv", []byte("甲,乙\n1,2\n"), nil)
		want := etl.RequiredColumns(kind)
		for _, col := range want {
			if !strings.Contains(body, "缺列.csv "+col+": 缺少必需的列") {
				t.Errorf("%s: missing column %s not listed: %s", k, col, pageMessages(body))
			}
		}
		if !strings.Contains(body, fmt.Sprintf("%d 处错误", len(want)+1)) {
			t.Errorf("%s: the count of errors is not %d: %s", k, len(want)+1, pageMessages(body))
		}
	}
}

// pageMessages is the error and notice text of a page, for a failing test's message.
func pageMessages(body string) string {
	var out []string
	for _, m := range []string{`class="error"`, `class="notice"`, `class="errors"`, `class="warnings"`} {
		if i := strings.Index(body, m); i >= 0 {
			out = append(out, html.UnescapeString(tagRe.ReplaceAllString(body[i:min(len(body), i+600)], " ")))
		}
	}
	return strings.Join(out, " | ")
}
