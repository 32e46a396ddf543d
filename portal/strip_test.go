package portal

import (
	"bytes"
	"fmt"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"landwatch/internal/sanitize/sanitizetest"
	"landwatch/store/accounts"
)

// storedAfterSubmit submits one tip with one file and returns the stored file, or the refusal.
func storedAfterSubmit(t *testing.T, e *testEnv, name string, data []byte) ([]byte, int, string) {
	t.Helper()
	before, _ := os.ReadDir(e.srv.tips.FilesDirPath())
	resp, body := e.do(multipartReq("/api/v1/tips", map[string]string{"township": "沁河镇", "description": "有人挖沙", "category": "L4"},
		map[string][]byte{name: data}))
	after, _ := os.ReadDir(e.srv.tips.FilesDirPath())
	if resp.StatusCode != 201 {
		if len(after) != len(before) {
			t.Fatalf("%s refused (%d) but a file was stored", name, resp.StatusCode)
		}
		return nil, resp.StatusCode, body
	}
	if len(after) != len(before)+1 {
		t.Fatalf("%s: %d files stored, want %d", name, len(after), len(before)+1)
	}
	seen := map[string]bool{}
	for _, f := range before {
		seen[f.Name()] = true
	}
	for _, f := range after {
		if !seen[f.Name()] {
			b, err := os.ReadFile(filepath.Join(e.srv.tips.FilesDirPath(), f.Name()))
			if err != nil {
				t.Fatal(err)
			}
			return b, resp.StatusCode, body
		}
	}
	t.Fatal("no new file")
	return nil, 0, ""
}

func TestStripPDF(t *testing.T) {
	e := newEnv(t)
	for _, compressed := range []bool{false, true} {
		in := sanitizetest.MetaPDF(t, compressed)
		if !bytes.Contains(in, []byte(sanitizetest.SecretName)) || !bytes.Contains(in, []byte(sanitizetest.HexOf("Phone "+sanitizetest.SecretPhone))) {
			t.Fatal("fixture lacks its metadata")
		}
		out, code, body := storedAfterSubmit(t, e, "举报.pdf", in)
		if code != 201 {
			t.Fatalf("compressed XMP %v: %d %s", compressed, code, body)
		}
		if !bytes.HasPrefix(out, []byte("%PDF-1.7")) {
			t.Fatalf("stored file is not a PDF: %q", out[:min(len(out), 20)])
		}
		sanitizetest.AssertNoSecrets(t, fmt.Sprintf("PDF (compressed XMP %v)", compressed), out)
		for _, meta := range []string{"xpacket", "xmpmeta", "/Metadata", "/Info", "/PieceInfo", "/Trapped"} {
			if bytes.Contains(out, []byte(meta)) {
				t.Errorf("the stored PDF keeps %s", meta)
			}
		}
		if !bytes.Contains(out, []byte("/MediaBox [0 0 200 200]")) {
			t.Error("stripping lost the page")
		}
		sanitizetest.PDFInfoCheck(t, out, true)
		k := bytes.Index(out, []byte("/DCTDecode"))
		img := out[bytes.Index(out[k:], []byte("stream\n"))+k+7:]
		if bytes.Contains(img, []byte("CAM-SERIAL")) || bytes.Contains(img, []byte("Canon")) {
			t.Error("the embedded JPEG keeps its EXIF or comment")
		}
		if _, err := jpeg.DecodeConfig(bytes.NewReader(img)); err != nil {
			t.Errorf("embedded JPEG: %v", err)
		}
	}
	// pages and information dictionary in a compressed object stream
	in := sanitizetest.ObjStmPDF(t, "/FlateDecode")
	if info := sanitizetest.PDFInfoCheck(t, in, false); !strings.Contains(info, sanitizetest.SecretPhone) {
		t.Fatalf("fixture lacks its metadata:\n%s", info)
	}
	out, code, body := storedAfterSubmit(t, e, "objstm.pdf", in)
	if code != 201 {
		t.Fatalf("object stream: %d %s", code, body)
	}
	sanitizetest.AssertNoSecrets(t, "object stream PDF", out)
	sanitizetest.PDFInfoCheck(t, out, true)
}

