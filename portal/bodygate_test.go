package portal

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"landwatch/internal/sanitize/sanitizetest"
	"landwatch/portal/gate"
)

// sendHeadersOnly opens a connection, announces a body of size bytes, sends only the first few and
// returns the status line the server answers with (or "" when it waits for the rest).
func sendHeadersOnly(t *testing.T, base, path string, size int, extra string) string {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=XYZ\r\nContent-Length: %d\r\n%s\r\n--XYZ\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.jpg\"\r\n\r\n", path, size, extra)
	conn.Write(make([]byte, 16<<10)) // the server reads its first buffer (8 KB) of a body in any case
	conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	line, _ := bufio.NewReader(conn).ReadString('\n')
	return strings.TrimSpace(line)
}

// TestTipBodyNotReadBeforeChecks: a 95 MB tip body is answered before it is read when its proof of
// work is missing or wrong, when its address has used up its hourly tips, or when it is larger than
// the uploads allowed; only an admitted request has its body read.
func TestTipBodyNotReadBeforeChecks(t *testing.T) {
	e := newEnv(t, Options{TipsPerIPHour: 1, DisableTipsPerHourLimit: true, PowBits: 8, NoJSDelay: 50 * time.Millisecond})
	base := e.listen()
	const big = 95 << 20
	for _, path := range []string{"/api/v1/tips", "/tip"} {
		if got := sendHeadersOnly(t, base, path, big, ""); !strings.Contains(got, " 400 ") {
			t.Errorf("%s without proof of work: %q, want 400 before the body", path, got)
		}
	}
	tok := e.srv.forms.Issue(e.srv.opt.now())
	if got := sendHeadersOnly(t, base, "/api/v1/tips", big, "X-Pow-Token: "+tok+"\r\nX-Pow-Nonce: 1\r\n"); !strings.Contains(got, " 400 ") {
		t.Errorf("wrong proof of work: %q, want 400 before the body", got)
	}
	if got := sendHeadersOnly(t, base, "/api/v1/tips/evidence", big, ""); !strings.Contains(got, " 404 ") {
		t.Errorf("evidence without a receipt: %q, want 404 before the body", got)
	}
	if got := sendHeadersOnly(t, base, "/api/v1/tips", 500<<20, ""); !strings.Contains(got, " 413 ") {
		t.Errorf("body above the upload limit: %q, want 413", got)
	}
	// a small JSON tip still carries its proof of work in the body
	tok = e.srv.forms.Issue(e.srv.opt.now())
	in := goodTip()
	in["pow_token"], in["pow_nonce"] = tok, solvePow(tok, 8)
	b, _ := json.Marshal(in)
	resp, err := httpClient().Post(base+"/api/v1/tips", "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 201 {
		t.Fatalf("small tip: %d", resp.StatusCode)
	}
	// the address has used its tip for the hour: refused before the body
	tok = e.srv.forms.Issue(e.srv.opt.now())
	if got := sendHeadersOnly(t, base, "/api/v1/tips", big, "X-Pow-Token: "+tok+"\r\nX-Pow-Nonce: "+solvePow(tok, 8)+"\r\n"); !strings.Contains(got, " 429 ") {
		t.Errorf("over the hourly limit: %q, want 429 before the body", got)
	}
}

// TestTipProofOfWorkInHeaders: a multipart tip with files whose proof of work comes in headers is
// admitted before its body is read and stored.
func TestTipProofOfWorkInHeaders(t *testing.T) {
	e := newEnv(t, Options{DisableTipsPerIPLimit: true, DisableTipsPerHourLimit: true, PowBits: 8, NoJSDelay: 50 * time.Millisecond})
	tok := e.srv.forms.Issue(e.srv.opt.now())
	fields := map[string]string{}
	for k, v := range goodTip() {
		fields[k] = fmt.Sprint(v)
	}
	req := multipartReq("/api/v1/tips", fields, map[string][]byte{"p.jpg": sanitizetest.ExifJPEG(t)})
	req.Header.Set("X-Pow-Token", tok)
	req.Header.Set("X-Pow-Nonce", solvePow(tok, 8))
	resp, body := e.do(req)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	// the same token again is a replay
	req = multipartReq("/api/v1/tips", fields, map[string][]byte{"p.jpg": sanitizetest.ExifJPEG(t)})
	req.Header.Set("X-Pow-Token", tok)
	req.Header.Set("X-Pow-Nonce", solvePow(tok, 8))
	if resp, _ := e.do(req); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("replayed token: %d", resp.StatusCode)
	}
}

// solvePow finds a nonce for token with bits zero bits.
func solvePow(token string, bits int) string {
	for n := 0; ; n++ {
		if s := fmt.Sprint(n); gate.PowOK(token, s, bits) {
			return s
		}
	}
}

// TestHeaderTooLargeHasSecurityHeaders: the 431 Fiber answers before any handler carries the same
// security headers as every other answer.
func TestHeaderTooLargeHasSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	base := e.listen()
	// The server answers 431 as soon as its header buffer is full and closes the connection, so
	// the client may still be writing the rest of the header then: its write fails (broken pipe,
	// reset) before it reads the answer. That is the answer's race, not a missing one: try again.
	var resp *http.Response
	for try := 1; ; try++ {
		req, _ := http.NewRequest("GET", base+"/", nil)
		req.Header.Set("X-Big", strings.Repeat("a", 16<<10))
		var err error
		resp, err = httpClient().Do(req)
		if err == nil {
			break
		}
		if try == 5 || !(errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNRESET)) {
			t.Fatal(err)
		}
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, h := range []string{"Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy", "Cache-Control"} {
		if resp.Header.Get(h) == "" {
			t.Errorf("431 without %s", h)
		}
	}
}
