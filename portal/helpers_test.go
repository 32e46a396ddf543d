package portal

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"landwatch/warehouse"
)

// syncBuf is a log sink safe for concurrent writes.
type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type testEnv struct {
	t    *testing.T
	db   *warehouse.DB
	srv  *Server
	logs *syncBuf
	dir  string
}

// newEnv makes a fresh warehouse and server (proof of work off, generous limits) unless opt is given.
func newEnv(t *testing.T, opts ...Options) *testEnv {
	t.Helper()
	return openEnv(t, emptyWarehouse.Copy(t), opts...)
}

// openEnv is newEnv on the warehouse file given (a copy of a template, tinyenv_test.go), created if
// need be.
func openEnv(t *testing.T, file string, opts ...Options) *testEnv {
	t.Helper()
	dir := filepath.Dir(file)
	ctx := context.Background()
	db, err := warehouse.Open(ctx, file, warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	logs := &syncBuf{}
	opt := noLimits(Options{NoJSDelay: 50 * time.Millisecond})
	if len(opts) > 0 {
		opt = opts[0]
	}
	opt.Logger = slog.New(slog.NewTextHandler(logs, nil))
	srv, err := New(ctx, db, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return &testEnv{t: t, db: db, srv: srv, logs: logs, dir: dir}
}

// powerScope is the power company of the default configuration (power.company_unit).
const powerScope = "供电公司"

// noLimits turns the hourly limits and proof of work off (what most tests want).
func noLimits(o Options) Options {
	o.DisableTipsPerIPLimit, o.DisableTipsPerHourLimit, o.DisablePow = true, true, true
	return o
}

// do sends a request through the Fiber app (no network).
func (e *testEnv) do(req *http.Request) (*http.Response, string) {
	e.t.Helper()
	resp, err := e.srv.App().Test(req, 30_000)
	if err != nil {
		e.t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

func jsonReq(method, url string, v any) *http.Request {
	b, _ := json.Marshal(v)
	r := httptest.NewRequest(method, url, bytes.NewReader(b))
	r.Header.Set("Content-Type", "application/json")
	return r
}

// multipartReq builds a multipart request with fields and files (field "files").
func multipartReq(url string, fields map[string]string, files map[string][]byte) *http.Request {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	for name, data := range files {
		fw, _ := w.CreateFormFile("files", name)
		fw.Write(data)
	}
	w.Close()
	r := httptest.NewRequest("POST", url, &b)
	r.Header.Set("Content-Type", w.FormDataContentType())
	return r
}

func formReq(url string, vals map[string]string) *http.Request {
	var parts []string
	for k, v := range vals {
		parts = append(parts, urlq(k)+"="+urlq(v))
	}
	r := httptest.NewRequest("POST", url, strings.NewReader(strings.Join(parts, "&")))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

func urlq(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' {
			b.WriteByte(c)
		} else {
			b.WriteString("%" + strings.ToUpper(string("0123456789abcdef"[c>>4])+string("0123456789abcdef"[c&15])))
		}
	}
	return b.String()
}

// submitAPI posts a JSON tip and returns the receipt.
func (e *testEnv) submitAPI(in map[string]any) string {
	e.t.Helper()
	resp, body := e.do(jsonReq("POST", "/api/v1/tips", in))
	if resp.StatusCode != 201 {
		e.t.Fatalf("submit: %d %s", resp.StatusCode, body)
	}
	var out struct{ Receipt string }
	json.Unmarshal([]byte(body), &out)
	if len(out.Receipt) != 16 {
		e.t.Fatalf("receipt %q", out.Receipt)
	}
	return out.Receipt
}

func goodTip() map[string]any {
	return map[string]any{"township": "沁河镇", "village": "沁河村", "category": "M4", "place": "村东废弃井口",
		"description": "夜里有车拉煤，井口新挖", "seen_on": "2023-03-02", "lon": 112.33, "lat": 36.50}
}

// count returns a single integer from q.
func (e *testEnv) count(q string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.db.QueryRow(q, args...).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// listen serves the app on 127.0.0.1 for tests that need a real socket; it returns the base URL.
func (e *testEnv) listen() string {
	e.t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		e.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { e.srv.Serve(ctx, ln); close(done) }()
	e.t.Cleanup(func() { cancel(); <-done })
	return "http://" + ln.Addr().String()
}

func httpClient() *http.Client { return &http.Client{Timeout: 60 * time.Second} }

func newReq(method, url string, body []byte) (*http.Request, error) {
	if body == nil {
		return http.NewRequest(method, url, nil)
	}
	return http.NewRequest(method, url, bytes.NewReader(body))
}

func testLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
