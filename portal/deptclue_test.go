package portal

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"landwatch/audit"
	"landwatch/internal/sanitize/sanitizetest"
	"landwatch/store/accounts"
)

// postFiles sends a multipart staff form with files, as the signed-in client.
func (c staffClient) postFiles(path string, vals map[string]string, files map[string][]byte) (*http.Response, string) {
	v := map[string]string{"_csrf": c.csrf}
	for k, x := range vals {
		v[k] = x
	}
	req := multipartReq(path, v, files)
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: c.cookie})
	return c.e.do(req)
}

// TestDeptClue: a member unit raises a clue with a photo; the photo is stored without its
// metadata, exactly as a tip's; the clue enters the office's triage queue as 部门移送 with the
// unit's name; only the raising unit adds photos (403 for another) and the office and that unit
// may open them; every step is audited.
func TestDeptClue(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.casesAndClues() // the clue lists read the staging models
	safety := e.staffAs(accounts.RoleDepartment, "应急")
	police := e.staffAs(accounts.RoleDepartment, "公安")
	office := e.staffAs(accounts.RoleOffice, "")
	form := map[string]string{"township": "沁河镇", "village": "沁河村", "place": "后沟废弃井口", "category": "M4",
		"found_on": "2023-03-20", "description": "井口有新鲜煤渣，夜间有车"}
	bad := map[string]string{"township": "沁河镇", "found_on": "2023-03-20", "description": "x", "lon": "100.0", "lat": "30.0"}
	if resp, body := safety.postFiles("/staff/deptclues", bad, nil); resp.StatusCode != 400 || !strings.Contains(body, "不在本县范围内") {
		t.Fatalf("coordinates outside the county: %d", resp.StatusCode)
	}
	resp, body := safety.postFiles("/staff/deptclues", form, map[string][]byte{"现场.jpg": sanitizetest.ExifJPEG(t)})
	if resp.StatusCode != 200 || !strings.Contains(body, "线索 BM-0001 已上报") {
		t.Fatalf("raise: %d", resp.StatusCode)
	}
	var stored []byte
	e.db.QueryRow(`SELECT data FROM dept_clue_files WHERE clue_id = 'BM-0001'`).Scan(&stored)
	if len(stored) == 0 || !bytes.HasPrefix(stored, []byte{0xFF, 0xD8}) {
		t.Fatalf("photo not stored as a JPEG: %d bytes", len(stored))
	}
	for _, secret := range []string{"Exif", "GPSLatitude", "CAM-SERIAL-889977", "Canon EOS owner John"} {
		if bytes.Contains(stored, []byte(secret)) {
			t.Errorf("the clue's photo still holds %q", secret)
		}
	}
	if n := e.count(`SELECT count(*) FROM dept_clue_files WHERE name LIKE '%现场%'`); n != 0 {
		t.Error("the sender's file name was stored")
	}
	if resp, _ := police.postFiles("/staff/deptclues/BM-0001/files", nil, map[string][]byte{"x.jpg": sanitizetest.ExifJPEG(t)}); resp.StatusCode != 403 {
		t.Fatalf("another unit adds photos: %d, want 403", resp.StatusCode)
	}
	if resp, _ := police.get("/staff/deptclues/BM-0001/files/1"); resp.StatusCode != 403 {
		t.Fatalf("another unit opens the photo: %d, want 403", resp.StatusCode)
	}
	if _, body := police.get("/staff/deptclues"); strings.Contains(body, "BM-0001") {
		t.Error("another unit lists the clue")
	}
	if resp, _ := safety.postFiles("/staff/deptclues/BM-0001/files", nil, map[string][]byte{"y.jpg": sanitizetest.ExifJPEG(t)}); resp.StatusCode != 200 {
		t.Fatalf("the raising unit adds a photo: %d", resp.StatusCode)
	}
	if resp, body := office.get("/staff/deptclues/BM-0001/files/2"); resp.StatusCode != 200 || !strings.HasPrefix(body, "\xFF\xD8") {
		t.Fatalf("office opens the photo: %d", resp.StatusCode)
	}
	if _, body := office.get("/staff/deptclues"); !strings.Contains(body, "BM-0001") || !strings.Contains(body, "应急") {
		t.Error("the office does not see the clue with its unit")
	}
	if _, body := office.get("/staff/clues"); !strings.Contains(body, "BM-0001") || !strings.Contains(body, "部门移送") {
		t.Error("the clue is not in the office's triage queue as 部门移送")
	}
	if resp, _ := office.post("/staff/clues/BM-0001/assign", map[string]string{"department": "公安"}); resp.StatusCode != 200 {
		t.Fatalf("assign: %d", resp.StatusCode)
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE action IN ('clue.raise', 'clue.files')`); n != 2 {
		t.Fatalf("%d audited clue entries, want 2", n)
	}
	if _, findings, err := audit.Verify(t.Context(), e.db); err != nil || len(findings) > 0 {
		t.Fatalf("audit: %v %v", findings, err)
	}
}
