package sanitize

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
)

// refusal is a well-formed file the portal will not store because it cannot make it safe.
type refusal struct{ msg string }

func (r *refusal) Error() string { return r.msg }

var errPDFHidden = &refusal{"PDF文件含压缩或加密的元数据，无法清除，请另存为普通PDF或截图后上传"}

// StripPDF blanks a PDF's metadata in place, so that the file keeps its length and every xref
// offset stays valid: the strings of the document information dictionary (the trailer's /Info and
// any dictionary holding /Author or /Producer) become spaces (hex strings zeros), the contents of
// every XMP packet become spaces, and the EXIF/XMP/comment segments of embedded JPEG images
// (DCTDecode) become zeros. Flate-compressed object streams (/ObjStm) and XMP streams are
// decompressed, blanked the same way (object offsets inside them keep too) and re-compressed into
// the room they had. A file whose metadata cannot be blanked in place — an encrypted file, a
// compressed stream with another filter, or one that no longer fits — is refused.
func StripPDF(b []byte) ([]byte, error) {
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		return nil, errors.New("no %PDF- header")
	}
	if !bytes.Contains(b[max(0, len(b)-1024):], []byte("%%EOF")) {
		return nil, errors.New("no %%EOF at the end: the file is cut short")
	}
	p := &pdfScan{b: append([]byte(nil), b...)}
	if err := p.findStreams(); err != nil {
		return nil, err
	}
	if p.outside(reEncrypt) != nil {
		return nil, errPDFHidden
	}
	// the document information dictionaries named by every trailer (incremental updates add more)
	var infos [][2]string
	for _, m := range p.outside(reInfoRef) {
		infos = append(infos, [2]string{string(p.b[m[2]:m[3]]), string(p.b[m[4]:m[5]])})
	}
	for _, m := range p.outside(reInfoDirect) {
		if _, err := p.value(m[1]-2, true, 0); err != nil {
			return nil, fmt.Errorf("info dictionary at byte %d: %w", m[0], err)
		}
	}
	// any other dictionary holding /Author or /Producer, and the value after every metadata key
	if err := p.blankKeys(); err != nil {
		return nil, err
	}
	// actions, scripts, private application data and embedded files
	if err := p.dropActive(); err != nil {
		return nil, err
	}
	// the info dictionaries and the objects metadata values refer to: those not found as plain
	// objects are looked for in the object streams
	want := map[string]bool{}
	seen := map[[2]string]bool{}
	queue := append(infos, p.follow...)
	p.follow = nil
	for round := 0; len(queue) > 0 || round == 0; round++ {
		if round > 4 {
			return nil, errPDFHidden
		}
		for _, n := range queue {
			if seen[n] {
				continue
			}
			seen[n] = true
			at := p.objects(n[0], n[1])
			if len(at) == 0 && n[1] == "0" {
				want[n[0]] = true
			}
			for _, i := range at {
				if _, err := p.value(i, true, 0); err != nil {
					return nil, fmt.Errorf("object %s %s: %w", n[0], n[1], err)
				}
			}
		}
		queue = nil
		for _, s := range p.streams {
			if reObjStm.Match(p.b[s.dict:s.start]) {
				more, err := p.cleanObjStm(s, want, round == 0)
				if err != nil {
					return nil, err
				}
				queue = append(queue, more...)
			}
		}
		queue = append(queue, p.follow...)
		p.follow = nil
	}
	for _, n := range infos {
		if want[n[0]] { // named by a trailer, found nowhere: hidden where we cannot see
			return nil, errPDFHidden
		}
	}
	for _, s := range p.streams {
		dict := p.b[s.dict:s.start]
		switch {
		case reMetadata.Match(dict) && bytes.Contains(dict, []byte("/Filter")):
			if err := p.blankCompressedXMP(s); err != nil {
				return nil, err
			}
		case reEmbeddedFile.Match(dict):
			blank(p.b[s.start:s.end], 0)
		case reDCT.Match(dict):
			if err := blankJPEGMeta(p.b[s.start:s.end]); err != nil {
				return nil, fmt.Errorf("image at byte %d: %w", s.start, err)
			}
		}
	}
	if err := blankXMP(p.b); err != nil {
		return nil, err
	}
	return p.b, nil
}

