package pdf

import (
	"bytes"
	"compress/lzw"
	"encoding/ascii85"
	"testing"
)

// TestLexer: names are decoded (#xx) before anything compares them; strings keep their escapes'
// bytes; references, stray keywords and nulls are read as viewers read them.
func TestLexer(t *testing.T) {
	l := &lexer{b: []byte(`<< /Open#41ction /J#61vaScrip#74 /S (a\(b\)\101\n\
c) /H <4 1 4> /R 12 0 R /N 1 2 /K [1 -2.5 .5 --3 null] stream /Z null /Bad#zz 1 >>`)}
	v, err := l.object(0)
	if err != nil {
		t.Fatal(err)
	}
	d := v.(Dict)
	if d["OpenAction"] != Name("JavaScript") {
		t.Errorf("escaped names: %#v", d)
	}
	if s := string(d["S"].(String)); s != "a(b)A\nc" {
		t.Errorf("literal string %q", s)
	}
	if s := string(d["H"].(String)); s != "A@" {
		t.Errorf("hex string %q", s)
	}
	if d["R"] != (Ref{12, 0}) || d["N"] != int64(1) {
		t.Errorf("reference and number: %#v %#v", d["R"], d["N"])
	}
	if a := d["K"].(Array); len(a) != 5 || a[1] != -2.5 || a[2] != 0.5 || a[3] != -3.0 || a[4] != nil {
		t.Errorf("array %#v", a)
	}
	if _, ok := d["Z"]; ok {
		t.Error("a null value is kept as a key")
	}
	if d["Bad#zz"] != int64(1) {
		t.Errorf("an invalid escape is kept as written: %#v", d)
	}
}

// TestPredictors: PNG rows of every filter type and the TIFF predictor are undone.
func TestPredictors(t *testing.T) {
	d := &Doc{cache: map[int]Object{}, loading: map[int]bool{}}
	plain := []byte("0123456789abcdefghij") // 4 rows of 5
	// each row encoded with filter type row%5 against the previous row, 1 byte per pixel
	var enc []byte
	prev := make([]byte, 5)
	for r := 0; r < 4; r++ {
		row := plain[r*5 : r*5+5]
		tag := byte(r + 1)
		enc = append(enc, tag)
		for k := range row {
			var a, c byte
			if k > 0 {
				a, c = row[k-1], prev[k-1]
			}
			switch tag {
			case 1:
				enc = append(enc, row[k]-a)
			case 2:
				enc = append(enc, row[k]-prev[k])
			case 3:
				enc = append(enc, row[k]-byte((int(a)+int(prev[k]))/2))
			case 4:
				enc = append(enc, row[k]-paeth(a, prev[k], c))
			}
		}
		prev = row
	}
	out, err := d.unpredict(enc, Dict{"Predictor": int64(12), "Columns": int64(5)})
	if err != nil || !bytes.Equal(out, plain) {
		t.Fatalf("PNG: %v %q", err, out)
	}
	tiff := []byte{1, 1, 1, 5, 250, 10}
	out, err = d.unpredict(tiff, Dict{"Predictor": int64(2), "Columns": int64(3)})
	if err != nil || !bytes.Equal(out, []byte{1, 2, 3, 5, 255, 9}) {
		t.Fatalf("TIFF: %v %v", err, out)
	}
}

// TestFilters: LZW (without early change, as Go writes it), ASCII85, ASCIIHex and RunLength.
func TestFilters(t *testing.T) {
	text := bytes.Repeat([]byte("TOBEORNOTTOBEORTOBEORNOT#"), 300)
	var buf bytes.Buffer
	w := lzw.NewWriter(&buf, lzw.MSB, 8)
	w.Write(text)
	w.Close()
	if out, err := unlzw(buf.Bytes(), false, 1<<20); err != nil || !bytes.Equal(out, text) {
		t.Errorf("LZW: %v, %d bytes", err, len(out))
	}
	a85 := make([]byte, ascii85.MaxEncodedLen(len(text)))
	a85 = a85[:ascii85.Encode(a85, text)]
	if out, err := unA85(append(a85, "~>"...)); err != nil || !bytes.Equal(out, text) {
		t.Errorf("ASCII85: %v", err)
	}
	if out, err := unAHx([]byte("41 42\n4>")); err != nil || string(out) != "AB@" {
		t.Errorf("ASCIIHex: %v %q", err, out)
	}
	if out, err := unRL([]byte{2, 'a', 'b', 'c', 254, 'z', 128}, 100); err != nil || string(out) != "abczzz" {
		t.Errorf("RunLength: %v %q", err, out)
	}
}

// TestBrokenFileCostsLinear: a file whose every object is cut short (headers inside an unclosed
// string, unclosed trailers) is refused after reading each byte a bounded number of times, not
// once per header (20,000 headers would read 4 GB).
func TestBrokenFileCostsLinear(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n")
	for i := 0; i < 20000; i++ {
		b.WriteString("1 0 obj (trailer << ")
	}
	b.WriteString("\n%%EOF\n")
	d := &Doc{b: b.Bytes(), xref: map[int]entry{}, cache: map[int]Object{}, loading: map[int]bool{}, stms: map[int]*objStm{}, at: map[int]parsed{}}
	if _, err := d.scan(); err == nil {
		t.Fatal("a file of broken objects has a catalog")
	}
	if limit := 9*b.Len() + 4<<20; d.lexed > limit {
		t.Fatalf("read %d bytes of a %d-byte file (limit %d)", d.lexed, b.Len(), limit)
	}
	if _, err := Parse(b.Bytes()); err == nil {
		t.Fatal("parsed")
	}
}
