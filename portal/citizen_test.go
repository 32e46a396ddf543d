package portal

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"landwatch/campaign"
	"landwatch/internal/sanitize/sanitizetest"
	"landwatch/portal/gate"
	"landwatch/store/accounts"
	"landwatch/store/tipstore"
	"landwatch/warehouse"
	"landwatch/warehouse/secret"
)

func TestSubmitStatusMessagesEvidence(t *testing.T) {
	e := newEnv(t)
	receipt := e.submitAPI(goodTip())
	if n := e.count(`SELECT count(*) FROM tips WHERE regexp_full_match(tip_id, 'T[0-9]{8}-[2-9A-HJKMNP-Z]{6}') AND status = '收到'`); n != 1 {
		t.Fatalf("tips stored: %d", n)
	}
	req := httptest.NewRequest("GET", "/api/v1/tips/status", nil)
	req.Header.Set("X-Receipt", receipt)
	resp, body := e.do(req)
	if resp.StatusCode != 200 || !strings.Contains(body, `"status":"收到"`) {
		t.Fatalf("status: %d %s", resp.StatusCode, body)
	}
	if resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Fatalf("headers: %v", resp.Header)
	}
	// the office writes, the citizen answers and adds evidence
	tipID := ""
	e.db.QueryRow(`SELECT tip_id FROM tips`).Scan(&tipID)
	if err := e.srv.tips.AddMessage(t.Context(), tipID, "office", "office1", "请补充井口照片"); err != nil {
		t.Fatal(err)
	}
	req = jsonReq("POST", "/api/v1/tips/messages", map[string]string{"body": "好的，明天补拍"})
	req.Header.Set("X-Receipt", receipt)
	if resp, body := e.do(req); resp.StatusCode != 201 {
		t.Fatalf("message: %d %s", resp.StatusCode, body)
	}
	req = multipartReq("/api/v1/tips/evidence", nil, map[string][]byte{"well.jpg": sanitizetest.ExifJPEG(t)})
	req.Header.Set("X-Receipt", receipt)
	if resp, body := e.do(req); resp.StatusCode != 201 {
		t.Fatalf("evidence: %d %s", resp.StatusCode, body)
	}
	req = httptest.NewRequest("GET", "/api/v1/tips/status", nil)
	req.Header.Set("X-Receipt", tipstore.GroupCode(receipt)) // spaces are fine
	_, body = e.do(req)
	var v tipstore.CitizenView
	json.Unmarshal([]byte(body), &v)
	if len(v.Messages) != 2 || v.Messages[0].From != "办公室" || v.Messages[1].Body != "好的，明天补拍" || v.Files != 1 {
		t.Fatalf("view: %+v", v)
	}
	// the web page shows the same with the receipt posted in a form
	resp, body = e.do(formReq("/status", map[string]string{"receipt": receipt}))
	if resp.StatusCode != 200 || !strings.Contains(body, "请补充井口照片") || !strings.Contains(body, `id="status">收到`) {
		t.Fatalf("web status: %d", resp.StatusCode)
	}
}

func TestWrongReceipts(t *testing.T) {
	frozen := time.Date(2023, 3, 10, 9, 0, 0, 0, time.UTC) // the lockout does not run out mid-test
	e := newEnv(t, noLimits(Options{NoJSDelay: time.Second, Now: func() time.Time { return frozen }}))
	receipt := e.submitAPI(goodTip())
	wrong := "1" + receipt[1:]
	if wrong == receipt {
		wrong = "2" + receipt[1:]
	}
	codes := []int{}
	for range 7 {
		req := httptest.NewRequest("GET", "/api/v1/tips/status", nil)
		req.Header.Set("X-Receipt", wrong)
		resp, _ := e.do(req)
		codes = append(codes, resp.StatusCode)
	}
	for i, c := range codes[:5] {
		if c != 404 {
			t.Fatalf("try %d: %d, want 404 (%v)", i+1, c, codes)
		}
	}
	if codes[5] != 429 || codes[6] != 429 {
		t.Fatalf("repeated wrong receipts not slowed: %v", codes)
	}
	// while slowed down, even the right receipt waits: the answer does not reveal which codes exist
	req := httptest.NewRequest("GET", "/api/v1/tips/status", nil)
	req.Header.Set("X-Receipt", receipt)
	if resp, body := e.do(req); resp.StatusCode != 429 || !strings.Contains(body, "秒后再试") {
		t.Fatalf("right receipt during lockout: %d %s", resp.StatusCode, body)
	}
	resp, body := e.do(formReq("/status", map[string]string{"receipt": "12345"}))
	if resp.StatusCode != 429 {
		t.Fatalf("web: %d %s", resp.StatusCode, body)
	}
}

