// Package sanitizetest holds the evidence fixtures the tests of internal/sanitize and of the portal
// share: PDFs, JPEGs and PNGs carrying the metadata the sanitizers must remove (a name, a phone
// number, GPS, a camera serial), and the checks that none of it is left. Only tests import it.
package sanitizetest

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"landwatch/internal/testtool"
)

// The secrets the fixtures carry; none may be left after sanitizing.
const (
	SecretName  = "张三"
	SecretPhone = "13812345678"
)

// BuildPDF assembles a PDF from object bodies (object i+1 is objs[i]) with a correct xref table.
func BuildPDF(trailer string, objs ...string) []byte {
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

func PDFStreamObj(dict string, data []byte) string {
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data)
}

func Flate(t testing.TB, s string) []byte {
	var buf bytes.Buffer
	w := zlib.NewWriter(&buf)
	w.Write([]byte(s))
	w.Close()
	return buf.Bytes()
}

func HexOf(s string) string { return fmt.Sprintf("%X", s) }

// XMPPacket is an XMP metadata packet naming the secrets.
const XMPPacket = `<?xpacket begin="` + "\ufeff" + `" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>` + SecretName + `</dc:creator>
<dc:description>电话 ` + SecretPhone + `</dc:description></rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>`

// PDFPage is a page tree of one page: objects 2 and 3 of the fixtures' PDFs.
func PDFPage() []string {
	return []string{
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
	}
}

func MetaPDF(t testing.TB, compressXMP bool) []byte {
	xmp := PDFStreamObj("/Type /Metadata /Subtype /XML", []byte(XMPPacket))
	if compressXMP {
		xmp = PDFStreamObj("/Type /Metadata /Subtype /XML /Filter /FlateDecode", Flate(t, XMPPacket))
	}
	info := "<< /Author (" + SecretName + ") /Title (举报 \\(a\\) (nested) " + SecretPhone + ") /Producer <" +
		HexOf("Phone "+SecretPhone) + "> /Creator 6 0 R /CreationDate (D:20231101120000+08'00') /Trapped /False >>"
	// keys written without a space before their value, as pdfTeX does, outside the info dictionary
	page := strings.Replace(PDFPage()[1], " >>", " /Resources << /XObject << /Im1 7 0 R >> >>/PieceInfo << /Private << /Keywords("+SecretPhone+")/ModDate<"+HexOf("20231101")+"> >> >> >>", 1)
	img := PDFStreamObj("/Type /XObject /Subtype /Image /Width 32 /Height 24 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode", ExifJPEG(t))
	return BuildPDF("/Info 4 0 R", "<< /Type /Catalog /Pages 2 0 R /Metadata 5 0 R >>",
		PDFPage()[0], page, info, xmp, "(WPS "+SecretName+")", img)
}

// ObjStmPDF is a PDF 1.5 whose pages and information dictionary sit in a compressed object
// stream (object 5), found through a cross-reference stream (object 6).
func ObjStmPDF(t testing.TB, filter string) []byte {
	objs := []string{PDFPage()[0], PDFPage()[1], "<< /Author (" + SecretName + ") /Title (" + SecretPhone + ") /Producer (WPS Office) >>"}
	var head, body strings.Builder
	for i, o := range objs {
		fmt.Fprintf(&head, "%d %d ", i+2, body.Len())
		body.WriteString(o + "\n")
	}
	data := []byte(head.String() + body.String())
	if filter == "/FlateDecode" {
		data = Flate(t, string(data))
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
	off1 := b.Len()
	b.WriteString("1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n")
	off5 := b.Len()
	fmt.Fprintf(&b, "5 0 obj\n%s\nendobj\n", PDFStreamObj(fmt.Sprintf("/Type /ObjStm /N 3 /First %d /Filter %s", head.Len(), filter), data))
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
	fmt.Fprintf(&b, "6 0 obj\n%s\nendobj\n", PDFStreamObj("/Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Info 4 0 R", x))
	fmt.Fprintf(&b, "startxref\n%d\n%%%%EOF\n", off6)
	return b.Bytes()
}

// PDFInfoCheck runs poppler's pdfinfo (installed by .ci/install if missing; the test fails
// without it) on a stored PDF: it must parse, show one page and, when clean, no metadata. It
// returns what pdfinfo printed.
func PDFInfoCheck(t *testing.T, out []byte, clean bool) string {
	t.Helper()
	pdfinfo := testtool.Installed(t, "pdfinfo")
	f := filepath.Join(t.TempDir(), "x.pdf")
	if err := os.WriteFile(f, out, 0o600); err != nil {
		t.Fatal(err)
	}
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
	if clean && (strings.Contains(string(info), SecretName) || strings.Contains(string(info), SecretPhone)) {
		t.Errorf("pdfinfo shows the metadata:\n%s", info)
	}
	return string(info)
}

// AssertNoSecrets fails t when b still holds a secret of the fixtures (what names b).
func AssertNoSecrets(t *testing.T, what string, b []byte) {
	t.Helper()
	for _, s := range []string{SecretName, SecretPhone, HexOf("Phone " + SecretPhone), "20231101", "WPS", "Phone"} {
		if bytes.Contains(b, []byte(s)) {
			t.Errorf("%s still holds %q", what, s)
		}
	}
}

// ExifJPEG is a small JPEG carrying an EXIF segment with a GPS marker and a camera serial.
func ExifJPEG(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 32, 24))
	for x := 0; x < 32; x++ {
		for y := 0; y < 24; y++ {
			img.Set(x, y, color.RGBA{uint8(x * 8), uint8(y * 10), 90, 255})
		}
	}
	var enc bytes.Buffer
	if err := jpeg.Encode(&enc, img, nil); err != nil {
		t.Fatal(err)
	}
	payload := append([]byte("Exif\x00\x00MM\x00\x2a\x00\x00\x00\x08"), []byte("GPSLatitude=36.5012;BodySerialNumber=CAM-SERIAL-889977")...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	seg = append(seg, payload...)
	com := append([]byte{0xFF, 0xFE, 0, 0}, []byte("Canon EOS owner John")...)
	binary.BigEndian.PutUint16(com[2:], uint16(len("Canon EOS owner John")+2))
	b := enc.Bytes()
	out := append([]byte{}, b[:2]...)
	out = append(out, seg...)
	out = append(out, com...)
	return append(out, b[2:]...)
}

// TextPNG is a PNG with a tEXt chunk naming a location.
func TextPNG(t testing.TB) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 8, 8))
	var enc bytes.Buffer
	png.Encode(&enc, img)
	b := enc.Bytes()
	data := []byte("Comment\x00GPS 36.50 112.33 PHONE-SERIAL-42")
	chunk := make([]byte, 8, 12+len(data))
	binary.BigEndian.PutUint32(chunk, uint32(len(data)))
	copy(chunk[4:], "tEXt")
	chunk = append(chunk, data...)
	crc := crc32.ChecksumIEEE(chunk[4:])
	chunk = binary.BigEndian.AppendUint32(chunk, crc)
	// after IHDR (8 sig + 25 IHDR bytes)
	out := append([]byte{}, b[:33]...)
	out = append(out, chunk...)
	return append(out, b[33:]...)
}