// blankKeys blanks the value after every metadata key outside the streams, and every dictionary
// holding /Author or /Producer.
func (p *pdfScan) blankKeys() error {
	keys := p.outside(reMetaKey)
	if len(keys) > 10000 {
		return fmt.Errorf("%d metadata keys: not a document", len(keys))
	}
	done := map[int]bool{}
	for _, m := range keys {
		if at := p.objectStart(m[0]); at >= 0 && !done[at] {
			done[at] = true
			if _, err := p.value(at, false, 0); err != nil {
				return fmt.Errorf("object at byte %d: %w", at, err)
			}
		}
		if _, err := p.value(m[3], true, 0); err != nil {
			return fmt.Errorf("%s at byte %d: %w", p.b[m[0]:m[3]], m[0], err)
		}
	}
	return nil
}

// pdfActiveKeys are dictionary entries removed whole (key and value become spaces): document and
// page actions, JavaScript, applications' private data and embedded files. For the last two the
// strings of the objects they refer to are blanked too.
var pdfActiveKeys = map[string]bool{"OpenAction": true, "AA": true, "JS": true, "JavaScript": true,
	"PieceInfo": true, "EmbeddedFiles": true, "EF": true}

var pdfFollowKeys = map[string]bool{"PieceInfo": true, "EmbeddedFiles": true, "EF": true}

// dropActive removes every active entry found outside the streams, parsing the whole object that
// holds it so that only keys (never a name used as a value) are removed.
func (p *pdfScan) dropActive() error {
	keys := p.outside(reActiveKey)
	if len(keys) > 10000 {
		return fmt.Errorf("%d action keys: not a document", len(keys))
	}
	p.active = true
	defer func() { p.active = false }()
	done := map[int]bool{}
	for _, m := range keys {
		at := p.objectStart(m[0])
		if at < 0 {
			at = bytes.LastIndex(p.b[max(0, m[0]-pdfDictWindow):m[0]], []byte("<<"))
			if at < 0 {
				return fmt.Errorf("%s at byte %d outside any dictionary", p.b[m[0]:m[3]], m[0])
			}
			at += max(0, m[0]-pdfDictWindow)
		}
		if done[at] {
			continue
		}
		done[at] = true
		if _, err := p.value(at, false, 0); err != nil {
			return fmt.Errorf("object at byte %d: %w", at, err)
		}
	}
	return nil
}

// cleanObjStm blanks, inside a compressed object stream, the metadata blankKeys would and the
// objects in want (found here, they are deleted from it), and writes the stream back re-compressed.
// It returns the objects the blanked values refer to. With all, also the metadata keys are blanked
// (on later rounds only the objects wanted).
func (p *pdfScan) cleanObjStm(s pdfStream, want map[string]bool, all bool) ([][2]string, error) {
	dict := p.b[s.dict:s.start]
	plain, err := p.inflate(s)
	if err != nil {
		return nil, err
	}
	inner := &pdfScan{b: plain}
	if all {
		if err := inner.blankKeys(); err != nil {
			return nil, fmt.Errorf("object stream at byte %d: %w", s.start, err)
		}
	}
	if all && reActiveKey.Match(plain) || len(want) > 0 {
		first, n := reFirst.FindSubmatch(dict), reN.FindSubmatch(dict)
		if first == nil || n == nil {
			return nil, fmt.Errorf("object stream at byte %d without /First or /N", s.start)
		}
		base, _ := strconv.Atoi(string(first[1]))
		count, _ := strconv.Atoi(string(n[1]))
		i := 0
		for k := 0; k < count; k++ {
			num, j := inner.word(inner.skip(i))
			off, j2 := inner.word(inner.skip(j))
			o, err := strconv.Atoi(off)
			if err != nil || num == "" || o < 0 || base+o >= len(plain) {
				return nil, fmt.Errorf("object stream at byte %d: bad header", s.start)
			}
			i = j2
			if all && reActiveKey.Match(plain) {
				inner.active = true
				_, err := inner.value(base+o, false, 0)
				inner.active = false
				if err != nil {
					return nil, fmt.Errorf("object %s in the object stream at byte %d: %w", num, s.start, err)
				}
			}
			if want[num] {
				delete(want, num)
				if _, err := inner.value(base+o, true, 0); err != nil {
					return nil, fmt.Errorf("object %s in the object stream at byte %d: %w", num, s.start, err)
				}
			}
		}
	}
	if err := blankXMP(plain); err != nil {
		return nil, err
	}
	return inner.follow, p.recompress(s, plain)
}

