package portal

import (
	"os"
	"strings"
	"testing"

	"landwatch/store/accounts"
)

// A list page opens on the last run that has data for its figure and says so beside the date
// field: imagery that stopped arriving before the last run opens on the run that last saw it (with
// the last run named), a figure whose data keep coming on the last run; a day asked for is shown as
// asked, without the words; the dossier follows the accountability figures.
func TestFigureDefaultDay(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	office := e.staffAs(accounts.RoleOffice, "")
	load := func(kind, name, received string) {
		t.Helper()
		data, err := os.ReadFile("../testdata/etl/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if resp, body := office.uploadStamped(kind, name, data, map[string]string{"received_on": received}); resp.StatusCode != 200 || !strings.Contains(body, "已导入") {
			t.Fatalf("upload %s: %d %s", name, resp.StatusCode, body)
		}
	}
	run := func(day string) {
		t.Helper()
		if resp, body := office.post("/staff/models", map[string]string{"as_of": day}); resp.StatusCode != 200 || !strings.Contains(body, "统计已更新，数据截至 "+day) {
			t.Fatalf("models as of %s: %d %s", day, resp.StatusCode, body)
		}
	}
	field := func(body string) string {
		t.Helper()
		_, rest, ok := strings.Cut(body, `<input name="as_of" type="date" value="`)
		if !ok {
			t.Fatalf("no date field:\n%s", body)
		}
		v, _, _ := strings.Cut(rest, `"`)
		return v
	}
	load("imagery", "卫片图斑.csv", "2023-05-12")
	run("2023-05-14")
	if _, body := office.get("/staff/imagery"); field(body) != "2023-05-14" || !strings.Contains(body, "默认：有数据的最近一天 2023-05-14<") {
		t.Fatalf("imagery after the first run: field %q\n%s", field(body), body)
	}
	// patrols come in later, imagery does not
	load("patrol", "巡查记录.csv", "2023-06-01")
	run("2023-06-30")
	_, body := office.get("/staff/imagery")
	if field(body) != "2023-05-14" || !strings.Contains(body, "默认：有数据的最近一天 2023-05-14（此后没有新送达的数据；最近一次更新统计截至 2023-06-30）") ||
		!strings.Contains(body, "WP-2023-101") {
		t.Fatalf("imagery after the second run: field %q\n%s", field(body), body)
	}
	if _, body := office.get("/staff/scorecard"); field(body) != "2023-06-30" || !strings.Contains(body, "默认：有数据的最近一天 2023-06-30<") {
		t.Fatalf("scorecard: field %q\n%s", field(body), body)
	}
	// asked for the last run: shown as asked, no default words
	if _, body := office.get("/staff/imagery?as_of=2023-06-30"); field(body) != "2023-06-30" || strings.Contains(body, "默认：") {
		t.Fatalf("imagery asked for 2023-06-30: field %q\n%s", field(body), body)
	}
	// the dossier is of the accountability figures, whose kinds (imagery, not patrols) stopped too
	resp, _ := office.get("/staff/dossier/" + urlq("王和镇"))
	if cd := resp.Header.Get("Content-Disposition"); resp.StatusCode != 200 || !strings.Contains(cd, "20230514.pdf") {
		t.Fatalf("dossier: %d %s", resp.StatusCode, cd)
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE action = 'dossier.viewed' AND detail LIKE '%2023-05-14%'`); n != 1 {
		t.Fatalf("dossier audited as of 2023-05-14 %d times, want 1", n)
	}
	// the export without a day is of the page's day; a township user gets the words too
	if resp, _ := office.get("/staff/export/ledger.xlsx"); resp.StatusCode != 200 {
		t.Fatalf("ledger export: %d", resp.StatusCode)
	}
	town := e.staffAs(accounts.RoleTownship, "郭道镇")
	if _, body := town.get("/staff/scorecard"); !strings.Contains(body, "默认：有数据的最近一天 2023-06-30") {
		t.Fatalf("township scorecard:\n%s", body)
	}
}
