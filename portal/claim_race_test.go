package portal

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"landwatch/store/accounts"
	"landwatch/store/tipstore"
)

// approvedTip takes a tip to 奖励已批准 and returns its receipt.
func approvedTip(t *testing.T, e *testEnv) (string, string) {
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
	return receipt, tipID
}

// TestClaimCodeConcurrentFirstViews: six citizens' devices opening the status of a newly approved
// reward at once get one claim code between them and no error.
func TestClaimCodeConcurrentFirstViews(t *testing.T) {
	e := newEnv(t)
	receipt, _ := approvedTip(t, e)
	base := e.listen()
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes, statuses := 0, map[int]int{}
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("GET", base+"/api/v1/tips/status", nil)
			req.Header.Set("X-Receipt", receipt)
			resp, err := httpClient().Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			var v struct {
				ClaimCode string `json:"claim_code"`
			}
			json.Unmarshal(b, &v)
			mu.Lock()
			statuses[resp.StatusCode]++
			if v.ClaimCode != "" {
				codes++
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	if statuses[200] != 6 || codes != 1 {
		t.Fatalf("statuses %v, %d claim codes shown", statuses, codes)
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE action = 'reward.claim_code'`); n != 1 {
		t.Fatalf("%d claim codes issued", n)
	}
}

// TestPayoutDateWithinApprovalAndToday: a payout dated before the reward's approval (1900-01-01)
// or after today is refused, in Chinese.
func TestPayoutDateWithinApprovalAndToday(t *testing.T) {
	e := newEnv(t)
	receipt, _ := approvedTip(t, e)
	req, _ := http.NewRequest("GET", "/api/v1/tips/status", nil)
	req.Header.Set("X-Receipt", receipt)
	_, body := e.do(req)
	var v struct {
		ClaimCode string `json:"claim_code"`
	}
	json.Unmarshal([]byte(body), &v)
	for _, day := range []string{"1900-01-01", e.srv.tips.Today().AddDate(0, 0, 1).Format("2006-01-02")} {
		_, err := e.srv.Tips().RecordPayout(t.Context(), "fin1", tipstore.PayoutInput{Receipt: receipt, ClaimCode: v.ClaimCode, Amount: "8000", Voucher: "CZ-1", PaidOn: day})
		var ie *tipstore.InputError
		if !errors.As(err, &ie) || !strings.Contains(ie.Fields["paid_on"], "日期") {
			t.Errorf("payout dated %s: %v", day, err)
		}
	}
	if n := e.count(`SELECT count(*) FROM payouts`); n != 0 {
		t.Fatalf("%d payouts", n)
	}
}