// TestBadInput: every refusal has a clear message and stores nothing.
func TestBadInput(t *testing.T) {
	e := newEnv(t)
	maxMB := e.srv.cfg.Portal.MaxFileMB
	exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00"), bytes.Repeat([]byte{0x41}, 4000)...)
	big := append(sanitizetest.ExifJPEG(t), bytes.Repeat([]byte{0}, maxMB<<20)...)
	base := map[string]string{"township": "沁河镇", "description": "有人挖沙", "category": "L4"}
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for a, b := range base {
			m[a] = b
		}
		m[k] = v
		return m
	}
	cases := []struct {
		name  string
		field map[string]string
		files map[string][]byte
		want  string
	}{
		{"oversized file", base, map[string][]byte{"big.jpg": big}, "超过"},
		{"exe named jpg", base, map[string][]byte{"photo.jpg": exe}, "photo.jpg"},
		{"missing description", with("description", ""), nil, "请写明看到了什么"},
		{"missing township", with("township", ""), nil, "请选择乡镇"},
		{"unknown township", with("township", "火星镇"), nil, "不是本县的乡镇"},
		{"unknown village", with("village", "沁河镇/不存在村"), nil, "没有“不存在村”"},
		{"bad date", with("seen_on", "2023-13-45"), nil, "日期格式"},
		{"outside county", with("lon", "100.0"), nil, "经度和纬度要同时填写"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, body := e.do(multipartReq("/api/v1/tips", c.field, c.files))
			if resp.StatusCode != 400 || !strings.Contains(body, c.want) {
				t.Fatalf("API: %d %s", resp.StatusCode, body)
			}
			tok := e.srv.forms.Issue(e.srv.opt.now())
			f := map[string]string{"pow_token": tok}
			for k, v := range c.field {
				f[k] = v
			}
			resp, body = e.do(multipartReq("/tip?pow_token="+tok, f, c.files)) // as the form sends it
			if resp.StatusCode != 400 || !strings.Contains(body, "没有保存任何内容") {
				t.Fatalf("web: %d", resp.StatusCode)
			}
		})
	}
	// a replayed web form: the first is stored, the second refused
	tok := e.srv.forms.Issue(e.srv.opt.now())
	f := map[string]string{"pow_token": tok}
	for k, v := range base {
		f[k] = v
	}
	if resp, body := e.do(multipartReq("/tip", f, nil)); resp.StatusCode != 201 || !strings.Contains(body, "回执码") {
		t.Fatalf("first: %d", resp.StatusCode)
	}
	resp, body := e.do(multipartReq("/tip", f, nil))
	if resp.StatusCode != 400 || !strings.Contains(body, "已经提交过") {
		t.Fatalf("replay: %d %s", resp.StatusCode, body)
	}
	// a forged token
	f["pow_token"] = tok[:len(tok)-2] + "xx"
	if resp, body := e.do(multipartReq("/tip", f, nil)); resp.StatusCode != 400 || !strings.Contains(body, "表单已失效") {
		t.Fatalf("forged: %d %s", resp.StatusCode, body)
	}
	// the honeypot
	f["pow_token"], f["website"] = e.srv.forms.Issue(e.srv.opt.now()), "http://spam"
	if resp, _ := e.do(multipartReq("/tip", f, nil)); resp.StatusCode != 400 {
		t.Fatalf("honeypot: %d", resp.StatusCode)
	}
	if n := e.count(`SELECT count(*) FROM tips`); n != 1 {
		t.Fatalf("%d tips stored, want only the one good form", n)
	}
	if n := e.count(`SELECT count(*) FROM tip_files`); n != 0 {
		t.Fatalf("%d files recorded", n)
	}
	entries, _ := os.ReadDir(e.srv.tips.FilesDirPath())
	if len(entries) != 0 {
		t.Fatalf("%d files left in %s", len(entries), e.srv.tips.FilesDirPath())
	}
}

