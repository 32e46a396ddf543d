package portal

import (
	"regexp"
	"strings"
	"testing"

	"landwatch/internal/sanitize/sanitizetest"
	"landwatch/store/accounts"
)

// TestTipTextEncryptedAtRest: a tip's place, description and contact and every message are stored
// encrypted (a copied warehouse or `landwatch sql` shows ciphertext); staff who may read them and
// the citizen with the receipt read them through the portal.
func TestTipTextEncryptedAtRest(t *testing.T) {
	e := newEnv(t)
	in := goodTip()
	in["contact"] = "微信 " + sanitizetest.SecretPhone
	receipt := e.submitAPI(in)
	var tipID string
	e.db.QueryRow(`SELECT tip_id FROM tips`).Scan(&tipID)
	if err := e.srv.tips.AddMessage(t.Context(), tipID, "citizen", "", "又看到车了 "+sanitizetest.SecretName); err != nil {
		t.Fatal(err)
	}
	var desc string
	if err := e.db.QueryRow(`SELECT description FROM tips`).Scan(&desc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(desc, "enc1:") {
		t.Errorf("description stored as %q", desc)
	}
	for _, s := range allStrings(t, e, desc) {
		for _, plain := range []string{"夜里有车拉煤", "村东废弃井口", sanitizetest.SecretPhone, sanitizetest.SecretName} {
			if strings.Contains(s, plain) {
				t.Errorf("the warehouse holds %q in plain text: %q", plain, s)
			}
		}
	}
	office := e.staffAs(accounts.RoleOffice, "")
	if resp, body := office.get("/staff/tips/" + tipID); resp.StatusCode != 200 || !strings.Contains(body, "夜里有车拉煤") ||
		!strings.Contains(body, sanitizetest.SecretPhone) || !strings.Contains(body, sanitizetest.SecretName) || !strings.Contains(body, "村东废弃井口") {
		t.Fatalf("office does not read the tip: %d", resp.StatusCode)
	}
	if _, body := e.do(formReq("/status", map[string]string{"receipt": receipt})); !strings.Contains(body, sanitizetest.SecretName) {
		t.Fatal("citizen does not read their message")
	}
}

// TestTipTimesCoarse: a tip's stored times are to the hour (its day kept), and citizen requests
// are logged without a time finer than the hour.
func TestTipTimesCoarse(t *testing.T) {
	e := newEnv(t)
	e.submitAPI(goodTip())
	for _, q := range []string{
		`SELECT count(*) FROM tips WHERE date_trunc('hour', received_at) <> received_at OR date_trunc('hour', updated_at) <> updated_at`,
		`SELECT count(*) FROM tip_files WHERE date_trunc('hour', added_at) <> added_at`,
		`SELECT count(*) FROM audit_log WHERE actor = 'citizen' AND date_trunc('hour', logged_at) <> logged_at`,
		`SELECT count(*) FROM tips WHERE received_on <> CAST(received_at AS DATE)`,
	} {
		if n := e.count(q); n != 0 {
			t.Errorf("%s: %d", q, n)
		}
	}
	fine := regexp.MustCompile(`time=\S+T\d\d:(\d\d):(\d\d)\.(\d+)`)
	for _, line := range strings.Split(e.logs.String(), "\n") {
		if !strings.Contains(line, "路径=/api") && !strings.Contains(line, "路径=/tip") && !strings.Contains(line, "路径=/status") {
			continue
		}
		if m := fine.FindStringSubmatch(line); m != nil && (m[1] != "00" || m[2] != "00" || strings.Trim(m[3], "0") != "") {
			t.Errorf("citizen request logged to the minute: %s", line)
		}
	}
}
