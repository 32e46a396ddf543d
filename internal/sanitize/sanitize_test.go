package sanitize

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"strings"
	"testing"

	"landwatch/internal/sanitize/pdf"
	"landwatch/internal/sanitize/sanitizetest"
)

// TestJPEGNothingAfterEOI: bytes appended after a JPEG's end-of-image marker (a zip, a note with
// a phone number) are not stored.
func TestJPEGNothingAfterEOI(t *testing.T) {
	in := append(sanitizetest.ExifJPEG(t), []byte("PK\x03\x04 hidden "+sanitizetest.SecretPhone)...)
	u, err := checkFile("p.jpg", in, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(u.Data, []byte(sanitizetest.SecretPhone)) || !bytes.HasSuffix(u.Data, []byte{0xFF, 0xD9}) {
		t.Fatalf("trailer kept: %q", u.Data[max(0, len(u.Data)-40):])
	}
	// bytes after the scan but before the end marker that are not entropy data or a marker are refused
	if _, err := checkFile("cut.jpg", sanitizetest.ExifJPEG(t)[:200], 1<<20); err == nil {
		t.Fatal("JPEG without an end marker accepted")
	}
}

// pngChunk is one PNG chunk with its CRC.
func pngChunk(typ string, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	b = append(b, typ...)
	b = append(b, data...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[4:]))
}

// TestImagePixelCeiling: a 30000×30000 PNG (a decompression bomb) is refused from its header; a
// JPEG above the ceiling too.
func TestImagePixelCeiling(t *testing.T) {
	ihdr := binary.BigEndian.AppendUint32(nil, 30000)
	ihdr = binary.BigEndian.AppendUint32(ihdr, 30000)
	ihdr = append(ihdr, 8, 2, 0, 0, 0)
	bomb := append(append(append([]byte(nil), pngSig...), pngChunk("IHDR", ihdr)...), pngChunk("IDAT", []byte{0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01})...)
	bomb = append(bomb, pngChunk("IEND", nil)...)
	_, err := checkFile("bomb.png", bomb, 1<<20)
	if err == nil || !strings.Contains(err.Error(), "像素") {
		t.Fatalf("PNG bomb: %v", err)
	}
	if _, err := Check("small.jpg", sanitizetest.ExifJPEG(t), 1<<20, 100); err == nil || !strings.Contains(err.Error(), "像素") {
		t.Fatalf("JPEG above a 100-pixel ceiling: %v", err)
	}
}

// TestPDFActiveContentRemoved: page-level /PieceInfo, the catalog's /OpenAction JavaScript,
// additional actions (/AA), /JS and /JavaScript name trees and embedded files are not copied into
// the rebuilt file.
func TestPDFActiveContentRemoved(t *testing.T) {
	page := strings.Replace(sanitizetest.PDFPage()[1], " >>", " /PieceInfo << /Illustrator << /Private 7 0 R >> >> /AA << /O << /S /JavaScript /JS (app.alert\\('page'\\)) >> >> >>", 1)
	in := sanitizetest.BuildPDF("",
		"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.launchURL\\('http://x'\\)) >> /Names << /JavaScript 5 0 R /EmbeddedFiles 6 0 R >> >>",
		sanitizetest.PDFPage()[0], page, "<< /Producer (x) >>",
		"<< /Names [(a) << /S /JavaScript /JS (this.print\\(\\)) >>] >>",
		"<< /Names [(secret.txt) << /Type /Filespec /F (secret.txt) /EF << /F 8 0 R >> >>] >>",
		"<< /LastModified (D:2023) /Data ("+sanitizetest.SecretPhone+") >>",
		sanitizetest.PDFStreamObj("/Type /EmbeddedFile", []byte("embedded "+sanitizetest.SecretName+" "+sanitizetest.SecretPhone)))
	u, err := checkFile("a.pdf", in, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"/OpenAction", "/PieceInfo", "/AA", "/JS ", "/JavaScript", "/EmbeddedFiles", "/EF", "app.alert", "launchURL", "this.print", sanitizetest.SecretPhone, sanitizetest.SecretName} {
		if bytes.Contains(u.Data, []byte(bad)) {
			t.Errorf("%q kept", bad)
		}
	}
	if !bytes.Contains(u.Data, []byte("/MediaBox [0 0 200 200]")) {
		t.Error("the page is lost")
	}
	sanitizetest.PDFInfoCheck(t, u.Data, true)
	if bad, err := pdf.Audit(u.Data); err != nil || len(bad) > 0 {
		t.Errorf("audit: %v %v", err, bad)
	}
}