func TestRateLimitAndPow(t *testing.T) {
	e := newEnv(t, Options{TipsPerIPHour: 2, DisableTipsPerHourLimit: true, PowBits: 8, NoJSDelay: 10 * 1e6})
	tok := func() string { return e.srv.forms.Issue(e.srv.opt.now()) }
	in := goodTip()
	resp, body := e.do(jsonReq("POST", "/api/v1/tips", in))
	if resp.StatusCode != 400 || !strings.Contains(body, "表单已失效") {
		t.Fatalf("no token with pow on: %d %s", resp.StatusCode, body)
	}
	solve := func(token string) string {
		for n := 0; ; n++ {
			s := strconv.Itoa(n)
			if gate.PowOK(token, s, 8) {
				return s
			}
		}
	}
	for i := range 3 {
		tk := tok()
		in["pow_token"], in["pow_nonce"] = tk, solve(tk)
		resp, body := e.do(jsonReq("POST", "/api/v1/tips", in))
		want := 201
		if i == 2 {
			want = 429
		}
		if resp.StatusCode != want {
			t.Fatalf("tip %d: %d %s", i+1, resp.StatusCode, body)
		}
	}
	tk := tok()
	in["pow_token"], in["pow_nonce"] = tk, "1"
	if gate.PowOK(tk, "1", 8) {
		in["pow_nonce"] = "2"
	}
	if resp, body := e.do(jsonReq("POST", "/api/v1/tips", in)); resp.StatusCode != 400 || !strings.Contains(body, "验证未通过") {
		t.Fatalf("wrong pow: %d %s", resp.StatusCode, body)
	}
	// the no-JavaScript path: no nonce, accepted after the wait (the per-IP limit is used up, so 429)
	f := map[string]string{"pow_token": tok(), "township": "沁河镇", "description": "x"}
	if resp, body := e.do(multipartReq("/tip", f, nil)); resp.StatusCode != 429 || !strings.Contains(body, "提交过快") && !strings.Contains(body, "上限") {
		t.Fatalf("no-JS: %d", resp.StatusCode)
	}
}

// TestReceiptNotInWarehouse: no stored value reveals the receipt or the claim code.
func TestReceiptNotInWarehouse(t *testing.T) {
	e := newEnv(t)
	receipt := e.submitAPI(goodTip())
	var lookup, hash string
	if err := e.db.QueryRow(`SELECT receipt_lookup, receipt_hash FROM tips`).Scan(&lookup, &hash); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$") {
		t.Fatalf("hash %q", hash)
	}
	for _, s := range allStrings(t, e, lookup) {
		if strings.Contains(s, receipt) || strings.Contains(s, tipstore.GroupCode(receipt)) {
			t.Fatalf("the warehouse holds the receipt: %q", s)
		}
	}
	// the lookup key needs the secret file, which lives outside the warehouse
	k, _ := secret.Load(filepath.Join(e.dir, "lw.duckdb"), false)
	if k.LookupKey("receipt", receipt) != lookup {
		t.Fatal("lookup key is not the keyed HMAC")
	}
	other := secret.Derive([]byte("not the secret"))
	if other.LookupKey("receipt", receipt) == lookup {
		t.Fatal("lookup key computable without the secret")
	}
	st, _ := os.Stat(secret.Path(filepath.Join(e.dir, "lw.duckdb")))
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("secret mode %v", st.Mode())
	}
}

