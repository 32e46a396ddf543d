package portal

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"landwatch/internal/rss/rsstest"
	"landwatch/portal/gate"
	"landwatch/store/accounts"
)

// bigBody is a request body of a given size made on the fly (a head, filler bytes, a tail), so
// the client side of a memory test holds almost nothing.
type bigBody struct {
	head, tail []byte
	fill, off  int64
}

func (b *bigBody) size() int64 { return int64(len(b.head)) + b.fill + int64(len(b.tail)) }

func (b *bigBody) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		switch o := b.off; {
		case o < int64(len(b.head)):
			k := copy(p[n:], b.head[o:])
			n += k
			b.off += int64(k)
		case o < int64(len(b.head))+b.fill:
			k := int(min(int64(len(p)-n), int64(len(b.head))+b.fill-o))
			for i := range k {
				p[n+i] = byte('a' + (o+int64(i))%23)
			}
			n += k
			b.off += int64(k)
		case o < b.size():
			k := copy(p[n:], b.tail[o-int64(len(b.head))-b.fill:])
			n += k
			b.off += int64(k)
		default:
			if n == 0 {
				return 0, io.EOF
			}
			return n, nil
		}
	}
	return n, nil
}

// multipartOfSize is a multipart body of exactly total bytes: fields first, then one file of
// field fileField whose content is filler.
func multipartOfSize(total int64, fields [][2]string, fileField, fileName string) (*bigBody, string) {
	var head bytes.Buffer
	w := multipart.NewWriter(&head)
	for _, f := range fields {
		w.WriteField(f[0], f[1])
	}
	w.CreateFormFile(fileField, fileName)
	tail := "\r\n--" + w.Boundary() + "--\r\n"
	b := &bigBody{head: head.Bytes(), tail: []byte(tail)}
	b.fill = total - int64(head.Len()) - int64(len(tail))
	return b, w.FormDataContentType()
}

// multipartFiles is a multipart body of about total bytes: fields first, then n files of field
// "files" sharing the rest; it returns the body, its size and its content type.
func multipartFiles(total int64, fields [][2]string, n int) (io.Reader, int64, string) {
	var head bytes.Buffer
	w := multipart.NewWriter(&head)
	for _, f := range fields {
		w.WriteField(f[0], f[1])
	}
	var parts []io.Reader
	var size int64
	each := (total - int64(head.Len()) - 1024) / int64(n)
	for i := range n {
		w.CreateFormFile("files", fmt.Sprintf("photo%d.jpg", i))
		b := &bigBody{head: bytes.Clone(head.Bytes()), fill: each - 200}
		head.Reset()
		parts = append(parts, b)
		size += b.size()
	}
	w.Close()
	parts = append(parts, bytes.NewReader(bytes.Clone(head.Bytes())))
	size += int64(head.Len())
	return io.MultiReader(parts...), size, w.FormDataContentType()
}

// postConcurrently sends n requests at once, each with the body mk makes; it returns the status
// codes counted (0: the connection failed, e.g. closed by the server before the body was sent).
func postConcurrently(t *testing.T, n int, mk func(i int) *http.Request) map[int]int {
	t.Helper()
	var mu sync.Mutex
	codes := map[int]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	client := &http.Client{Timeout: 5 * time.Minute}
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req := mk(i)
			<-start
			code := 0
			if resp, err := client.Do(req); err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				code = resp.StatusCode
			} else if testing.Verbose() {
				t.Logf("request %d: %v", i, err)
			}
			mu.Lock()
			codes[code]++
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	return codes
}

const mib = 1 << 20

