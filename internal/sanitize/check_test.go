package sanitize

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	"landwatch/internal/sanitize/sanitizetest"
)

func TestStripJPEGAndPNG(t *testing.T) {
	j := sanitizetest.ExifJPEG(t)
	u, err := checkFile("p.jpg", j, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"Exif", "CAM-SERIAL", "GPSLatitude", "Canon"} {
		if bytes.Contains(u.Data, []byte(bad)) {
			t.Errorf("stripped JPEG still holds %q", bad)
		}
	}
	if !bytes.Contains(j, []byte("CAM-SERIAL")) {
		t.Fatal("fixture lacks its EXIF")
	}
	p := sanitizetest.TextPNG(t)
	u, err = checkFile("p.png", p, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(u.Data, []byte("PHONE-SERIAL")) || bytes.Contains(u.Data, []byte("tEXt")) {
		t.Error("stripped PNG still holds its text chunk")
	}
	if u.MIME != "image/png" {
		t.Errorf("mime %s", u.MIME)
	}
}

func TestSniffRefusesDisguisedFiles(t *testing.T) {
	exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), bytes.Repeat([]byte{0}, 200)...)
	if _, err := checkFile("photo.jpg", exe, 1<<20); err == nil || !strings.Contains(err.Error(), "photo.jpg") {
		t.Fatalf("exe named .jpg: %v", err)
	}
	if _, err := checkFile("a.pdf", sanitizetest.BuildPDF("", append([]string{"<< /Type /Catalog /Pages 2 0 R >>"}, sanitizetest.PDFPage()...)...), 1<<20); err != nil {
		t.Fatalf("pdf: %v", err)
	}
	// a header and an end but nothing between: no pages to keep
	if _, err := checkFile("empty.pdf", []byte("%PDF-1.4\n%...\n%%EOF\n"), 1<<20); err == nil || !strings.Contains(err.Error(), "empty.pdf") || !strings.Contains(err.Error(), "PDF文件已损坏") {
		t.Fatalf("empty pdf: %v", err)
	}
	if _, err := checkFile("big.jpg", sanitizetest.ExifJPEG(t), 100); err == nil || !strings.Contains(err.Error(), "MB") {
		t.Fatalf("oversized: %v", err)
	}
	broken := sanitizetest.ExifJPEG(t)[:40]
	if _, err := checkFile("cut.jpg", broken, 1<<20); err == nil {
		t.Fatal("truncated JPEG accepted")
	}
}

func box(typ string, payload ...[]byte) []byte {
	var body []byte
	for _, p := range payload {
		body = append(body, p...)
	}
	b := binary.BigEndian.AppendUint32(nil, uint32(8+len(body)))
	return append(append(b, typ...), body...)
}

func TestStripMP4(t *testing.T) {
	gps := box("udta", box("\xa9xyz", []byte("+36.5012+112.3301/")), box("\xa9mak", []byte("PhoneMaker SERIAL-5566")))
	video := append(box("ftyp", []byte("isom\x00\x00\x02\x00isomiso2mp41")),
		box("moov", box("mvhd", make([]byte, 100)), box("trak", box("tkhd", make([]byte, 84)), box("meta", []byte("XMP GPS"))), gps)...)
	video = append(video, box("mdat", []byte("frames"))...)
	u, err := checkFile("v.mp4", video, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if u.MIME != "video/mp4" || len(u.Data) != len(video) {
		t.Fatalf("mime %s, %d bytes of %d", u.MIME, len(u.Data), len(video))
	}
	for _, bad := range []string{"+36.5012", "SERIAL-5566", "XMP GPS", "udta"} {
		if bytes.Contains(u.Data, []byte(bad)) {
			t.Errorf("stripped video still holds %q", bad)
		}
	}
	if !bytes.Contains(u.Data, []byte("frames")) || !bytes.Contains(u.Data, []byte("mvhd")) {
		t.Error("stripping removed the video itself")
	}
	if _, err := checkFile("cut.mp4", video[:60], 1<<20); err == nil {
		t.Error("truncated video accepted")
	}
}