// recompress writes plain back into stream s, Flate-compressed, if it changed; the bytes left over
// after the new zlib stream are newlines, which readers do not reach. It refuses when it no longer
// fits.
func (p *pdfScan) recompress(s pdfStream, plain []byte) error {
	old, err := p.inflate(s)
	if err != nil {
		return err
	}
	if bytes.Equal(old, plain) {
		return nil
	}
	var buf bytes.Buffer
	w, _ := zlib.NewWriterLevel(&buf, zlib.BestCompression)
	w.Write(plain)
	w.Close()
	if buf.Len() > s.end-s.start {
		return errPDFHidden
	}
	n := copy(p.b[s.start:s.end], buf.Bytes())
	for i := s.start + n; i < s.end; i++ {
		p.b[i] = '\n'
	}
	return nil
}

// blankJPEGMeta zeros, in place, the payload of every APPn segment of a JPEG but JFIF and Adobe's
// colour marker, and of every comment, up to the first scan.
func blankJPEGMeta(b []byte) error {
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return errors.New("no JPEG start marker")
	}
	for i := 2; ; {
		if i+4 > len(b) || b[i] != 0xFF {
			return fmt.Errorf("bad segment at byte %d", i)
		}
		m := b[i+1]
		if m == 0xFF {
			i++
			continue
		}
		if m == 0xD9 {
			return errors.New("no image data")
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 || i+2+n > len(b) {
			return fmt.Errorf("segment at byte %d overruns the image", i)
		}
		seg := b[i+4 : i+2+n]
		switch {
		case m == 0xE0 && bytes.HasPrefix(seg, []byte("JFIF\x00")), m == 0xEE && bytes.HasPrefix(seg, []byte("Adobe")):
		case m >= 0xE0 && m <= 0xEF, m == 0xFE:
			clear(seg)
		}
		if m == 0xDA {
			return nil
		}
		i += 2 + n
	}
}

var (
	reEncrypt      = regexp.MustCompile(`/Encrypt\s*(\d+\s+\d+\s+R|<<)`)
	reObjStm       = regexp.MustCompile(`/Type\s*/ObjStm\b`)
	reMetadata     = regexp.MustCompile(`/Type\s*/Metadata\b`)
	reInfoRef      = regexp.MustCompile(`/Info\s*(\d+)\s+(\d+)\s+R`)
	reInfoDirect   = regexp.MustCompile(`/Info\s*<<`)
	reDCT          = regexp.MustCompile(`/Filter\s*(/DCTDecode|\[\s*/DCTDecode\s*\])`)
	reFirst        = regexp.MustCompile(`/First\s+(\d+)`)
	reN            = regexp.MustCompile(`/N\s+(\d+)`)
	reActiveKey    = regexp.MustCompile(`/(OpenAction|AA|JS|JavaScript|PieceInfo|EmbeddedFiles|EF)([\s/()<>\[\]%]|$)`)
	reEmbeddedFile = regexp.MustCompile(`/Type\s*/EmbeddedFile\b`)
	reMetaKey      = regexp.MustCompile(`/(Author|Producer|Creator|CreationDate|ModDate|Keywords)([\s/()<>\[\]%]|$)`)
)

type pdfStream struct{ dict, start, end int } // dict: where its object begins; [start, end): the data

type pdfScan struct {
	b       []byte
	streams []pdfStream
	follow  [][2]string // objects referenced from metadata values: blanked too
	active  bool        // value drops the entries of pdfActiveKeys from dictionaries
}

// findStreams locates every stream's data, so that keys are looked for outside them only.
func (p *pdfScan) findStreams() error {
	b := p.b
	for i := 0; ; {
		k := bytes.Index(b[i:], []byte("stream"))
		if k < 0 {
			return nil
		}
		k += i
		i = k + 6
		if k > 0 && isRegular(b[k-1]) { // "endstream" or a longer word
			continue
		}
		start := k + 6
		switch {
		case bytes.HasPrefix(b[start:], []byte("\r\n")):
			start += 2
		case start < len(b) && (b[start] == '\n' || b[start] == '\r'):
			start++
		default:
			continue
		}
		e := bytes.Index(b[start:], []byte("endstream"))
		if e < 0 {
			return fmt.Errorf("stream at byte %d has no endstream", k)
		}
		from := max(0, k-pdfDictWindow)
		dict := bytes.LastIndex(b[from:k], []byte("obj"))
		if dict < 0 {
			return fmt.Errorf("stream at byte %d outside any object", k)
		}
		p.streams = append(p.streams, pdfStream{dict: from + dict + 3, start: start, end: start + e})
		i = start + e + 9
	}
}

