package portal

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"landwatch/internal/rss/rsstest"
	"landwatch/store/accounts"
)

// flood sends n concurrent wrong logins over 127.0.0.1 (postConcurrently: every attempt waits for
// a hash slot, and on a loaded 2-core machine the last of 200 may wait minutes, which is the bound
// working, not a failure) and returns the status codes counted.
func flood(t *testing.T, base string, n int, user func(i int) string, ip func(i int) string) map[int]int {
	t.Helper()
	return postConcurrently(t, n, func(i int) *http.Request {
		form := url.Values{"username": {user(i)}, "password": {"wrong-password"}}
		req, _ := http.NewRequest("POST", base+"/staff/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Real-IP", ip(i))
		return req
	})
}

// TestLoginFloodBounded: 200 concurrent wrong logins from one address reach the password hash only
// as often as the limiter allows (401), the rest are refused before hashing (429); the real user
// signs in from another address afterwards; 200 concurrent logins from 200 addresses keep the
// process's memory growth under 1 GB because every Argon2id hash waits for one of a few slots.
func TestLoginFloodBounded(t *testing.T) {
	const n = 200
	frozen := time.Date(2023, 3, 10, 9, 0, 0, 0, time.UTC)
	e := newEnv(t, noLimits(Options{NoJSDelay: time.Second, ProxyHeader: "X-Real-IP", TrustedProxies: []string{"127.0.0.1"}, Now: func() time.Time { return frozen }}))
	pw := e.addUser("fin1", accounts.RoleFinance, "")
	base := e.listen()

	// memory: 200 addresses at once, every attempt hashed
	var codes map[int]int
	mem := rsstest.During(t, func() {
		codes = flood(t, base, n, func(i int) string { return fmt.Sprintf("user%d", i) }, func(i int) string { return fmt.Sprintf("10.1.%d.%d", i/250, i%250+1) })
	})
	if codes[401] != n {
		t.Errorf("200 addresses: %v; want 200 × 401", codes)
	}
	if mem.Growth() > 1<<30 {
		t.Errorf("memory grew by %d MiB under 200 concurrent logins", mem.MiB())
	} else {
		t.Logf("memory grew by %d MiB (%d hash slots)", mem.MiB(), e.srv.hasher.Slots())
	}

	codes = flood(t, base, n, func(int) string { return "fin1" }, func(int) string { return "10.0.0.1" })
	if codes[401] != loginPairFree || codes[429] != n-loginPairFree {
		t.Errorf("one user from one address: %v; want %d × 401 and the rest 429", codes, loginPairFree)
	}
	codes = flood(t, base, n, func(i int) string { return fmt.Sprintf("nobody%d", i) }, func(int) string { return "10.0.0.2" })
	if codes[401] != loginIPFree || codes[429] != n-loginIPFree {
		t.Errorf("many users from one address: %v; want %d × 401 and the rest 429", codes, loginIPFree)
	}

	// the same user name from many addresses: each pair may fail, and the user is slowed, not locked
	codes = flood(t, base, loginUserCeiling+5, func(int) string { return "fin1" }, func(i int) string { return fmt.Sprintf("10.2.0.%d", i+1) })
	if codes[401] != loginUserCeiling+5 {
		t.Errorf("one user from many addresses: %v", codes)
	}

	// the real user, from their own address, is not locked out by the attacker's failures
	began := time.Now()
	form := url.Values{"username": {"fin1"}, "password": {pw}}
	req, _ := http.NewRequest("POST", base+"/staff/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Real-IP", "10.9.9.9")
	client := httpClient()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("real user after the flood: %d, want 303", resp.StatusCode)
	}
	if took := time.Since(began); took < userDelay(loginUserCeiling+10) {
		t.Errorf("real user after the flood signed in at once (%v): attempts past the ceiling must be slowed", took)
	}

}
