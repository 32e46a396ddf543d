package pdf

import (
	"bytes"
	"strconv"
)

// Limits that keep a hostile file from costing more than a large honest one.
const (
	maxObjects     = 1 << 20  // objects numbered in one file
	maxDecoded     = 64 << 20 // bytes decompressed over the whole file (object and xref streams)
	maxXrefChain   = 1000     // cross-reference sections (incremental updates)
	maxObjStmCount = 1 << 16  // objects in one object stream
)

// entry is where an object lives: in the file at off (typ 1), or as the idx-th object of object
// stream stm (typ 2).
type entry struct {
	typ      byte
	off      int
	stm, idx int
}

// Doc is a parsed file: its objects are read on demand, each once.
type Doc struct {
	b       []byte
	xref    map[int]entry
	scanned map[int]entry // from scanning the whole file, when the xref fails
	Trailer Dict
	cache   map[int]Object
	loading map[int]bool
	stms    map[int]*objStm
	decoded int  // bytes decompressed so far
	depth   int  // objects being read, one inside another
	tooBig  bool // a stream inflated beyond maxDecoded: the file is refused
	lexed   int  // bytes read by the lexer so far: a broken file cannot make reading quadratic
	at      map[int]parsed
}

// parsed is what objectAt found at one offset.
type parsed struct {
	num int
	obj Object
	err error
}

// overBudget tells whether reading has passed what a file of this size may cost: every byte of
// the file and of the data decompressed from it read a few times, as repairs do.
func (d *Doc) overBudget() bool { return d.lexed > 8*(len(d.b)+d.decoded)+4<<20 }

var errBudget = &Error{"PDF文件结构严重损坏，无法解析，请用阅读器另存为标准PDF后重新上传"}

type objStm struct {
	data []byte
	offs []int // start of each object in data
	nums []int
}

// Parse reads the file's cross-reference sections (tables and streams, following /Prev and
// /XRefStm through every incremental update, newest first) and its trailer. When they cannot be
// read, the objects are found by scanning the file, as viewers do with a broken file. An encrypted
// file is refused.
func Parse(b []byte) (*Doc, error) {
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		return nil, &Error{"不是PDF文件（开头没有PDF文件头）"}
	}
	d := &Doc{b: b, xref: map[int]entry{}, cache: map[int]Object{}, loading: map[int]bool{}, stms: map[int]*objStm{}, at: map[int]parsed{}}
	if err := d.readXref(); err != nil || d.Trailer["Root"] == nil {
		d.xref = map[int]entry{}
		t, err := d.scan()
		if err != nil {
			return nil, err
		}
		d.Trailer, d.xref = t, d.scanned
	}
	if d.Trailer["Encrypt"] != nil {
		return nil, &Error{"PDF文件已加密，无法检查其中的脚本和附件，请解除加密（另存为不加密的PDF）后上传"}
	}
	return d, nil
}

// readXref reads the newest cross-reference section and every older one it names.
func (d *Doc) readXref() error {
	k := bytes.LastIndex(d.b, []byte("startxref"))
	if k < 0 {
		return damaged(len(d.b), "：找不到交叉引用表的位置")
	}
	l := &lexer{b: d.b, i: k + 9}
	l.skip()
	off, err := strconv.Atoi(l.word())
	if err != nil {
		return damaged(k, "：交叉引用表的位置缺失")
	}
	seen := map[int]bool{}
	queue := []int{off}
	for n := 0; len(queue) > 0; n++ {
		off, queue = queue[0], queue[1:]
		if seen[off] || n > maxXrefChain {
			continue
		}
		seen[off] = true
		trailer, err := d.readSection(off)
		if err != nil {
			return err
		}
		if d.Trailer == nil {
			d.Trailer = Dict{}
		}
		for key, v := range trailer {
			if _, ok := d.Trailer[key]; !ok && key != "Prev" && key != "XRefStm" {
				d.Trailer[key] = v
			}
		}
		// a hybrid file's cross-reference stream comes before its table's /Prev
		if x, ok := trailer["XRefStm"].(int64); ok {
			queue = append([]int{int(x)}, queue...)
		}
		if p, ok := trailer["Prev"].(int64); ok {
			queue = append(queue, int(p))
		}
	}
	return nil
}

// set records where an object lives unless a newer section already did. A free entry records
// nothing, so that an older section (or, in a hybrid file, the /XRefStm stream beside a table)
// may still define the object: whichever definition is taken, only what the allowlist keeps is
// copied.
func (d *Doc) set(num int, e entry) {
	if _, ok := d.xref[num]; !ok && e.typ != 0 && num > 0 && len(d.xref) < maxObjects {
		d.xref[num] = e
	}
}

