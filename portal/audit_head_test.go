package portal

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"landwatch/audit"
	"landwatch/store/accounts"
	"landwatch/store/tipstore"
)

// auditEnv is a server with six audit entries (three tips, each moved to 核查中).
func auditEnv(t *testing.T) *testEnv {
	t.Helper()
	e := newEnv(t)
	for range 3 {
		e.submitAPI(goodTip())
	}
	u := &accounts.User{Name: "office1", Role: accounts.RoleOffice}
	rows, err := e.db.Query(`SELECT tip_id FROM tips ORDER BY rowid`)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for rows.Next() {
		var id string
		rows.Scan(&id)
		ids = append(ids, id)
	}
	rows.Close()
	for _, id := range ids {
		if err := e.srv.Tips().ChangeStatus(t.Context(), u, id, tipstore.StatusChecking, "派员核查"); err != nil {
			t.Fatal(err)
		}
	}
	if n, f, err := audit.Verify(t.Context(), e.db); err != nil || len(f) != 0 || n != 6 {
		t.Fatalf("clean chain: %d %v %v", n, f, err)
	}
	return e
}

func mustFail(t *testing.T, e *testEnv, want string) {
	t.Helper()
	n, f, err := audit.Verify(t.Context(), e.db)
	if err == nil && len(f) == 0 {
		t.Fatalf("%d entries reported intact", n)
	}
	all := ""
	for _, x := range f {
		all += x.Kind + " " + x.String() + "\n"
	}
	if err != nil {
		all += err.Error()
	}
	if !strings.Contains(all, want) {
		t.Fatalf("want a finding with %q, got:\n%s", want, all)
	}
}

// TestAuditCutTailAndHeadFile: entries cut from the end together with the head file are found
// (the head kept in the warehouse still names the last entry).
func TestAuditCutTailAndHeadFile(t *testing.T) {
	e := auditEnv(t)
	e.db.Exec(`DELETE FROM audit_log WHERE seq >= 5`)
	os.Remove(audit.HeadPath(e.db.Path))
	mustFail(t, e, "deleted")
}

// TestAuditDeleteAllAndHeadFile: an emptied log without its head file is not "0 entries, intact".
func TestAuditDeleteAllAndHeadFile(t *testing.T) {
	e := auditEnv(t)
	e.db.Exec(`DELETE FROM audit_log`)
	os.Remove(audit.HeadPath(e.db.Path))
	mustFail(t, e, "deleted")
	// and with the warehouse's head gone too, the missing head is itself the failure
	e.db.Exec(`DELETE FROM audit_head`)
	mustFail(t, e, "head")
}

// TestAuditHeadForged: a head file written by someone without the secret is refused.
func TestAuditHeadForged(t *testing.T) {
	e := auditEnv(t)
	e.db.Exec(`DELETE FROM audit_log WHERE seq >= 5`)
	var mac string
	e.db.QueryRow(`SELECT mac FROM audit_log WHERE seq = 4`).Scan(&mac)
	os.WriteFile(audit.HeadPath(e.db.Path), []byte("4 "+mac+"\n"), 0o600)
	e.db.Exec(`UPDATE audit_head SET seq = 4, mac = ?`, mac)
	mustFail(t, e, "head")
}

// paidTip takes a tip through verification, reward and payout.
func paidTip(t *testing.T, e *testEnv) string {
	t.Helper()
	receipt := e.submitAPI(goodTip())
	var tipID string
	e.db.QueryRow(`SELECT tip_id FROM tips ORDER BY rowid DESC LIMIT 1`).Scan(&tipID)
	u := &accounts.User{Name: "office1", Role: accounts.RoleOffice}
	if err := e.srv.Tips().ChangeStatus(t.Context(), u, tipID, tipstore.StatusTrue, "现场核实"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.srv.Tips().ApproveReward(t.Context(), "office1", tipID, "一般", "8000", ""); err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("GET", "/api/v1/tips/status", nil)
	req.Header.Set("X-Receipt", receipt)
	_, body := e.do(req)
	var v struct {
		ClaimCode string `json:"claim_code"`
	}
	json.Unmarshal([]byte(body), &v)
	if v.ClaimCode == "" {
		t.Fatalf("no claim code: %s", body)
	}
	if _, err := e.srv.Tips().RecordPayout(t.Context(), "fin1", tipstore.PayoutInput{Receipt: receipt, ClaimCode: v.ClaimCode, Amount: "8000",
		Voucher: "CZ-1", PaidOn: e.srv.tips.Today().Format("2006-01-02")}); err != nil {
		t.Fatal(err)
	}
	return tipID
}

// TestAuditPayoutEdited: a payout amount (or a reward amount) edited in the warehouse is found.
func TestAuditPayoutEdited(t *testing.T) {
	e := newEnv(t)
	paidTip(t, e)
	if _, f, err := audit.Verify(t.Context(), e.db); err != nil || len(f) != 0 {
		t.Fatalf("clean: %v %v", f, err)
	}
	e.db.Exec(`UPDATE payouts SET amount_yuan = 80000`)
	mustFail(t, e, "payout")
	e.db.Exec(`UPDATE payouts SET amount_yuan = 8000`)
	e.db.Exec(`UPDATE rewards SET amount_yuan = 9000`)
	mustFail(t, e, "reward")
}