func TestStripPDFRefusals(t *testing.T) {
	e := newEnv(t)
	// an object stream that says it is LZW-compressed but is not: its pages cannot be read
	hidden := sanitizetest.ObjStmPDF(t, "/LZWDecode")
	// an object stream holding only pages: nothing to hide, so accepted
	plainStm := sanitizetest.BuildPDF("", append([]string{"<< /Type /Catalog /Pages 2 0 R >>"},
		append(sanitizetest.PDFPage(), sanitizetest.PDFStreamObj("/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", sanitizetest.Flate(t, "7 0 << /Type /Font >>")))...)...)
	encrypted := sanitizetest.BuildPDF("/Encrypt 4 0 R", append([]string{"<< /Type /Catalog /Pages 2 0 R >>"},
		append(sanitizetest.PDFPage(), "<< /Filter /Standard /V 2 /R 3 /O <00> /U <00> /P -4 >>")...)...)
	full := sanitizetest.MetaPDF(t, false)
	cases := []struct {
		name string
		data []byte
		want string // "" = accepted
	}{
		{"objstm.pdf", hidden, "另存为标准PDF"},
		{"encrypted.pdf", encrypted, "已加密"},
		{"cut.pdf", full[:len(full)/2], "已损坏"},
		{"unterminated.pdf", []byte("%PDF-1.4\n1 0 obj\n<< /Author (" + sanitizetest.SecretName + " >>\nendobj\n%%EOF\n"), "已损坏"},
		{"pages-stream.pdf", plainStm, ""},
	}
	for _, c := range cases {
		out, code, body := storedAfterSubmit(t, e, c.name, c.data)
		switch {
		case c.want == "" && code != 201:
			t.Errorf("%s: %d %s", c.name, code, body)
		case c.want == "":
			sanitizetest.PDFInfoCheck(t, out, true)
		case c.want != "" && (code != 400 || !strings.Contains(body, c.want) || !strings.Contains(body, c.name)):
			t.Errorf("%s: %d %s", c.name, code, body)
		}
	}
	if n := e.count(`SELECT count(*) FROM tips`); n != 1 {
		t.Fatalf("%d tips stored, want the one good file's", n)
	}
}

// TestStoredPDFsHoldNoScript sends every hostile PDF of sanitizetest as a tip's evidence and one
// as a department's clue: each stored copy holds no script (pdfinfo -js), no attached file
// (pdfdetach -list) and nothing the audit forbids, and still shows its page's text.
func TestStoredPDFsHoldNoScript(t *testing.T) {
	e := newEnv(t)
	for _, c := range sanitizetest.PDFBypasses(t) {
		out, code, body := storedAfterSubmit(t, e, c.Name+".pdf", c.Data)
		if code != 201 {
			t.Errorf("%s: %d %s", c.Name, code, body)
			continue
		}
		sanitizetest.AssertCleanPDF(t, c.Name, out)
	}
	e.casesAndClues()
	safety := e.staffAs(accounts.RoleDepartment, "应急")
	form := map[string]string{"township": "沁河镇", "village": "沁河村", "place": "后沟废弃井口", "category": "M4",
		"found_on": "2023-03-20", "description": "井口有新鲜煤渣"}
	bypass := sanitizetest.PDFBypasses(t)[0]
	if resp, body := safety.postFiles("/staff/deptclues", form, map[string][]byte{"线索.pdf": bypass.Data}); resp.StatusCode != 200 || !strings.Contains(body, "已上报") {
		t.Fatalf("clue with a PDF: %d", resp.StatusCode)
	}
	var stored []byte
	e.db.QueryRow(`SELECT data FROM dept_clue_files ORDER BY 1 DESC LIMIT 1`).Scan(&stored)
	if len(stored) == 0 {
		t.Fatal("the clue's PDF was not stored")
	}
	sanitizetest.AssertCleanPDF(t, "clue "+bypass.Name, stored)
}
