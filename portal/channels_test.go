package portal

import (
	"bytes"
	"image"
	"image/png"
	"strings"
	"testing"
	"time"

	"landwatch/store/accounts"
)

// TestChannelConsoles: 公安 lists the explosives flows that are clues with their check deadline and
// records a check (a result outside the list, a day before the flow, a day in the future or a 属实
// without grounds refused); another department is refused the page and the check; the township
// lists its own camera events, opens a screenshot, records a check of its own event and gets 404
// for another township's; after the next models run the checked flow and event are violations.
func TestChannelConsoles(t *testing.T) {
	clock := time.Date(2023, 4, 20, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	e := newEnv(t, noLimits(Options{NoJSDelay: 50 * time.Millisecond, Now: func() time.Time { return clock }}))
	e.loadRaw("explosives", "raw_explosives", "flow_id, buyer, licence_id, item, quantity, unit, drawn_on, site, township, village, lon, lat, returned",
		"MB-1", "沁源爆破公司", "C-404", "炸药", 20.0, "千克", "2023-03-10", "沁河镇沁河村北山", "沁河镇", "沁河村", 112.30, 36.50, 0.0)
	e.loadRaw("video", "raw_video_events", "event_id, camera_id, township, village, lon, lat, seen_at, event_type, screenshot",
		"SP-1", "CAM-1", "沁河镇", "沁河村", 112.31, 36.51, "2023-03-12 23:30:00", "夜间作业", "sp1.png")
	e.loadRaw("video", "raw_video_events", "event_id, camera_id, township, village, lon, lat, seen_at, event_type, screenshot",
		"SP-2", "CAM-2", "郭道镇", "郭道村", 112.18, 36.79, "2023-03-12 23:40:00", "夜间作业", "sp2.png")
	var b bytes.Buffer
	png.Encode(&b, image.NewGray(image.Rect(0, 0, 2, 2)))
	var batch int64
	e.db.QueryRow(`SELECT batch_id FROM raw_video_events WHERE event_id = 'SP-1'`).Scan(&batch)
	if _, err := e.db.Exec(`INSERT INTO raw_video_screenshots VALUES (?, 'SP-1', 'sp1.png', 'image/png', 'h1', ?)`, batch, b.Bytes()); err != nil {
		t.Fatal(err)
	}
	e.buildModels()
	police := e.staffAs(accounts.RoleDepartment, "公安")
	market := e.staffAs(accounts.RoleDepartment, "市监")
	town := e.staffAs(accounts.RoleTownship, "沁河镇")
	office := e.staffAs(accounts.RoleOffice, "")

	resp, body := police.get("/staff/explosives")
	if resp.StatusCode != 200 || !strings.Contains(body, "MB-1") || !strings.Contains(body, "许可证号未登记") || !strings.Contains(body, "期限 2023-03-26") ||
		!strings.Contains(body, `action="/staff/explosives/MB-1/check"`) || strings.Contains(body, "unknown_licence") {
		t.Fatalf("公安's list: %d\n%s", resp.StatusCode, body)
	}
	if resp, _ := market.get("/staff/explosives"); resp.StatusCode != 403 {
		t.Errorf("市监 GET /staff/explosives: %d, want 403", resp.StatusCode)
	}
	if resp, _ := market.post("/staff/explosives/MB-1/check", map[string]string{"checked_on": "2023-04-01", "result": "属实", "note": "x"}); resp.StatusCode != 403 {
		t.Errorf("市监 checks a flow: %d, want 403", resp.StatusCode)
	}
	for _, bad := range []struct{ on, result, note, want string }{
		{"2023-04-01", "是", "x", "核查结果应为"},
		{"2023-03-01", "属实", "x", "早于线索日期"},
		{"2023-05-01", "属实", "x", "晚于今天"},
		{"2023-04-01", "属实", "", "写明依据"},
	} {
		if resp, body := police.post("/staff/explosives/MB-1/check", map[string]string{"checked_on": bad.on, "result": bad.result, "note": bad.note}); resp.StatusCode != 400 || !strings.Contains(body, bad.want) {
			t.Errorf("check %v: %d, want 400 with %q", bad, resp.StatusCode, bad.want)
		}
	}
	if n := e.count(`SELECT count(*) FROM clue_check_entries`); n != 0 {
		t.Fatalf("refused checks stored %d rows", n)
	}
	if resp, _ := police.post("/staff/explosives/MB-1/check", map[string]string{"checked_on": "2023-04-01", "result": "属实", "note": "北山无证爆破"}); resp.StatusCode != 200 {
		t.Fatalf("公安's check: %d", resp.StatusCode)
	}

	resp, body = town.get("/staff/video")
	if resp.StatusCode != 200 || !strings.Contains(body, "SP-1") || strings.Contains(body, "SP-2") || !strings.Contains(body, "夜间") {
		t.Fatalf("the township's list: %d\n%s", resp.StatusCode, body)
	}
	if resp, shot := town.get("/staff/video/SP-1/shot"); resp.StatusCode != 200 || shot != b.String() {
		t.Errorf("screenshot: %d", resp.StatusCode)
	}
	if resp, _ := town.get("/staff/video/SP-2/shot"); resp.StatusCode != 404 {
		t.Errorf("another township's screenshot: %d, want 404", resp.StatusCode)
	}
	if resp, _ := town.post("/staff/video/SP-2/check", map[string]string{"checked_on": "2023-04-01", "result": "属实", "note": "x"}); resp.StatusCode != 404 {
		t.Errorf("another township's event checked: %d, want 404", resp.StatusCode)
	}
	if resp, _ := office.post("/staff/video/SP-1/check", map[string]string{"checked_on": "2023-04-01", "result": "属实", "note": "x"}); resp.StatusCode != 403 {
		t.Errorf("the office checks an event: %d, want 403", resp.StatusCode)
	}
	if resp, _ := town.post("/staff/video/SP-1/check", map[string]string{"checked_on": "2023-04-02", "result": "属实", "note": "井口夜间出煤"}); resp.StatusCode != 200 {
		t.Fatalf("the township's check: %d", resp.StatusCode)
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE action IN ('explosives.check', 'video.check')`); n != 2 {
		t.Errorf("%d audited checks, want 2", n)
	}
	e.buildModels()
	if n := e.count(`SELECT count(*) FROM mart_violations WHERE source_refs IN ('MB-1', 'SP-1')`); n != 2 {
		t.Errorf("%d violations from the checked flow and event, want 2", n)
	}
	if _, body := office.get("/staff/"); !strings.Contains(body, "待核查的视频监控线索") {
		t.Error("the office's queue has no section for camera events")
	}
}
