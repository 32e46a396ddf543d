package sanitize

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"codeberg.org/go-pdf/fpdf"

	"landwatch/internal/sanitize/pdf"
	"landwatch/internal/sanitize/sanitizetest"
	"landwatch/internal/testtool"
)

// fpdfDoc is a PDF as a real generator writes it, drawing with an EXIF-laden JPEG, a gradient,
// transparency, a reused template, an internal link and a web link, with a bookmark, a document
// JavaScript and an attached file; with annot, also a file attachment annotation on the page.
func fpdfDoc(t *testing.T, annot bool) []byte {
	t.Helper()
	f := fpdf.New("P", "mm", "A5", "")
	f.SetAuthor(sanitizetest.SecretName, true)
	f.SetJavascript("app.alert('fpdf');")
	f.SetAttachments([]fpdf.Attachment{{Content: []byte("MZ payload " + sanitizetest.SecretPhone), Filename: "run.exe"}})
	f.AddPage()
	f.SetFont("Helvetica", "", 14)
	f.Bookmark("go", 0, 0)
	f.Cell(60, 10, sanitizetest.PageText)
	f.RegisterImageOptionsReader("photo", fpdf.ImageOptions{ImageType: "JPG"}, bytes.NewReader(sanitizetest.ExifJPEG(t)))
	f.ImageOptions("photo", 10, 30, 40, 30, false, fpdf.ImageOptions{ImageType: "JPG"}, 0, "")
	f.LinearGradient(60, 30, 50, 30, 250, 0, 0, 0, 0, 250, 0, 0, 1, 1)
	f.SetAlpha(0.5, "Multiply")
	f.SetFillColor(0, 200, 0)
	f.Rect(20, 50, 60, 30, "F")
	f.SetAlpha(1, "Normal")
	tpl := f.CreateTemplate(func(tp *fpdf.Tpl) {
		tp.SetFillColor(0, 0, 200)
		tp.Rect(0, 0, 10, 10, "F")
	})
	f.UseTemplate(tpl)
	f.UseTemplateScaled(tpl, fpdf.PointType{X: 100, Y: 100}, fpdf.SizeType{Wd: 20, Ht: 20})
	page2 := f.AddLink()
	f.Link(10, 100, 40, 10, page2)
	f.LinkString(10, 120, 40, 10, "https://example.org/证据")
	f.LinkString(10, 140, 40, 10, "javascript:app.alert(1)")
	if annot {
		f.AddAttachmentAnnotation(&fpdf.Attachment{Content: []byte("MZ payload"), Filename: "a.exe"}, 10, 160, 10, 10)
	}
	f.AddPage()
	f.SetLink(page2, 0, 2)
	f.SetFont("Helvetica", "", 14)
	f.Cell(60, 10, "second page")
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// render draws a PDF's pages with poppler at a low resolution.
func render(t *testing.T, b []byte) []byte {
	t.Helper()
	tool := testtool.Installed(t, "pdftoppm")
	p := filepath.Join(t.TempDir(), "x.pdf")
	os.WriteFile(p, b, 0o600)
	out, err := exec.Command(tool, "-r", "30", p).Output()
	if err != nil {
		t.Fatalf("pdftoppm: %v", err)
	}
	return out
}

// TestFpdfRebuiltLooksTheSame: a generator's PDF with scripts and attachments is rebuilt
// without them, its JPEG without EXIF, its links to the web and to its own page kept (the
// javascript: one dropped; a raw UTF-8 address percent-encoded), and its pages draw exactly as
// before.
func TestFpdfRebuiltLooksTheSame(t *testing.T) {
	in := fpdfDoc(t, false)
	scripts, files := sanitizetest.PopplerActive(t, in)
	if scripts == "" || files == "" || !bytes.Contains(in, []byte("CAM-SERIAL")) {
		t.Fatalf("fixture lacks its script, file or EXIF: %q %q", scripts, files)
	}
	u, err := checkFile("fpdf.pdf", in, 4<<20)
	if err != nil {
		t.Fatal(err)
	}
	sanitizetest.AssertCleanPDF(t, "fpdf", u.Data)
	sanitizetest.AssertNoSecrets(t, "fpdf", u.Data)
	for _, bad := range []string{"CAM-SERIAL", "GPSLatitude", "Canon", "javascript:"} {
		if bytes.Contains(u.Data, []byte(bad)) {
			t.Errorf("rebuilt file holds %q", bad)
		}
	}
	if !bytes.Equal(render(t, in), render(t, u.Data)) {
		t.Error("the rebuilt pages draw differently")
	}
	d, err := pdf.Parse(u.Data)
	if err != nil {
		t.Fatal(err)
	}
	pages := d.Resolve(d.Resolve(d.Resolve(d.Trailer["Root"]).(pdf.Dict)["Pages"]).(pdf.Dict)["Kids"]).(pdf.Array)
	var uris []string
	dests := 0
	for _, a := range d.Resolve(d.Resolve(pages[0]).(pdf.Dict)["Annots"]).(pdf.Array) {
		link := d.Resolve(a).(pdf.Dict)
		if act, ok := d.Resolve(link["A"]).(pdf.Dict); ok {
			uris = append(uris, string(act["URI"].(pdf.String)))
		}
		if dest, ok := link["Dest"].(pdf.Array); ok && (dest[0] == pages[0] || dest[0] == pages[1]) {
			dests++
		}
	}
	if strings.Join(uris, " ") != "https://example.org/%E8%AF%81%E6%8D%AE" || dests != 1 {
		t.Errorf("links: %q, %d to page 2", uris, dests)
	}
	// the file attachment annotation goes, the page keeps its text
	u, err = checkFile("annot.pdf", fpdfDoc(t, true), 4<<20)
	if err != nil {
		t.Fatal(err)
	}
	sanitizetest.AssertCleanPDF(t, "fpdf with an attachment annotation", u.Data)
}

// TestPDFRefusals: what cannot be parsed, or is encrypted, is refused with a Chinese message
// naming the file.
func TestPDFRefusals(t *testing.T) {
	page := append([]string{"<< /Type /Catalog /Pages 2 0 R >>"}, sanitizetest.PDFPage()...)
	good := sanitizetest.BuildPDF("", page...)
	for name, c := range map[string]struct {
		data []byte
		want string
	}{
		"encrypted.pdf": {sanitizetest.BuildPDF("/Encrypt 4 0 R", append(page, "<< /Filter /Standard /V 2 /R 3 /O <00> /U <00> /P -4 >>")...), "已加密"},
		"cut.pdf":       {good[:len(good)-30], "不完整"},
		"nopages.pdf":   {sanitizetest.BuildPDF("", "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>"), "没有可读的页面"},
		"noroot.pdf":    {[]byte("%PDF-1.7\n1 0 obj\n<< /Type /Page >>\nendobj\n%%EOF\n"), "找不到文档目录"},
		"loop.pdf":      {sanitizetest.BuildPDF("", "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [2 0 R] /Count 1 >>"), "没有可读的页面"},
	} {
		_, err := checkFile(name, c.data, 1<<20)
		if err == nil || !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v", name, err)
		}
	}
}
