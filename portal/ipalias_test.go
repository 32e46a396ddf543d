package portal

import (
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"
)

// TestProxyIPNotAliased: behind a proxy the client address comes from a request header, whose
// bytes belong to the HTTP server's buffer and are reused by later requests. The limiters keep
// addresses as map keys beyond the request, so they must keep copies: otherwise another request's
// address overwrites a key, the wrong-receipt backoff of one address is reset by the requests of
// others (429 becomes 404) and it may guess again.
func TestProxyIPNotAliased(t *testing.T) {
	frozen := time.Date(2023, 3, 10, 9, 0, 0, 0, time.UTC)
	e := newEnv(t, noLimits(Options{NoJSDelay: time.Second, ProxyHeader: "X-Real-IP", TrustedProxies: []string{"127.0.0.1"}, Now: func() time.Time { return frozen }}))
	base := e.listen()
	client := httpClient()
	guess := func(ip string) int {
		req, _ := http.NewRequest("GET", base+"/api/v1/tips/status", nil)
		req.Header.Set("X-Receipt", "1234")
		req.Header.Set("X-Real-IP", ip)
		resp, err := client.Do(req)
		if err != nil {
			t.Error(err)
			return 0
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	const victim = "10.7.100.100" // every address below has the same length, so bytes are overwritten in place
	for i := range 5 {
		if code := guess(victim); code != http.StatusNotFound {
			t.Fatalf("wrong receipt %d: %d, want 404", i+1, code)
		}
	}
	if code := guess(victim); code != http.StatusTooManyRequests {
		t.Fatalf("sixth wrong receipt: %d, want 429", code)
	}
	sent := map[string]bool{victim: true}
	var wg sync.WaitGroup
	for round := range 4 {
		for i := range 100 {
			ip := fmt.Sprintf("10.8.%d.%d", 100+round, 100+i)
			sent[ip] = true
			wg.Add(1)
			go func() { defer wg.Done(); guess(ip) }()
		}
		wg.Wait()
	}
	if code := guess(victim); code != http.StatusTooManyRequests {
		t.Errorf("the throttled address after others' requests: %d, want 429 (its backoff was reset)", code)
	}
	keys := e.srv.receiptBk.Keys()
	slices.Sort(keys)
	var want []string
	for k := range sent {
		want = append(want, k)
	}
	slices.Sort(want)
	if !slices.Equal(keys, want) {
		bad := 0
		for i, k := range keys {
			if !sent[k] || (i > 0 && keys[i-1] == k) {
				bad++
			}
		}
		t.Errorf("backoff keys: %d keys, %d wrong or repeated; want exactly the %d addresses sent", len(keys), bad, len(want))
	}
}
