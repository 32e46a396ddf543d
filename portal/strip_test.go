package portal

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"image/jpeg"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const (
	secretName  = "张三"
	secretPhone = "13812345678"
)

// buildPDF assembles a PDF from object bodies (object i+1 is objs[i]) with a correct xref table.
func buildPDF(trailer string, objs ...string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, trailer, x)
	return b.Bytes()
}

func pdfStreamObj(dict string, data []byte) string {
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data)
}

func flate(t testing.TB, s string) []byte {
	var buf bytes.Buffer
	w := zlib.NewWriter(&buf)
	w.Write([]byte(s))
	w.Close()
	return buf.Bytes()
}

func hexOf(s string) string { return fmt.Sprintf("%X", s) }

const xmpPacket = `<?xpacket begin="` + "\ufeff" + `" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>` + secretName + `</dc:creator>
<dc:description>电话 ` + secretPhone + `</dc:description></rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>`

var pdfPage = []string{
	"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
	"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
}

func metaPDF(t testing.TB, compressXMP bool) []byte {
	xmp := pdfStreamObj("/Type /Metadata /Subtype /XML", []byte(xmpPacket))
	if compressXMP {
		xmp = pdfStreamObj("/Type /Metadata /Subtype /XML /Filter /FlateDecode", flate(t, xmpPacket))
	}
	info := "<< /Author (" + secretName + ") /Title (举报 \\(a\\) (nested) " + secretPhone + ") /Producer <" +
		hexOf("Phone "+secretPhone) + "> /Creator 6 0 R /CreationDate (D:20231101120000+08'00') /Trapped /False >>"
	// keys written without a space before their value, as pdfTeX does, outside the info dictionary
	page := strings.Replace(pdfPage[1], " >>", "/PieceInfo << /Private << /Keywords("+secretPhone+")/ModDate<"+hexOf("20231101")+"> >> >> >>", 1)
	img := pdfStreamObj("/Type /XObject /Subtype /Image /Width 32 /Height 24 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode", exifJPEG(t))
	return buildPDF("/Info 4 0 R", "<< /Type /Catalog /Pages 2 0 R /Metadata 5 0 R >>",
		pdfPage[0], page, info, xmp, "(WPS "+secretName+")", img)
}