// TestEvidenceFloodMadeUpReceipt: 8 concurrent evidence posts of the largest size allowed, with a
// receipt nobody was given (in the API's header, and as the web form's first field), are refused
// before their bodies are read: the server's resident memory grows by less than 128 MiB (it grew
// by 2.2 GB when bodies were read and parsed before the receipt was checked). With a real
// receipt, 8 such posts at once are held by the budget of bytes in flight: under 768 MiB.
func TestEvidenceFloodMadeUpReceipt(t *testing.T) {
	e := newEnv(t, noLimits(Options{NoJSDelay: 50 * time.Millisecond, ProxyHeader: "X-Real-IP", TrustedProxies: []string{"127.0.0.1"}}))
	base := e.listen()
	limit := int64(e.srv.uploadLimit())
	probe := rsstest.Start(t)
	codes := postConcurrently(t, 8, func(i int) *http.Request {
		body, ctype := multipartOfSize(limit, nil, "files", "photo.jpg")
		req, _ := http.NewRequest("POST", base+"/api/v1/tips/evidence", body)
		req.ContentLength = body.size()
		req.Header.Set("Content-Type", ctype)
		req.Header.Set("X-Receipt", fmt.Sprintf("12345678%08d", i))
		req.Header.Set("X-Real-IP", fmt.Sprintf("10.6.0.%d", i+1))
		return req
	})
	// the web form: the receipt is its first field, read before the files
	web := postConcurrently(t, 8, func(i int) *http.Request {
		body, ctype := multipartOfSize(limit, [][2]string{{"receipt", fmt.Sprintf("87654321%08d", i)}}, "files", "photo.jpg")
		req, _ := http.NewRequest("POST", base+"/status/evidence", body)
		req.ContentLength = body.size()
		req.Header.Set("Content-Type", ctype)
		req.Header.Set("X-Real-IP", fmt.Sprintf("10.8.0.%d", i+1))
		return req
	})
	grew := probe.Finish().Growth()
	t.Logf("8 × %d MiB evidence posts with made-up receipts: API %v, web form %v; peak resident growth %d MiB", limit/mib, codes, web, grew/mib)
	for code, n := range codes {
		if code != 404 && code != 429 && code != 0 {
			t.Errorf("API: %d posts answered %d, want 404 (no such receipt) or 429 (too many wrong ones)", n, code)
		}
	}
	for code, n := range web {
		if code != 404 && code != 429 && code != 0 {
			t.Errorf("web form: %d posts answered %d, want 404 or 429", n, code)
		}
	}
	var files int
	e.db.QueryRow(`SELECT count(*) FROM tip_files`).Scan(&files)
	if files != 0 {
		t.Errorf("%d evidence files stored", files)
	}
	if grew > 128*mib {
		t.Errorf("peak resident memory grew by %d MiB (bound 128 MiB)", grew/mib)
	}

	// with the receipt of a real tip: five files of 20 MB each, eight posts at once, held by the
	// budget of bytes in flight (two at a time)
	receipt := e.submitAPI(goodTip())
	probe = rsstest.Start(t)
	real := postConcurrently(t, 8, func(i int) *http.Request {
		body, size, ctype := multipartFiles(limit, nil, e.srv.cfg.Portal.MaxFiles)
		req, _ := http.NewRequest("POST", base+"/api/v1/tips/evidence", body)
		req.ContentLength = size
		req.Header.Set("Content-Type", ctype)
		req.Header.Set("X-Receipt", receipt)
		req.Header.Set("X-Real-IP", fmt.Sprintf("10.9.0.%d", i+1))
		return req
	})
	grew = probe.Finish().Growth()
	t.Logf("8 × %d MiB evidence posts with a real receipt: %v; peak resident growth %d MiB", limit/mib, real, grew/mib)
	for code, n := range real {
		if code != 400 && code != 503 && code != 0 {
			t.Errorf("real receipt: %d posts answered %d, want 400 (not a photo) or 503 / closed (busy)", n, code)
		}
	}
	if real[400] == 0 {
		t.Errorf("no post with a real receipt was read: %v", real)
	}
	if grew > 768*mib {
		t.Errorf("peak resident memory grew by %d MiB (bound 768 MiB)", grew/mib)
	}
}

// TestUploadFloodTownship: 8 concurrent uploads of the largest size allowed on the upload page by
// a township account hold within the server's budget of bytes in flight (portal.max_inflight_mb,
// 256 MB by default: two such uploads at once): the peak resident growth stays under 768 MiB,
// three times the budget (all eight at once took 5.5 GiB).
func TestUploadFloodTownship(t *testing.T) {
	e := newEnv(t)
	town := e.staffAs(accounts.RoleTownship, "郭道镇")
	base := e.listen()
	limit := int64(e.srv.uploadLimit())
	probe := rsstest.Start(t)
	codes := postConcurrently(t, 8, func(i int) *http.Request {
		body, ctype := multipartOfSize(limit, [][2]string{{"_csrf", town.csrf}, {"kind", "patrol"}}, "file", "巡查记录.xlsx")
		req, _ := http.NewRequest("POST", base+"/staff/upload", body)
		req.ContentLength = body.size()
		req.Header.Set("Content-Type", ctype)
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: town.cookie})
		return req
	})
	grew := probe.Finish().Growth()
	t.Logf("8 × %d MiB township uploads: %v; peak resident growth %d MiB", limit/mib, codes, grew/mib)
	for code, n := range codes {
		if code != 422 && code != 503 && code != 0 {
			t.Errorf("%d uploads answered %d (want 422: not a valid file, or 503 or the connection closed: busy)", n, code)
		}
	}
	if codes[422] == 0 {
		t.Errorf("no upload was read at all: %v", codes)
	}
	if grew > 768*mib {
		t.Errorf("peak resident memory grew by %d MiB (bound 768 MiB)", grew/mib)
	}
}

