package portal

import (
	"strings"
	"testing"

	"landwatch/store/accounts"
)

// TestListsBeforeAnyRun: a warehouse no models run has built lists the cases and clues loaded and
// shows a meter's page: the views of what stands now exist from the warehouse's open
// (queries/live.go), not from the first run.
func TestListsBeforeAnyRun(t *testing.T) {
	e := newEnv(t)
	e.loadRaw("cases", "raw_cases", "case_id, source, township, village, found_on, filed_on",
		"AJ-2023-001", "巡查", "沁河镇", "沁河村", "2023-03-20", "2023-03-22")
	e.loadRaw("clues", "raw_clues", "clue_id, source, township, found_on, verdict", "XS-001", "媒体曝光", "沁河镇", "2023-03-18", "核查中")
	e.loadRaw("meters", "raw_meters", "meter_id, customer_type, township, village", "M-1", "关闭矿井", "沁河镇", "沁河村")
	if n := e.count(`SELECT count(*) FROM run_parameters`); n != 0 {
		t.Fatalf("%d models runs before the test's none", n)
	}
	office := e.staffAs(accounts.RoleOffice, "")
	for url, want := range map[string]string{"/staff/cases": "AJ-2023-001", "/staff/clues": "XS-001", "/staff/cases/AJ-2023-001": "AJ-2023-001",
		"/staff/power/meters/M-1": "M-1", "/staff/power/meters": "M-1"} {
		resp, body := office.get(url)
		if resp.StatusCode != 200 || !strings.Contains(body, want) {
			t.Errorf("%s before any run: %d, names %s: %v", url, resp.StatusCode, want, strings.Contains(body, want))
		}
	}
}