// readSection reads one cross-reference table or stream at off and returns its trailer.
func (d *Doc) readSection(off int) (Dict, error) {
	if off < 0 || off >= len(d.b) {
		return nil, damaged(off, "：交叉引用表的位置超出文件")
	}
	if d.overBudget() {
		return nil, errBudget
	}
	l := &lexer{b: d.b, i: off}
	defer func() { d.lexed += l.i - off }()
	l.skip()
	if l.peekWord() != "xref" {
		num, obj, err := d.objectAt(off)
		if err != nil {
			return nil, err
		}
		s, ok := obj.(*Stream)
		if !ok || s.Dict["Type"] != Name("XRef") {
			return nil, damaged(off, "：不是交叉引用表")
		}
		_ = num
		return s.Dict, d.readXrefStream(s)
	}
	l.word()
	for {
		l.skip()
		w := l.peekWord()
		if w == "trailer" {
			l.word()
			t, err := l.object(0)
			if err != nil {
				return nil, err
			}
			dict, ok := t.(Dict)
			if !ok {
				return nil, damaged(l.i, "：文件尾字典错误")
			}
			return dict, nil
		}
		first, err1 := strconv.Atoi(l.word())
		l.skip()
		count, err2 := strconv.Atoi(l.word())
		if err1 != nil || err2 != nil || first < 0 || count < 0 {
			return nil, damaged(l.i, "：交叉引用表格式错误")
		}
		for k := 0; k < count; k++ {
			l.skip()
			o, err1 := strconv.Atoi(l.word())
			l.skip()
			_, err2 := strconv.Atoi(l.word())
			l.skip()
			t := l.word()
			if err1 != nil || err2 != nil || (t != "n" && t != "f") {
				return nil, damaged(l.i, "：交叉引用表条目错误")
			}
			if t == "n" {
				d.set(first+k, entry{typ: 1, off: o})
			} else {
				d.set(first+k, entry{})
			}
		}
	}
}

// readXrefStream reads the entries of a cross-reference stream.
func (d *Doc) readXrefStream(s *Stream) error {
	data, err := d.decode(s)
	if err != nil {
		return err
	}
	w, ok := s.Dict["W"].(Array)
	if !ok || len(w) != 3 {
		return damaged(0, "：交叉引用流缺少字段宽度")
	}
	var ws [3]int
	total := 0
	for i, v := range w {
		n, ok := v.(int64)
		if !ok || n < 0 || n > 8 {
			return damaged(0, "：交叉引用流的字段宽度错误")
		}
		ws[i] = int(n)
		total += int(n)
	}
	if total == 0 {
		return damaged(0, "：交叉引用流的字段宽度错误")
	}
	size, _ := s.Dict["Size"].(int64)
	index := Array{int64(0), size}
	if a, ok := s.Dict["Index"].(Array); ok {
		index = a
	}
	pos := 0
	field := func(n int, def int) int {
		if n == 0 {
			return def
		}
		v := 0
		for k := 0; k < n; k++ {
			v = v<<8 | int(data[pos])
			pos++
		}
		return v
	}
	for i := 0; i+1 < len(index); i += 2 {
		first, ok1 := index[i].(int64)
		count, ok2 := index[i+1].(int64)
		if !ok1 || !ok2 || first < 0 || count < 0 {
			return damaged(0, "：交叉引用流的索引错误")
		}
		for k := int64(0); k < count && pos+total <= len(data); k++ {
			typ := field(ws[0], 1)
			f2 := field(ws[1], 0)
			f3 := field(ws[2], 0)
			num := int(first + k)
			switch typ {
			case 0:
				d.set(num, entry{})
			case 1:
				d.set(num, entry{typ: 1, off: f2})
			case 2:
				d.set(num, entry{typ: 2, stm: f2, idx: f3})
			}
		}
	}
	return nil
}

// objectAt reads "num gen obj … endobj" at off, with the stream that may follow the dictionary.
func (d *Doc) objectAt(off int) (int, Object, error) {
	if p, ok := d.at[off]; ok {
		return p.num, p.obj, p.err
	}
	if d.overBudget() {
		return 0, nil, errBudget
	}
	num, obj, end, err := d.readObjectAt(off)
	d.lexed += max(0, end-off)
	d.at[off] = parsed{num, obj, err}
	return num, obj, err
}