// mergeBombXLSX is a workbook of a few KB whose one merged range covers A3:ALL100002 (about 100
// million cells), written part by part (excelize itself takes minutes to merge such a range).
func mergeBombXLSX(t *testing.T) []byte {
	t.Helper()
	parts := [][2]string{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`},
		{"xl/worksheets/sheet1.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
			`<row r="1"><c r="A1" t="inlineStr"><is><t>乡镇</t></is></c><c r="B1" t="inlineStr"><is><t>村</t></is></c><c r="C1" t="inlineStr"><is><t>巡查日期</t></is></c><c r="D1" t="inlineStr"><is><t>巡查人员</t></is></c><c r="E1" t="inlineStr"><is><t>发现问题</t></is></c></row>` +
			`<row r="2"><c r="A2" t="inlineStr"><is><t>郭道镇</t></is></c><c r="B2" t="inlineStr"><is><t>郭道村</t></is></c><c r="C2" t="inlineStr"><is><t>2023-03-02</t></is></c><c r="D2" t="inlineStr"><is><t>张三</t></is></c><c r="E2" t="inlineStr"><is><t>无</t></is></c></row>` +
			`<row r="3"><c r="A3" t="inlineStr"><is><t>郭道镇</t></is></c></row>` +
			`</sheetData><mergeCells count="1"><mergeCell ref="A3:ALL100002"/></mergeCells></worksheet>`},
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, p := range parts {
		w, err := zw.Create(p[0])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(p[1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestMergeBombRefused: a township's workbook of a few KB with one merged range over 100 million
// cells is refused with the file, sheet and range named, and the server's resident memory grows by
// less than 64 MiB (it grew by 2.4 GB and the file was imported).
func TestMergeBombRefused(t *testing.T) {
	e := newEnv(t)
	town := e.staffAs(accounts.RoleTownship, "郭道镇")
	bomb := mergeBombXLSX(t)
	probe := rsstest.Start(t)
	resp, body := town.uploadStamped("patrol", "巡查记录.xlsx", bomb, nil)
	grew := probe.Finish().Growth()
	t.Logf("merge bomb of %d bytes: %d; peak resident growth %d MiB", len(bomb), resp.StatusCode, grew/mib)
	if resp.StatusCode != 422 || !strings.Contains(body, "巡查记录.xlsx") || !strings.Contains(body, "Sheet1") || !strings.Contains(body, "A3:ALL100002") {
		t.Errorf("merge bomb: %d %s", resp.StatusCode, pageError(body))
	}
	if grew > 64*mib {
		t.Errorf("peak resident memory grew by %d MiB (bound 64 MiB)", grew/mib)
	}
}

// pageError is the error paragraph of a page, or the start of the page.
func pageError(body string) string {
	if i := strings.Index(body, `class="error"`); i >= 0 {
		return body[i:min(len(body), i+600)]
	}
	return body[:min(len(body), 600)]
}

// TestLoginFloodLongNames: 300 wrong logins with user names of 1 MB from 15 addresses are refused
// before their forms are read (413, or the connection closed), and 300 with names as long as a
// sign-in form admits reach the limiters as keys of 16 bytes: the peak resident growth stays under
// 256 MiB, and once they are over the server holds less than 32 MiB of it (the limiters kept every
// name with its address for an hour: 3.9 GB at the peak, 610 MB five minutes later).
func TestLoginFloodLongNames(t *testing.T) {
	e := newEnv(t, noLimits(Options{NoJSDelay: time.Second, ProxyHeader: "X-Real-IP", TrustedProxies: []string{"127.0.0.1"}}))
	base := e.listen()
	login := func(i int, nameLen int64) *http.Request {
		// the name made on the fly: the test's own side holds nothing of it
		body := &bigBody{head: fmt.Appendf(nil, "password=wrong-password&username=%08d", i), fill: nameLen - 8}
		req, _ := http.NewRequest("POST", base+"/staff/login", body)
		req.ContentLength = body.size()
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Real-IP", fmt.Sprintf("10.7.0.%d", i%15+1))
		return req
	}
	probe := rsstest.Start(t)
	codes := postConcurrently(t, 300, func(i int) *http.Request { return login(i, 1_000_000) })
	long := postConcurrently(t, 300, func(i int) *http.Request { return login(i, loginBody-100) })
	grew := probe.Finish().Growth()
	kept := probe.Retained()
	t.Logf("300 logins with 1 MB names from 15 addresses: %v; with names of %d bytes: %v; peak resident growth %d MiB, retained %d MiB",
		codes, loginBody-100, long, grew/mib, kept/mib)
	for code, n := range codes {
		if code != 413 && code != 0 {
			t.Errorf("1 MB names: %d logins answered %d, want 413", n, code)
		}
	}
	for code, n := range long {
		if code != 401 && code != 429 {
			t.Errorf("long names: %d logins answered %d, want 401 or 429", n, code)
		}
	}
	if long[401] != 15*loginIPFree {
		t.Errorf("long names: %d answered 401, want %d (each address's free failures)", long[401], 15*loginIPFree)
	}
	for _, b := range []*gate.Backoff{e.srv.loginIP, e.srv.loginPair, e.srv.loginUser} {
		for _, k := range b.Keys() {
			if len(k) > 64 {
				t.Errorf("a limiter keeps a key of %d bytes", len(k))
			}
		}
	}
	if grew > 256*mib {
		t.Errorf("peak resident memory grew by %d MiB (bound 256 MiB)", grew/mib)
	}
	if kept > 32*mib {
		t.Errorf("after the flood the server still holds %d MiB (bound 32 MiB)", kept/mib)
	}
}

// TestLargeStaffFormCSRFFirst: a staff upload above 1 MiB whose CSRF token is wrong, or not its
// first field (nor in X-CSRF-Token), is refused before the rest is read — 8 of the largest size
// at once leave the server's memory under 128 MiB — and one whose token comes in the header is
// read; a web evidence form above 1 MiB whose first field is not the receipt is refused unread.
func TestLargeStaffFormCSRFFirst(t *testing.T) {
	e := newEnv(t)
	town := e.staffAs(accounts.RoleTownship, "郭道镇")
	base := e.listen()
	limit := int64(e.srv.uploadLimit())
	upload := func(fields [][2]string, header string, size int64) *http.Request {
		body, ctype := multipartOfSize(size, fields, "file", "巡查记录.xlsx")
		req, _ := http.NewRequest("POST", base+"/staff/upload", body)
		req.ContentLength = body.size()
		req.Header.Set("Content-Type", ctype)
		if header != "" {
			req.Header.Set("X-CSRF-Token", header)
		}
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: town.cookie})
		return req
	}
	probe := rsstest.Start(t)
	wrong := postConcurrently(t, 8, func(i int) *http.Request {
		if i%2 == 0 {
			return upload([][2]string{{"_csrf", "0123456789abcdef"}, {"kind", "patrol"}}, "", limit)
		}
		return upload([][2]string{{"kind", "patrol"}, {"_csrf", town.csrf}}, "", limit)
	})
	grew := probe.Finish().Growth()
	t.Logf("8 × %d MiB staff uploads with a wrong or late CSRF token: %v; peak resident growth %d MiB", limit/mib, wrong, grew/mib)
	for code, n := range wrong {
		if code != 403 && code != 400 && code != 0 {
			t.Errorf("%d uploads answered %d, want 403/400 or the connection closed", n, code)
		}
	}
	if grew > 128*mib {
		t.Errorf("peak resident memory grew by %d MiB (bound 128 MiB)", grew/mib)
	}
	ok := postConcurrently(t, 1, func(int) *http.Request {
		return upload([][2]string{{"kind", "patrol"}}, town.csrf, 2*mib)
	})
	if ok[422] != 1 {
		t.Errorf("the token in X-CSRF-Token: %v, want the file read (422: not a workbook)", ok)
	}
	late := postConcurrently(t, 1, func(int) *http.Request {
		body, ctype := multipartOfSize(2*mib, [][2]string{{"note", "x"}, {"receipt", "1234567812345678"}}, "files", "photo.jpg")
		req, _ := http.NewRequest("POST", base+"/status/evidence", body)
		req.ContentLength = body.size()
		req.Header.Set("Content-Type", ctype)
		return req
	})
	if late[400] != 1 && late[0] != 1 {
		t.Errorf("web evidence whose first field is not the receipt: %v, want 400", late)
	}
}
