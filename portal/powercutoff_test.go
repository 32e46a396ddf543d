package portal

import (
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"landwatch/store/accounts"
)

// confirmForm is a 确认终止供电 form of a list row (power.html, meters.html).
var confirmForm = regexp.MustCompile(`(?s)<form method="post" action="([^"]*)" class="row confirm-cutoff">(.*?)</form>`)

// confirmForms are the actions of a page's 确认终止供电 forms (each with the meter filled in); a
// form without the day supply ended, the token or the button fails the test.
func confirmForms(t *testing.T, body string) []string {
	t.Helper()
	var out []string
	for _, m := range confirmForm.FindAllStringSubmatch(body, -1) {
		if !strings.Contains(m[2], `name="cutoff_on"`) || !strings.Contains(m[2], `required`) || !strings.Contains(m[2], "确认终止供电") ||
			!strings.Contains(m[2], `name="_csrf"`) {
			t.Errorf("a confirmation form without its date, token or button: %s", m[0])
		}
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

// TestConfirmCutoffOnRows: the power company's alert and meter rows of a meter whose cut-off was
// ordered and not confirmed carry 确认终止供电 with the meter filled in, posting to the
// confirmation; no other meter's row does, no other account sees the button, the button goes once
// the confirmation is entered and comes back with a new order.
func TestConfirmCutoffOnRows(t *testing.T) {
	t.Parallel()
	clock := time.Date(2023, 4, 20, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	e := newEnv(t, noLimits(Options{NoJSDelay: 50 * time.Millisecond, Now: func() time.Time { return clock }}))
	for _, m := range []string{"M-1", "M-2"} {
		e.loadRaw("meters", "raw_meters", "meter_id, customer_type, township, village", m, "关闭矿井", "沁河镇", "沁河村")
		e.loadRaw("power", "raw_power_readings", "meter_id, ts, kwh", m, "2023-03-10 10:00:00", 5.0)
	}
	e.buildModels()
	company := e.staffAs(accounts.RoleDepartment, powerScope)
	office := e.staffAs(accounts.RoleOffice, "")
	town := e.staffAs(accounts.RoleTownship, "沁河镇")
	lists := []string{"/staff/power", "/staff/power/meters"}
	want := func(who staffClient, name string, forms ...string) {
		t.Helper()
		for _, p := range lists {
			resp, body := who.get(p)
			if resp.StatusCode != 200 {
				t.Fatalf("%s %s: %d", name, p, resp.StatusCode)
			}
			got := confirmForms(t, body)
			seen := map[string]bool{}
			for _, g := range got {
				seen[g] = true
			}
			if len(seen) != len(forms) {
				t.Errorf("%s %s: 确认终止供电 for %v, want %v", name, p, got, forms)
			}
			for _, f := range forms {
				if !seen[f] {
					t.Errorf("%s %s: no 确认终止供电 posting to %s (forms: %v)", name, p, f, got)
				}
			}
		}
	}
	want(company, "供电公司") // nothing ordered yet

	for _, m := range []string{"M-1", "M-2"} {
		if resp, body := company.post("/staff/power/alerts/"+m+"-CLM-20230310/check", map[string]string{"checked_on": "2023-03-12", "result": "非法采矿", "note": "井口有人"}); resp.StatusCode != 200 {
			t.Fatalf("check %s: %d %s", m, resp.StatusCode, body)
		}
	}
	e.buildModels()
	if resp, _ := office.post("/staff/power/meters/M-1/cutoff", map[string]string{"cutoff_on": "2023-03-15"}); resp.StatusCode != 200 {
		t.Fatalf("order: %d", resp.StatusCode)
	}
	// the order counts at once (the models have not run since), on M-1's rows only
	want(company, "供电公司", "/staff/power/meters/M-1/cutoff-done")
	want(office, "办公室")
	want(town, "乡镇")
	if _, body := office.get("/staff/power/meters"); !strings.Contains(body, "已下达指令 2023-03-15，待确认") {
		t.Error("the office's meter list does not say the order awaits confirmation")
	}

	// the row's form, posted as the page has it, is the confirmation
	_, body := company.get("/staff/power/meters")
	action := confirmForms(t, body)[0]
	if resp, body := company.post(action, map[string]string{"cutoff_on": "2023-03-14"}); resp.StatusCode != 400 || !strings.Contains(body, "早于指令日期") {
		t.Fatalf("a confirmation before the order: %d", resp.StatusCode)
	}
	if resp, body := company.post(action, map[string]string{"cutoff_on": "2023-03-16"}); resp.StatusCode != 200 || !strings.Contains(body, "终止供电已确认") {
		t.Fatalf("confirm from the row: %d", resp.StatusCode)
	}
	if n := e.count(`SELECT count(*) FROM power_cutoffs WHERE meter_id = 'M-1' AND kind = 'done' AND cutoff_on = DATE '2023-03-16'`); n != 1 {
		t.Fatalf("%d confirmations of M-1 stored, want 1", n)
	}
	want(company, "供电公司")

	// a new order (supply came back) asks for a new confirmation
	clock = clock.Add(time.Hour)
	if resp, _ := office.post("/staff/power/meters/M-1/cutoff", map[string]string{"cutoff_on": "2023-04-19"}); resp.StatusCode != 200 {
		t.Fatalf("second order: %d", resp.StatusCode)
	}
	want(company, "供电公司", "/staff/power/meters/M-1/cutoff-done")
}
