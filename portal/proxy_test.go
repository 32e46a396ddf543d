package portal

import (
	"context"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"landwatch/warehouse"
)

// TestProxyHeaderTrusted: the client-address header is honoured from the listed proxy only. A local
// process connecting from 127.0.0.1 (not the proxy's 127.0.0.2) rotates the header on every wrong
// receipt and is still throttled as one address; the proxy's header is honoured; a value that is
// not one IP address (a name, a list, a zone, junk) is refused, logged in Chinese, and counted as
// the proxy's own address.
func TestProxyHeaderTrusted(t *testing.T) {
	frozen := time.Date(2023, 3, 10, 9, 0, 0, 0, time.UTC)
	e := newEnv(t, noLimits(Options{NoJSDelay: time.Second, ProxyHeader: "X-Real-IP", TrustedProxies: []string{"127.0.0.2"},
		Now: func() time.Time { return frozen }}))
	base := e.listen()
	from := func(local string) *http.Client {
		d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}}
		return &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{DialContext: d.DialContext, DisableKeepAlives: true}}
	}
	guess := func(client *http.Client, header string) int {
		t.Helper()
		req, _ := http.NewRequest("GET", base+"/api/v1/tips/status", nil)
		req.Header.Set("X-Receipt", "1234")
		req.Header.Set("X-Real-IP", header)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}

	local := from("127.0.0.1") // any other process on the machine
	for i := range 5 {
		if code := guess(local, "10.1.0."+string(rune('1'+i))); code != http.StatusNotFound {
			t.Fatalf("local process, wrong receipt %d: %d, want 404", i+1, code)
		}
	}
	if code := guess(local, "10.1.0.9"); code != http.StatusTooManyRequests {
		t.Errorf("local process, sixth wrong receipt under a new header value: %d, want 429 (the header was honoured from an untrusted peer)", code)
	}

	proxy := from("127.0.0.2")
	for i := range 5 {
		if code := guess(proxy, "10.9.0.1"); code != http.StatusNotFound {
			t.Fatalf("through the proxy, wrong receipt %d: %d, want 404", i+1, code)
		}
	}
	if code := guess(proxy, "10.9.0.1"); code != http.StatusTooManyRequests {
		t.Errorf("through the proxy, sixth wrong receipt: %d, want 429", code)
	}
	if code := guess(proxy, "10.9.0.2"); code != http.StatusNotFound {
		t.Errorf("through the proxy, another client: %d, want 404 (its own address)", code)
	}

	bad := []string{"not-an-ip", "10.9.0.3, 10.9.0.4", "fe80::1%eth0", "999.1.1.1", "<script>", "10.9.0.5:80"}
	for _, v := range bad {
		guess(proxy, v)
	}
	keys := e.srv.receiptBk.Keys()
	slices.Sort(keys)
	if want := []string{"10.9.0.1", "10.9.0.2", "127.0.0.1", "127.0.0.2"}; !slices.Equal(keys, want) {
		t.Errorf("addresses counted: %q, want %q", keys, want)
	}
	logs := e.logs.String()
	if n := strings.Count(logs, "代理请求头的值不是IP地址"); n != len(bad) {
		t.Errorf("%d refusals logged, want %d:\n%s", n, len(bad), logs)
	}
	if !strings.Contains(logs, "not-an-ip") {
		t.Errorf("the refused value is not in the log:\n%s", logs)
	}
}

// TestProxyHeaderNeedsProxies: a proxy header without the proxies' addresses, or with a proxy that
// is not an address, does not start.
func TestProxyHeaderNeedsProxies(t *testing.T) {
	ctx := context.Background()
	db, err := warehouse.Open(ctx, filepath.Join(t.TempDir(), "lw.duckdb"), warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, o := range []Options{
		{ProxyHeader: "X-Real-IP"},
		{ProxyHeader: "X-Real-IP", TrustedProxies: []string{"localhost"}},
		{ProxyHeader: "X-Real-IP", TrustedProxies: []string{"127.0.0.2", "10.0.0.0/33"}},
		{TrustedProxies: []string{"127.0.0.2"}},
	} {
		o.Logger = testLogger()
		if srv, err := New(ctx, db, o); err == nil {
			srv.Close()
			t.Errorf("%+v: started, want refused", o)
		} else if !strings.ContainsAny(err.Error(), "代理") {
			t.Errorf("%+v: %v, want a Chinese reason", o, err)
		}
	}
}