// allStrings returns every value of every table in the warehouse as text (BLOBs as their bytes,
// JSON, lists and structs as DuckDB writes them), failing the test when a value cannot be read or
// when none holds mustHold — a value the caller knows is stored, so that a sweep that reads
// nothing cannot pass.
func allStrings(t *testing.T, e *testEnv, mustHold string) []string {
	t.Helper()
	rows, err := e.db.Query(`SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
		JOIN information_schema.tables USING (table_catalog, table_schema, table_name)
		WHERE table_type = 'BASE TABLE' AND c.table_schema = 'main'`)
	if err != nil {
		t.Fatal(err)
	}
	type col struct{ t, c, typ string }
	var cols []col
	for rows.Next() {
		var c col
		if err := rows.Scan(&c.t, &c.c, &c.typ); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, c)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	var out []string
	held := false
	for _, c := range cols {
		expr := `CAST("` + c.c + `" AS VARCHAR)`
		if c.typ == "BLOB" {
			expr = `"` + c.c + `"`
		}
		r, err := e.db.Query(`SELECT ` + expr + ` FROM "` + c.t + `" WHERE "` + c.c + `" IS NOT NULL`)
		if err != nil {
			t.Fatal(err)
		}
		for r.Next() {
			var b []byte
			if err := r.Scan(&b); err != nil {
				t.Fatalf("%s.%s: %v", c.t, c.c, err)
			}
			out = append(out, string(b))
			held = held || strings.Contains(string(b), mustHold)
		}
		if err := r.Err(); err != nil {
			t.Fatalf("%s.%s: %v", c.t, c.c, err)
		}
		r.Close()
	}
	if !held {
		t.Fatalf("no value of the %d columns read holds %q: the sweep reads nothing of what is stored", len(cols), mustHold)
	}
	return out
}

var ipRe = regexp.MustCompile(`\b127\.0\.0\.1\b|\b0\.0\.0\.0\b|203\.0\.113\.7`)

// TestNoIPOrUserAgentStored sends tips over a real socket with a marked user agent, referrer and
// forwarding header, then searches the warehouse values, its files, the evidence folder and the log.
func TestNoIPOrUserAgentStored(t *testing.T) {
	e := newEnv(t)
	base := e.listen()
	client := httpClient()
	const ua, ref = "Mozilla/5.0 MARKER-UA-7731", "http://referrer.example/MARKER-REF-1188"
	send := func(method, path, ctype string, body []byte, receipt string) (int, string) {
		req, _ := newReq(method, base+path, body)
		req.Header.Set("User-Agent", ua)
		req.Header.Set("Referer", ref)
		req.Header.Set("X-Forwarded-For", "203.0.113.7")
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		if receipt != "" {
			req.Header.Set("X-Receipt", receipt)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b := new(bytes.Buffer)
		b.ReadFrom(resp.Body)
		return resp.StatusCode, b.String()
	}
	mp := multipartReq("/x", map[string]string{"township": "郭道镇", "description": "山上有人放炮", "category": "M5"}, map[string][]byte{"a.jpg": sanitizetest.ExifJPEG(t)})
	mpBody := new(bytes.Buffer)
	mpBody.ReadFrom(mp.Body)
	code, body := send("POST", "/api/v1/tips", mp.Header.Get("Content-Type"), mpBody.Bytes(), "")
	if code != 201 {
		t.Fatalf("submit: %d %s", code, body)
	}
	var out struct{ Receipt string }
	json.Unmarshal([]byte(body), &out)
	send("GET", "/api/v1/tips/status", "", nil, out.Receipt)
	send("GET", "/api/v1/tips/status", "", nil, "0000000000000000")
	send("GET", "/tip", "", nil, "")
	send("POST", "/status", "application/x-www-form-urlencoded", []byte("receipt="+out.Receipt), "")
	send("POST", "/api/v1/tips/messages", "application/json", []byte(`{"body":"补充：有三辆车"}`), out.Receipt)
	web := multipartReq("/x", map[string]string{"township": "王和镇", "description": "河道挖沙", "category": "L4",
		"pow_token": e.srv.forms.Issue(time.Now())}, map[string][]byte{"b.png": sanitizetest.TextPNG(t)})
	webBody := new(bytes.Buffer)
	webBody.ReadFrom(web.Body)
	if code, _ := send("POST", "/tip", web.Header.Get("Content-Type"), webBody.Bytes(), ""); code != 201 {
		t.Fatalf("web tip: %d", code)
	}
	e.db.Exec(`CHECKPOINT`)
	check := func(where, s string) {
		for _, m := range []string{"MARKER-UA", "MARKER-REF", "Mozilla"} {
			if strings.Contains(s, m) {
				t.Errorf("%s holds %q", where, m)
			}
		}
		if ipRe.MatchString(s) {
			t.Errorf("%s holds an IP address: %q", where, ipRe.FindString(s))
		}
	}
	var lastTip string
	if err := e.db.QueryRow(`SELECT max(tip_id) FROM tips`).Scan(&lastTip); err != nil {
		t.Fatal(err)
	}
	for _, s := range allStrings(t, e, lastTip) {
		check("warehouse value", s)
	}
	files := 0
	if err := filepath.Walk(e.dir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if !info.IsDir() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			check(p, string(b))
			files++
		}
		return nil
	}); err != nil || files == 0 {
		t.Fatalf("%d files of %s read: %v", files, e.dir, err)
	}
	logs := e.logs.String()
	if !strings.Contains(logs, "路径=/api/v1/tips") {
		t.Fatalf("the request log is empty: %q", logs)
	}
	// the request log's words are Chinese (serve prints it to the terminal)
	if m := regexp.MustCompile(`(?m)(^|\s)((route|method|status|ms|err)=|msg=http\b)`).FindString(logs); m != "" {
		t.Errorf("the request log has an English key %q: %q", m, logs)
	}
	check("log", logs)
}