// objStmPDF is a PDF 1.5 whose pages and information dictionary sit in a compressed object
// stream (object 5), found through a cross-reference stream (object 6).
func objStmPDF(t testing.TB, filter string) []byte {
	objs := []string{pdfPage[0], pdfPage[1], "<< /Author (" + secretName + ") /Title (" + secretPhone + ") /Producer (WPS Office) >>"}
	var head, body strings.Builder
	for i, o := range objs {
		fmt.Fprintf(&head, "%d %d ", i+2, body.Len())
		body.WriteString(o + "\n")
	}
	data := []byte(head.String() + body.String())
	if filter == "/FlateDecode" {
		data = flate(t, string(data))
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
	off1 := b.Len()
	b.WriteString("1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n")
	off5 := b.Len()
	fmt.Fprintf(&b, "5 0 obj\n%s\nendobj\n", pdfStreamObj(fmt.Sprintf("/Type /ObjStm /N 3 /First %d /Filter %s", head.Len(), filter), data))
	off6 := b.Len()
	var x []byte
	entry := func(typ byte, f2 uint32, f3 uint16) {
		x = append(x, typ, byte(f2>>24), byte(f2>>16), byte(f2>>8), byte(f2), byte(f3>>8), byte(f3))
	}
	entry(0, 0, 65535)
	entry(1, uint32(off1), 0)
	entry(2, 5, 0)
	entry(2, 5, 1)
	entry(2, 5, 2)
	entry(1, uint32(off5), 0)
	entry(1, uint32(off6), 0)
	fmt.Fprintf(&b, "6 0 obj\n%s\nendobj\n", pdfStreamObj("/Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Info 4 0 R", x))
	fmt.Fprintf(&b, "startxref\n%d\n%%%%EOF\n", off6)
	return b.Bytes()
}

// pdfinfoCheck runs poppler's pdfinfo, when installed, on a stored PDF: it must parse, show one
// page and no metadata.
func pdfinfoCheck(t *testing.T, out []byte, clean bool) string {
	t.Helper()
	pdfinfo, err := exec.LookPath("pdfinfo")
	if err != nil {
		t.Log("pdfinfo not installed (bash .ci/install): parse check skipped")
		return ""
	}
	f := filepath.Join(t.TempDir(), "x.pdf")
	os.WriteFile(f, out, 0o600)
	info, err := exec.Command(pdfinfo, f).CombinedOutput()
	if err != nil || strings.Contains(string(info), "Error") {
		t.Fatalf("pdfinfo: %v\n%s", err, info)
	}
	if xmp, err := exec.Command(pdfinfo, "-meta", f).CombinedOutput(); err != nil {
		t.Fatalf("pdfinfo -meta: %v\n%s", err, xmp)
	} else {
		info = append(info, xmp...)
	}
	lines := strings.Split(string(info), "\n")
	if len(lines) < 10 {
		t.Fatalf("pdfinfo says little:\n%s", info)
	}
	pages := false
	for _, line := range lines {
		if !clean {
			pages = pages || strings.TrimSpace(line) == "Pages:           1"
			continue
		}
		if k, v, ok := strings.Cut(line, ":"); ok && (k == "Author" || k == "Producer" || k == "Creator" || k == "Title" || k == "CreationDate") &&
			strings.Trim(v, " \x00") != "" {
			t.Errorf("pdfinfo still shows %q", line)
		}
		if strings.HasPrefix(line, "Pages:") {
			pages = strings.TrimSpace(line[6:]) == "1"
		}
	}
	if !pages {
		t.Errorf("pdfinfo does not see the one page:\n%s", info)
	}
	if clean && (strings.Contains(string(info), secretName) || strings.Contains(string(info), secretPhone)) {
		t.Errorf("pdfinfo shows the metadata:\n%s", info)
	}
	return string(info)
}

// inflateFirstStream decompresses the data of a PDF's first stream (the XMP of metaPDF).
func inflateFirstStream(b []byte) ([]byte, error) {
	i := bytes.Index(b, []byte("stream\n"))
	if i < 0 {
		return nil, fmt.Errorf("no stream")
	}
	r, err := zlib.NewReader(bytes.NewReader(b[i+len("stream\n"):]))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

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

func assertNoSecrets(t *testing.T, what string, b []byte) {
	t.Helper()
	for _, s := range []string{secretName, secretPhone, hexOf("Phone " + secretPhone), "20231101", "WPS", "Phone"} {
		if bytes.Contains(b, []byte(s)) {
			t.Errorf("%s still holds %q", what, s)
		}
	}
}

func TestStripPDF(t *testing.T) {
	e := newEnv(t)
	for _, compressed := range []bool{false, true} {
		in := metaPDF(t, compressed)
		if !bytes.Contains(in, []byte(secretName)) || !bytes.Contains(in, []byte(hexOf("Phone "+secretPhone))) {
			t.Fatal("fixture lacks its metadata")
		}
		out, code, body := storedAfterSubmit(t, e, "举报.pdf", in)
		if code != 201 {
			t.Fatalf("compressed XMP %v: %d %s", compressed, code, body)
		}
		if len(out) != len(in) || !bytes.HasPrefix(out, []byte("%PDF-1.7")) {
			t.Fatalf("stored %d bytes of %d", len(out), len(in))
		}
		assertNoSecrets(t, fmt.Sprintf("PDF (compressed XMP %v)", compressed), out)
		if compressed {
			xmp, err := inflateFirstStream(out)
			if err != nil || !bytes.Contains(xmp, []byte("<?xpacket end")) || len(xmp) != len(xmpPacket) {
				t.Fatalf("re-compressed XMP: %v %q", err, xmp)
			}
			assertNoSecrets(t, "re-compressed XMP", xmp)
		}
		if !bytes.Contains(out, []byte("/MediaBox [0 0 200 200]")) || !bytes.Contains(out, []byte("/Trapped /False")) {
			t.Error("stripping damaged the document itself")
		}
		pdfinfoCheck(t, out, true)
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
	in := objStmPDF(t, "/FlateDecode")
	if info := pdfinfoCheck(t, in, false); info != "" && !strings.Contains(info, secretPhone) {
		t.Fatalf("fixture lacks its metadata:\n%s", info)
	}
	out, code, body := storedAfterSubmit(t, e, "objstm.pdf", in)
	if code != 201 || len(out) != len(in) {
		t.Fatalf("object stream: %d %s (%d bytes of %d)", code, body, len(out), len(in))
	}
	assertNoSecrets(t, "object stream PDF", out)
	pdfinfoCheck(t, out, true)
}

func TestStripPDFRefusals(t *testing.T) {
	e := newEnv(t)
	// an information dictionary inside an object stream compressed in a way not read here
	hidden := objStmPDF(t, "/LZWDecode")
	// an object stream holding only pages: nothing to hide, so accepted
	plainStm := buildPDF("", append([]string{"<< /Type /Catalog /Pages 2 0 R >>"},
		append(pdfPage, pdfStreamObj("/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", flate(t, "7 0 << /Type /Font >>")))...)...)
	encrypted := buildPDF("/Encrypt 4 0 R", append([]string{"<< /Type /Catalog /Pages 2 0 R >>"},
		append(pdfPage, "<< /Filter /Standard /V 2 /R 3 /O <00> /U <00> /P -4 >>")...)...)
	full := metaPDF(t, false)
	cases := []struct {
		name string
		data []byte
		want string // "" = accepted
	}{
		{"objstm.pdf", hidden, "压缩或加密的元数据"},
		{"encrypted.pdf", encrypted, "压缩或加密的元数据"},
		{"cut.pdf", full[:len(full)/2], "已损坏"},
		{"unterminated.pdf", []byte("%PDF-1.4\n1 0 obj\n<< /Author (" + secretName + " >>\nendobj\n%%EOF\n"), "已损坏"},
		{"pages-stream.pdf", plainStm, ""},
	}
	for _, c := range cases {
		out, code, body := storedAfterSubmit(t, e, c.name, c.data)
		switch {
		case c.want == "" && code != 201:
			t.Errorf("%s: %d %s", c.name, code, body)
		case c.want == "" && len(out) != len(c.data):
			t.Errorf("%s: stored %d bytes of %d", c.name, len(out), len(c.data))
		case c.want != "" && (code != 400 || !strings.Contains(body, c.want) || !strings.Contains(body, c.name)):
			t.Errorf("%s: %d %s", c.name, code, body)
		}
	}
	if n := e.count(`SELECT count(*) FROM tips`); n != 1 {
		t.Fatalf("%d tips stored, want the one good file's", n)
	}
}