// pdfDictWindow bounds how far back an object's start is looked for, so that a hostile file
// cannot make the scan quadratic.
const pdfDictWindow = 1 << 20

func (p *pdfScan) inStream(at int) bool {
	// streams are in file order and do not overlap: the last one starting at or before at
	k := sort.Search(len(p.streams), func(i int) bool { return p.streams[i].start > at }) - 1
	return k >= 0 && at < p.streams[k].end
}

// outside returns the matches of re that are not inside stream data.
func (p *pdfScan) outside(re *regexp.Regexp) [][]int {
	var out [][]int
	for _, m := range re.FindAllSubmatchIndex(p.b, -1) {
		if !p.inStream(m[0]) {
			out = append(out, m)
		}
	}
	return out
}

// objects returns where the body of every "num gen obj" begins.
func (p *pdfScan) objects(num, gen string) []int {
	re := regexp.MustCompile(`(?:^|[^0-9])` + num + `\s+` + gen + `\s+obj\b`)
	var out []int
	for _, m := range re.FindAllIndex(p.b, -1) {
		if !p.inStream(m[0]) {
			out = append(out, m[1])
		}
	}
	return out
}

// objectStart is where the body of the object holding byte at begins, or -1.
func (p *pdfScan) objectStart(at int) int {
	from := max(0, at-pdfDictWindow)
	k := bytes.LastIndex(p.b[from:at], []byte("obj"))
	if k < 0 || (from+k > 0 && isRegular(p.b[from+k-1])) { // none, or endobj: the key is in a trailer
		return -1
	}
	return from + k + 3
}

func (p *pdfScan) inflate(s pdfStream) ([]byte, error) {
	dict := p.b[s.dict:s.start]
	if !regexp.MustCompile(`/Filter\s*\[?\s*/FlateDecode\s*\]?`).Match(dict) {
		return nil, errPDFHidden
	}
	r, err := zlib.NewReader(bytes.NewReader(p.b[s.start:s.end]))
	if err != nil {
		return nil, fmt.Errorf("compressed stream at byte %d: %w", s.start, err)
	}
	out, err := io.ReadAll(io.LimitReader(r, 256<<20))
	if err != nil {
		return nil, fmt.Errorf("compressed stream at byte %d: %w", s.start, err)
	}
	return out, nil
}

// blankCompressedXMP blanks the XMP of a compressed /Metadata stream and re-compresses it.
func (p *pdfScan) blankCompressedXMP(s pdfStream) error {
	plain, err := p.inflate(s)
	if err != nil {
		return err
	}
	if err := blankXMP(plain); err != nil {
		return err
	}
	return p.recompress(s, plain)
}

// blankXMP turns the contents of every XMP packet into spaces: between "<?xpacket begin…?>" and
// "<?xpacket end", and between "<x:xmpmeta…>" and "</x:xmpmeta>" where there is no packet wrapper.
func blankXMP(b []byte) error {
	for _, w := range []xmpWrapper{
		{"<?xpacket begin", "?>", "<?xpacket end", "XMP packet at byte %d never closes its header", "XMP packet at byte %d has no end"},
		{"<x:xmpmeta", ">", "</x:xmpmeta>", "XMP at byte %d never closes its tag", "XMP at byte %d has no end"},
	} {
		if err := w.blankAll(b); err != nil {
			return err
		}
	}
	return nil
}

// xmpWrapper is one way XMP is wrapped: the start of its opening tag, the end of that tag, its
// closing tag, and the refusals when either end is missing.
type xmpWrapper struct{ open, openEnd, close, noOpenEnd, noClose string }

// blankAll turns into spaces what every wrapper of this kind holds.
func (w xmpWrapper) blankAll(b []byte) error {
	for i := 0; ; {
		k := bytes.Index(b[i:], []byte(w.open))
		if k < 0 {
			return nil
		}
		k += i
		open := bytes.Index(b[k:], []byte(w.openEnd))
		if open < 0 {
			return fmt.Errorf(w.noOpenEnd, k)
		}
		start := k + open + len(w.openEnd)
		end := bytes.Index(b[start:], []byte(w.close))
		if end < 0 {
			return fmt.Errorf(w.noClose, k)
		}
		blank(b[start:start+end], ' ')
		i = start + end + len(w.close)
	}
}

func blank(b []byte, c byte) {
	for i := range b {
		b[i] = c
	}
}

