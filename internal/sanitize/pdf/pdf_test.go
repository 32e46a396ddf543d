package pdf_test

import (
	"bytes"
	"compress/zlib"
	"strings"
	"testing"

	"landwatch/internal/sanitize/pdf"
	"landwatch/internal/sanitize/sanitizetest"
)

// TestBypassesRebuilt: each hostile fixture holds what a cleaned file may not (by the audit, and
// by poppler where poppler sees it); the rebuilt file holds none of it and still shows its page.
func TestBypassesRebuilt(t *testing.T) {
	for _, c := range sanitizetest.PDFBypasses(t) {
		t.Run(c.Name, func(t *testing.T) {
			bad, err := pdf.Audit(c.Data)
			if err != nil || len(bad) == 0 {
				t.Fatalf("fixture: audit finds nothing (%v)", err)
			}
			scripts, files := sanitizetest.PopplerActive(t, c.Data)
			t.Logf("fixture: audit %v; poppler scripts %q files %q", bad, scripts, files)
			out, err := pdf.Clean(c.Data, nil)
			if err != nil {
				t.Fatal(err)
			}
			sanitizetest.AssertCleanPDF(t, c.Name, out)
		})
	}
}

// TestDecompressionBomb: an object stream that inflates beyond the budget is refused, not read
// into memory.
func TestDecompressionBomb(t *testing.T) {
	var buf bytes.Buffer
	w, _ := zlib.NewWriterLevel(&buf, zlib.BestSpeed)
	w.Write([]byte("1 0 << /Type /Catalog /Pages 2 0 R >> "))
	w.Write(make([]byte, 70<<20))
	w.Close()
	in := sanitizetest.BuildPDF("", "<< /Type /Catalog /Pages 3 0 R >>", sanitizetest.PDFStreamObj("/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", buf.Bytes()),
		"<< /Type /Pages /Kids [4 0 R] /Count 1 >>", "<< /Type /Page /Parent 3 0 R /Resources << /Font 9 0 R >> >>")
	// object 9 is only in the object stream (no xref entry): the file is scanned, the stream read
	in = bytes.Replace(in, []byte("startxref"), []byte("startxrex"), 1)
	_, err := pdf.Clean(in, nil)
	if err == nil || !strings.Contains(err.Error(), "解压后过大") {
		t.Fatalf("bomb: %v", err)
	}
}