// readObjectAt does the work of objectAt and says where its reading stopped.
func (d *Doc) readObjectAt(off int) (int, Object, int, error) {
	if off < 0 || off >= len(d.b) {
		return 0, nil, off, damaged(off, "：对象位置超出文件")
	}
	l := &lexer{b: d.b, i: off}
	l.skip()
	num, err1 := strconv.Atoi(l.word())
	l.skip()
	_, err2 := strconv.Atoi(l.word())
	l.skip()
	if err1 != nil || err2 != nil || l.word() != "obj" {
		return 0, nil, l.i, damaged(off, "：不是对象的开头")
	}
	obj, err := l.object(0)
	if err != nil {
		return 0, nil, l.i, err
	}
	if _, isKw := obj.(keyword); isKw {
		obj = nil
	}
	dict, ok := obj.(Dict)
	if !ok || l.peekWord() != "stream" {
		return num, obj, l.i, nil
	}
	l.skip()
	l.word()
	// the data begins after the end of line that follows the keyword
	if l.i < len(d.b) && d.b[l.i] == '\r' {
		l.i++
	}
	if l.i < len(d.b) && d.b[l.i] == '\n' {
		l.i++
	}
	start := l.i
	end := -1
	if n, ok := d.lengthOf(dict["Length"]); ok && n >= 0 && start+n <= len(d.b) {
		t := &lexer{b: d.b, i: start + n}
		t.skip()
		if t.word() == "endstream" {
			end = start + n
		}
	}
	if end < 0 { // a wrong /Length: the data runs to the keyword, as viewers read it
		k := bytes.Index(d.b[start:], []byte("endstream"))
		if k < 0 {
			return 0, nil, len(d.b), damaged(start, "：数据流没有结束标记")
		}
		end = start + k
		if end > start && d.b[end-1] == '\n' {
			end--
		}
		if end > start && d.b[end-1] == '\r' {
			end--
		}
	}
	return num, &Stream{Dict: dict, Raw: d.b[start:end]}, end, nil
}

// lengthOf reads a stream's /Length, direct or a reference to a plain object.
func (d *Doc) lengthOf(v Object) (int, bool) {
	if r, ok := v.(Ref); ok {
		if d.loading[r.Num] {
			return 0, false
		}
		v = d.Get(r.Num)
	}
	n, ok := v.(int64)
	return int(n), ok && n < 1<<40
}

// Resolve follows a reference to its object (nil when missing or unreadable); other values are
// returned as they are.
func (d *Doc) Resolve(v Object) Object {
	if r, ok := v.(Ref); ok {
		return d.Get(r.Num)
	}
	return v
}

// Get returns object num, reading it once. A missing or unreadable object is null, as the
// specification says of references to objects that do not exist.
func (d *Doc) Get(num int) Object {
	if v, ok := d.cache[num]; ok {
		return v
	}
	if d.loading[num] {
		return nil
	}
	if d.depth > maxDepth {
		return nil
	}
	d.loading[num] = true
	d.depth++
	defer func() { delete(d.loading, num); d.depth-- }()
	v, err := d.load(num, d.xref)
	if err != nil && d.scanned == nil {
		d.scan()
	}
	if err != nil {
		v, err = d.load(num, d.scanned)
	}
	if err != nil {
		v = nil
	}
	d.cache[num] = v
	return v
}

func (d *Doc) load(num int, xref map[int]entry) (Object, error) {
	e, ok := xref[num]
	if !ok {
		return nil, nil
	}
	switch e.typ {
	case 1:
		n, obj, err := d.objectAt(e.off)
		if err != nil {
			return nil, err
		}
		if n != num {
			return nil, damaged(e.off, "：对象编号与交叉引用表不符")
		}
		return obj, nil
	case 2:
		s, err := d.objectStream(e.stm)
		if err != nil {
			return nil, err
		}
		if e.idx >= len(s.offs) || s.nums[e.idx] != num {
			return nil, damaged(0, "：对象流中没有所指的对象")
		}
		if d.overBudget() {
			return nil, errBudget
		}
		l := &lexer{b: s.data, i: s.offs[e.idx]}
		obj, err := l.object(0)
		d.lexed += l.i - s.offs[e.idx]
		if _, isKw := obj.(keyword); isKw || err != nil {
			return nil, err
		}
		return obj, nil
	}
	return nil, nil
}