// TestNoOutsideRequests: no page, style or script refers to another host; CSP forbids it anyway.
func TestNoOutsideRequests(t *testing.T) {
	e := newEnv(t)
	receipt := e.submitAPI(goodTip())
	office := e.staffAs(accounts.RoleOffice, "")
	var tipID string
	e.db.QueryRow(`SELECT tip_id FROM tips`).Scan(&tipID)
	pages := map[string]string{}
	for _, p := range []string{"/", "/tip", "/status", "/staff/login", "/static/style.css", "/static/pow.js"} {
		resp, body := e.do(httptest.NewRequest("GET", p, nil))
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", p, resp.StatusCode)
		}
		if !strings.Contains(resp.Header.Get("Content-Security-Policy"), "default-src 'self'") {
			t.Fatalf("%s: no CSP", p)
		}
		pages[p] = body
	}
	_, pages["status view"] = e.do(formReq("/status", map[string]string{"receipt": receipt}))
	for _, p := range []string{"/staff/", "/staff/tips", "/staff/tips/" + tipID, "/staff/rewards", "/staff/upload", "/staff/scorecard", "/staff/audit"} {
		resp, body := office.get(p)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", p, resp.StatusCode)
		}
		pages[p] = body
	}
	outside := regexp.MustCompile(`(?i)(src|href|action)\s*=\s*["']?(https?:)?//|url\(\s*["']?(https?:)?//|@import`)
	for p, body := range pages {
		if m := outside.FindString(body); m != "" {
			t.Errorf("%s refers to another host: %q", p, m)
		}
	}
}

// TestRequestTooLarge: a body above the server's limit gets a clear answer and stores nothing.
func TestRequestTooLarge(t *testing.T) {
	text := strings.Replace(string(campaign.DefaultTOML()), "max_file_mb = 20", "max_file_mb = 1", 1)
	cfg, err := campaign.Parse("small.toml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	db, err := warehouse.Open(t.Context(), filepath.Join(dir, "w.duckdb"), warehouse.Options{Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	srv, err := New(t.Context(), db, noLimits(Options{Logger: testLogger()}))
	if err != nil {
		t.Fatal(err)
	}
	e := &testEnv{t: t, db: db, srv: srv, dir: dir}
	base := e.listen()
	huge := bytes.Repeat([]byte{0xFF}, 8<<20) // above 5 files × 1 MB + 2 MB
	// the headers announce 8 MB: the server answers after its first buffer of the body (8 KB),
	// before the rest is sent (no reset races)
	post := func(path string) (int, string) {
		conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=xyz\r\nContent-Length: %d\r\n\r\n", path, len(huge))
		conn.Write(huge[:16<<10])
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := post("/api/v1/tips"); code != 413 || !strings.Contains(body, "上传内容过大") {
		t.Fatalf("API: %d %s", code, body)
	}
	if code, body := post("/tip"); code != 413 || !strings.Contains(body, "每个文件不超过 1 MB") {
		t.Fatalf("web: %d %s", code, body)
	}
	if n := e.count(`SELECT count(*) FROM tips`); n != 0 {
		t.Fatalf("%d tips stored", n)
	}
}
