package sanitize

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"landwatch/internal/sanitize/pdf"
	"landwatch/internal/sanitize/sanitizetest"
)

// ebml encodes one element with an eight-byte size (or unknown size when size < 0 and payload nil).
func ebml(id uint32, payload ...[]byte) []byte {
	var out []byte
	for s := 24; s >= 0; s -= 8 {
		if c := byte(id >> s); c != 0 || len(out) > 0 {
			out = append(out, c)
		}
	}
	var body []byte
	for _, p := range payload {
		body = append(body, p...)
	}
	n := uint64(len(body))
	out = append(out, 0x01, byte(n>>48), byte(n>>40), byte(n>>32), byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	return append(out, body...)
}

// ebmlUnknown starts an element of unknown size; its children follow.
func ebmlUnknown(id uint32) []byte {
	e := ebml(id)
	return append(e[:len(e)-8], 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF)
}

func testWebM() []byte {
	var v []byte
	v = append(v, ebml(ebmlHeader, ebml(0x4286, []byte{1}), ebml(0x4282, []byte("webm")), ebml(0x4287, []byte{4}))...)
	v = append(v, ebmlUnknown(mkvSegment)...)
	v = append(v, ebml(0x114D9B74, ebml(0x4DBB, ebml(0x53AB, []byte{0x15, 0x49, 0xA9, 0x66}), ebml(0x53AC, []byte{0x40})))...)
	v = append(v, ebml(mkvInfo, ebml(0x2AD7B1, []byte{0x0F, 0x42, 0x40}),
		ebml(mkvTitle, []byte(sanitizetest.SecretName+"的视频")), ebml(mkvMuxApp, []byte("Lavf "+sanitizetest.SecretPhone)),
		ebml(mkvWriteApp, []byte("Phone WPS")), ebml(mkvDateUTC, []byte("20231101")), ebml(0x4489, []byte{0x40, 0x8F, 0x40, 0}))...)
	v = append(v, ebml(0x1654AE6B, ebml(0xAE, ebml(0xD7, []byte{1}), ebml(0x86, []byte("V_VP8"))))...)
	v = append(v, ebmlUnknown(mkvCluster)...)
	v = append(v, ebml(0xE7, []byte{0})...)
	v = append(v, ebml(0xA3, []byte("\x81\x00\x00\x80frames"))...)
	v = append(v, ebml(0x1C53BB6B, ebml(0xBB, ebml(0xB3, []byte{0})))...)
	long := strings.Repeat("x", 300)
	v = append(v, ebml(mkvTags, ebml(0x7373, ebml(0x67C8, ebml(0x45A3, []byte("PHONE")), ebml(0x4487, []byte(sanitizetest.SecretPhone+long)))))...)
	v = append(v, ebml(mkvAttach, ebml(0x61A7, ebml(0x466E, []byte("20231101.jpg"))))...)
	return v
}

// ebmlTree lists the IDs of the Segment's children and of Info, checking every size on the way.
func ebmlTree(t *testing.T, b []byte) (seg, info []uint32) {
	t.Helper()
	walk := func(start, end int, f func(id uint32, data, stop int)) {
		for i := start; i < end; {
			id, idn, err := ebmlID(b, i, end)
			if err != nil {
				t.Fatal(err)
			}
			size, sn, err := ebmlSize(b, i+idn, end)
			if err != nil {
				t.Fatal(err)
			}
			data, stop := i+idn+sn, end
			if size >= 0 {
				stop = data + int(size)
			} else if id == mkvCluster {
				if stop, err = unknownCluster(b, data, end); err != nil {
					t.Fatal(err)
				}
			}
			if stop > end {
				t.Fatalf("element %X at %d overruns", id, i)
			}
			f(id, data, stop)
			i = stop
		}
	}
	walk(0, len(b), func(id uint32, data, stop int) {
		if id == mkvSegment {
			walk(data, stop, func(id uint32, data, stop int) {
				seg = append(seg, id)
				if id == mkvInfo {
					walk(data, stop, func(id uint32, _, _ int) { info = append(info, id) })
				}
			})
		}
	})
	return seg, info
}

// TestStripPDFFromFpdf cleans a PDF as a real generator writes it: compressed page content, a
// UTF-16 information dictionary and an XMP stream.
func TestStripPDFFromFpdf(t *testing.T) {
	f := fpdf.New("P", "mm", "A4", "")
	f.SetAuthor(sanitizetest.SecretName+" "+sanitizetest.SecretPhone, true)
	f.SetTitle("举报材料", true)
	f.SetCreator("WPS "+sanitizetest.SecretName, true)
	f.SetProducer("Phone "+sanitizetest.SecretPhone, true)
	f.SetKeywords(sanitizetest.SecretPhone, true)
	f.SetCreationDate(time.Date(2023, 11, 1, 12, 0, 0, 0, time.UTC))
	f.SetXmpMetadata([]byte(sanitizetest.XMPPacket))
	f.AddPage()
	f.SetFont("Helvetica", "", 12)
	f.Cell(40, 10, sanitizetest.PageText)
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		t.Fatal(err)
	}
	in := buf.Bytes()
	if info := sanitizetest.PDFInfoCheck(t, in, false); !strings.Contains(info, sanitizetest.SecretPhone) {
		t.Fatalf("fixture lacks its metadata:\n%s", info)
	}
	u, err := checkFile("fpdf.pdf", in, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	sanitizetest.AssertNoSecrets(t, "fpdf PDF", u.Data)
	sanitizetest.PDFInfoCheck(t, u.Data, true)
	sanitizetest.AssertCleanPDF(t, "fpdf PDF", u.Data) // its text is sanitizetest.PageText
}

// TestStripNoPanic feeds damaged copies of the fixtures to the strippers: each must return an
// error or a clean file (a WebM of the same length, a PDF that parses and passes the audit), never
// panic.
func TestStripNoPanic(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	fixtures := map[string][]byte{"pdf": sanitizetest.MetaPDF(t, true), "objstm": sanitizetest.ObjStmPDF(t, "/FlateDecode"), "webm": testWebM()}
	for _, c := range sanitizetest.PDFBypasses(t) {
		fixtures[c.Name] = c.Data
	}
	for name, in := range fixtures {
		strip := StripPDF
		if name == "webm" {
			strip = StripWebM
		}
		n := 3000
		if name != "pdf" && name != "objstm" && name != "webm" {
			n = 600 // the hostile PDFs
		}
		for i := 0; i < n; i++ {
			b := append([]byte(nil), in...)
			switch i % 3 {
			case 0:
				b = b[:rng.IntN(len(b))]
			case 1:
				for k := 0; k < 1+rng.IntN(4); k++ {
					b[rng.IntN(len(b))] = byte(rng.IntN(256))
				}
			case 2:
				k := rng.IntN(len(b))
				b = append(b[:k], b[min(len(b), k+1+rng.IntN(16)):]...)
			}
			out, err := strip(b)
			switch {
			case err != nil && name != "webm" && !chineseRefusal(err):
				t.Fatalf("%s copy %d: refusal without a Chinese message: %v", name, i, err)
			case err != nil:
			case name == "webm" && len(out) != len(b):
				t.Fatalf("%s copy %d: %d bytes of %d", name, i, len(out), len(b))
			case name != "webm":
				if bad, err := pdf.Audit(out); err != nil || len(bad) > 0 {
					t.Fatalf("%s copy %d: the cleaned file fails the audit: %v %v", name, i, err, bad)
				}
			}
		}
	}
}