// objectStream decodes object stream num (a plain object in the file) and reads its header.
func (d *Doc) objectStream(num int) (*objStm, error) {
	if s, ok := d.stms[num]; ok {
		if s == nil {
			return nil, damaged(0, "：对象流无法读取")
		}
		return s, nil
	}
	d.stms[num] = nil
	e, ok := d.xref[num]
	if !ok || e.typ != 1 {
		if e, ok = d.scanned[num]; !ok || e.typ != 1 {
			return nil, damaged(0, "：找不到对象流")
		}
	}
	_, obj, err := d.objectAt(e.off)
	if err != nil {
		return nil, err
	}
	st, ok := obj.(*Stream)
	if !ok {
		return nil, damaged(e.off, "：对象流不是数据流")
	}
	data, err := d.decode(st)
	if err != nil {
		return nil, err
	}
	n, _ := st.Dict["N"].(int64)
	first, _ := st.Dict["First"].(int64)
	if n < 0 || n > maxObjStmCount || first < 0 || int(first) > len(data) {
		return nil, damaged(e.off, "：对象流的对象数或起始位置错误")
	}
	s := &objStm{data: data}
	l := &lexer{b: data[:first]}
	for k := 0; k < int(n); k++ {
		l.skip()
		a, err1 := strconv.Atoi(l.word())
		l.skip()
		b, err2 := strconv.Atoi(l.word())
		if err1 != nil || err2 != nil || b < 0 || int(first)+b > len(data) {
			return nil, damaged(e.off, "：对象流的索引错误")
		}
		s.nums = append(s.nums, a)
		s.offs = append(s.offs, int(first)+b)
	}
	d.stms[num] = s
	return s, nil
}

// scan finds every "num gen obj" in the file (the last one of a number wins, as in an incremental
// update), the objects inside object streams, and the trailer: the last trailer dictionary or
// cross-reference stream naming a /Root, else the last /Type /Catalog object.
func (d *Doc) scan() (Dict, error) {
	d.scanned = map[int]entry{}
	var trailer Dict
	var catalog int
	var stms []int
	for i := 0; ; {
		k := bytes.Index(d.b[i:], []byte("obj"))
		if k < 0 || d.overBudget() {
			break
		}
		k += i
		i = k + 3
		if (k+3 < len(d.b) && isRegular(d.b[k+3])) || k == 0 || !isSpace(d.b[k-1]) {
			continue // "endobj" and longer words are not headers
		}
		// back over "num gen "
		j := k - 1
		for j >= 0 && isSpace(d.b[j]) {
			j--
		}
		g := j
		for j >= 0 && d.b[j] >= '0' && d.b[j] <= '9' {
			j--
		}
		if j == g {
			continue
		}
		for j >= 0 && isSpace(d.b[j]) {
			j--
		}
		n := j
		for j >= 0 && d.b[j] >= '0' && d.b[j] <= '9' {
			j--
		}
		if j == n || (j >= 0 && isRegular(d.b[j])) {
			continue
		}
		num, err := strconv.Atoi(string(d.b[j+1 : n+1]))
		if err != nil || num <= 0 || len(d.scanned) >= maxObjects {
			continue
		}
		_, obj, err := d.objectAt(j + 1)
		if err != nil {
			continue
		}
		d.scanned[num] = entry{typ: 1, off: j + 1}
		switch o := obj.(type) {
		case Dict:
			if o["Type"] == Name("Catalog") {
				catalog = num
			}
		case *Stream:
			switch o.Dict["Type"] {
			case Name("ObjStm"):
				stms = append(stms, num)
			case Name("XRef"):
				if o.Dict["Root"] != nil {
					trailer = o.Dict
				}
			}
			i = max(i, cap(d.b)-cap(o.Raw)+len(o.Raw)) // what the stream holds is not a header
		}
	}
	// the trailer dictionaries
	for i := 0; ; {
		k := bytes.Index(d.b[i:], []byte("trailer"))
		if k < 0 {
			break
		}
		if d.overBudget() {
			break
		}
		l := &lexer{b: d.b, i: i + k + 7}
		i += k + 7
		t, err := l.object(0)
		d.lexed += l.i - i
		if err == nil {
			if t, ok := t.(Dict); ok && t["Root"] != nil {
				trailer = t
			}
		}
	}
	// objects inside object streams, where no plain object has their number
	for _, s := range stms {
		os, err := d.objectStream(s)
		if err != nil {
			continue
		}
		for idx, num := range os.nums {
			if _, ok := d.scanned[num]; !ok && num > 0 && len(d.scanned) < maxObjects {
				d.scanned[num] = entry{typ: 2, stm: s, idx: idx}
				if o, err := (&lexer{b: os.data, i: os.offs[idx]}).object(0); err == nil {
					if o, ok := o.(Dict); ok && o["Type"] == Name("Catalog") && catalog == 0 {
						catalog = num
					}
				}
			}
		}
	}
	if trailer == nil {
		trailer = Dict{}
	}
	if trailer["Root"] == nil {
		if catalog == 0 {
			return nil, &Error{"PDF文件已损坏，找不到文档目录，无法解析，请用阅读器另存为标准PDF后重新上传"}
		}
		trailer["Root"] = Ref{catalog, 0}
	}
	return trailer, nil
}