func isSpace(c byte) bool {
	return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' '
}

func isDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}

func isRegular(c byte) bool { return !isSpace(c) && !isDelim(c) }

func (p *pdfScan) skip(i int) int {
	for i < len(p.b) {
		switch {
		case isSpace(p.b[i]):
			i++
		case p.b[i] == '%':
			for i < len(p.b) && p.b[i] != '\n' && p.b[i] != '\r' {
				i++
			}
		default:
			return i
		}
	}
	return i
}

// word reads a run of regular characters (a number or keyword) at i.
func (p *pdfScan) word(i int) (string, int) {
	j := i
	for j < len(p.b) && isRegular(p.b[j]) {
		j++
	}
	return string(p.b[i:j]), j
}

// value parses the PDF object at i and returns where it ends. With blank, every string in it is
// blanked and every object it references is queued to be blanked. A dictionary holding /Author or
// /Producer is blanked whole.
func (p *pdfScan) value(i int, blanking bool, depth int) (int, error) {
	if depth > 64 {
		return 0, errors.New("objects nested too deep")
	}
	b := p.b
	i = p.skip(i)
	if i >= len(b) {
		return 0, errors.New("unexpected end of file")
	}
	switch c := b[i]; {
	case c == '(':
		d := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '\\':
				j++
			case '(':
				d++
			case ')':
				d--
				if d == 0 {
					if blanking {
						blank(b[i+1:j], ' ')
					}
					return j + 1, nil
				}
			}
		}
		return 0, fmt.Errorf("string at byte %d never ends", i)
	case c == '<' && i+1 < len(b) && b[i+1] == '<':
		type kv struct {
			key string
			at  int
		}
		var kvs []kv
		meta, action := false, false
		for j := i + 2; ; {
			j = p.skip(j)
			if j >= len(b) {
				return 0, fmt.Errorf("dictionary at byte %d never ends", i)
			}
			if b[j] == '>' && j+1 < len(b) && b[j+1] == '>' {
				if action {
					blank(b[i+2:j], ' ')
				}
				if meta && !blanking {
					for _, e := range kvs {
						if _, err := p.value(e.at, true, depth+1); err != nil {
							return 0, err
						}
					}
				}
				return j + 2, nil
			}
			if b[j] != '/' {
				return 0, fmt.Errorf("dictionary at byte %d: key expected at byte %d", i, j)
			}
			key, k := p.word(j + 1)
			if key == "Author" || key == "Producer" {
				meta = true
			}
			if p.active && pdfActiveKeys[key] {
				end, err := p.value(k, pdfFollowKeys[key], depth+1)
				if err != nil {
					return 0, err
				}
				blank(b[j:end], ' ')
				j = end
				continue
			}
			end, err := p.value(k, blanking, depth+1)
			if err != nil {
				return 0, err
			}
			if p.active && key == "S" {
				if v, _ := p.word(p.skip(k) + 1); v == "JavaScript" || v == "Launch" {
					action = true // a script or program action: the whole dictionary goes
				}
			}
			kvs = append(kvs, kv{key, k})
			j = end
		}
	case c == '<':
		end := bytes.IndexByte(b[i:], '>')
		if end < 0 {
			return 0, fmt.Errorf("hex string at byte %d never ends", i)
		}
		if blanking {
			for j := i + 1; j < i+end; j++ {
				if !isSpace(b[j]) {
					b[j] = '0'
				}
			}
		}
		return i + end + 1, nil
	case c == '[':
		for j := i + 1; ; {
			j = p.skip(j)
			if j >= len(b) {
				return 0, fmt.Errorf("array at byte %d never ends", i)
			}
			if b[j] == ']' {
				return j + 1, nil
			}
			end, err := p.value(j, blanking, depth+1)
			if err != nil {
				return 0, err
			}
			j = end
		}
	case c == '/':
		_, end := p.word(i + 1)
		return end, nil
	case isRegular(c):
		w, end := p.word(i)
		if _, err := strconv.Atoi(w); err == nil { // maybe "num gen R"
			j := p.skip(end)
			g, k := p.word(j)
			if _, err := strconv.Atoi(g); err == nil && g != "" {
				if r, e := p.word(p.skip(k)); r == "R" {
					if blanking {
						p.follow = append(p.follow, [2]string{w, g})
					}
					return e, nil
				}
			}
		}
		return end, nil
	}
	return 0, fmt.Errorf("unexpected %q at byte %d", b[i], i)
}