// Fuzz targets: every sanitizer must refuse or clean any input without panicking; what it accepts
// keeps its guarantees.

func FuzzStripJPEG(f *testing.F) {
	f.Add(sanitizetest.ExifJPEG(f))
	f.Add(append(sanitizetest.ExifJPEG(f), "trailer"...))
	f.Fuzz(func(t *testing.T, b []byte) {
		out, err := StripJPEG(b)
		if err == nil && !bytes.HasSuffix(out, []byte{0xFF, 0xD9}) {
			t.Fatal("accepted JPEG does not end at its EOI")
		}
	})
}

func FuzzStripPNG(f *testing.F) {
	f.Add(sanitizetest.TextPNG(f))
	f.Fuzz(func(t *testing.T, b []byte) {
		out, err := StripPNG(b)
		if err == nil && !bytes.HasSuffix(out, pngChunk("IEND", nil)) {
			t.Fatal("accepted PNG without IEND")
		}
	})
}

// FuzzSanitizePDF is seeded with the hostile PDFs of sanitizetest: a PDF is refused with a
// Chinese message (no English word or PDF token in it) or rebuilt into a file that parses again, has a page and holds nothing the
// audit forbids (scripts, actions, forms, files, metadata).
func FuzzSanitizePDF(f *testing.F) {
	f.Add(sanitizetest.MetaPDF(f, true))
	f.Add(sanitizetest.ObjStmPDF(f, "/FlateDecode"))
	for _, c := range sanitizetest.PDFBypasses(f) {
		f.Add(c.Data)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		out, err := StripPDF(b)
		if err != nil {
			if !chineseRefusal(err) {
				t.Fatalf("refusal without a Chinese message: %v", err)
			}
			return
		}
		bad, err := pdf.Audit(out)
		if err != nil || len(bad) > 0 {
			t.Fatalf("cleaned file: %v %v", err, bad)
		}
		if _, err := StripPDF(out); err != nil {
			t.Fatalf("the cleaned file is refused when cleaned again: %v", err)
		}
	})
}

// chineseRefusal tells whether err is a refusal whose message is Chinese, with no English word or
// PDF token in it.
func chineseRefusal(err error) bool {
	var r *refusal
	return errors.As(err, &r) && hasHan(r.msg) &&
		!strings.ContainsAny(strings.ReplaceAll(r.msg, "PDF", ""), "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz%/")
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}

func FuzzStripWebM(f *testing.F) {
	f.Add(testWebM())
	f.Fuzz(func(t *testing.T, b []byte) {
		out, err := StripWebM(b)
		if err == nil && len(out) != len(b) {
			t.Fatalf("length changed: %d → %d", len(b), len(out))
		}
	})
}

func FuzzStripMP4(f *testing.F) {
	f.Add([]byte("\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2\x00\x00\x00\x08free"))
	f.Fuzz(func(t *testing.T, b []byte) {
		StripMP4(b)
	})
}

func FuzzCheckImage(f *testing.F) {
	f.Add(sanitizetest.ExifJPEG(f))
	f.Add(sanitizetest.TextPNG(f))
	f.Fuzz(func(t *testing.T, b []byte) {
		Check("f", b, 1<<20, 1_000_000)
	})
}
