package pdf

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Clean parses b and writes a new file holding only the pages (with the attributes they inherit),
// their content streams, the resources these draw with and the links to a web address or to a
// page of the file. strip rewrites the bytes of every JPEG image (DCTDecode) without its metadata;
// nil keeps them. The new file is parsed and audited again before it is returned. A file without
// %%EOF near its end is refused as cut short (an upload broken off), though a viewer may show it.
func Clean(b []byte, strip func([]byte) ([]byte, error)) ([]byte, error) {
	if !bytes.Contains(b[max(0, len(b)-1024):], []byte("%%EOF")) {
		return nil, &Error{"PDF文件已损坏或不完整（结尾没有文件结束标记，可能上传中断），请重新上传"}
	}
	d, err := Parse(b)
	if err != nil {
		return nil, err
	}
	r := &rebuilder{d: d, memo: map[[2]int]int{}, pages: map[int]int{}, strip: strip}
	catalog, ok := d.Resolve(d.Trailer["Root"]).(Dict)
	if d.tooBig {
		return nil, errTooBig
	}
	if !ok {
		return nil, &Error{"PDF文件已损坏，找不到文档目录，无法解析，请用阅读器另存为标准PDF后重新上传"}
	}
	root, err := r.pageTree(catalog["Pages"])
	if d.tooBig {
		return nil, errTooBig
	}
	if err != nil {
		return nil, err
	}
	if r.err != nil {
		return nil, r.err
	}
	cat := r.add(Dict{"Type": Name("Catalog"), "Pages": Ref{root, 0}})
	out := write(r.objs, cat)
	bad, err := Audit(out)
	if err != nil || len(bad) > 0 {
		return nil, &Error{"PDF文件无法清理干净，请用阅读器另存为标准PDF后重新上传"}
	}
	return out, nil
}

// pageInfo is one page found in the old page tree, with the attributes it inherits.
type pageInfo struct {
	num  int
	dict Dict
	inh  map[Name]Object
}

var inherited = []Name{"Resources", "MediaBox", "CropBox", "Rotate"}

// pageTree flattens the old page tree into one node of pages and returns its number.
func (r *rebuilder) pageTree(top Object) (int, error) {
	var list []pageInfo
	seen := map[int]bool{}
	var walk func(v Object, inh map[Name]Object, depth int)
	walk = func(v Object, inh map[Name]Object, depth int) {
		if depth > maxDepth || len(list) >= maxPages {
			return
		}
		num := -1
		if ref, ok := v.(Ref); ok {
			if seen[ref.Num] {
				return
			}
			seen[ref.Num] = true
			num = ref.Num
		}
		node, ok := r.d.Resolve(v).(Dict)
		if !ok {
			return
		}
		here := map[Name]Object{}
		for k, v := range inh {
			here[k] = v
		}
		for _, k := range inherited {
			if v, ok := node[k]; ok {
				here[k] = v
			}
		}
		typ := r.d.Resolve(node["Type"])
		if kids, ok := r.d.Resolve(node["Kids"]).(Array); ok && typ != Name("Page") {
			for _, kid := range kids {
				walk(kid, here, depth+1)
			}
			return
		}
		if typ == Name("Pages") {
			return
		}
		list = append(list, pageInfo{num, node, here})
	}
	walk(top, map[Name]Object{}, 0)
	if len(list) >= maxPages {
		return 0, &Error{fmt.Sprintf("PDF文件超过 %d 页，请拆分后上传", maxPages)}
	}
	if len(list) == 0 {
		return 0, &Error{"PDF文件没有可读的页面，请用阅读器另存为标准PDF后重新上传"}
	}
	root := r.add(nil)
	kids := Array{}
	nums := make([]int, len(list))
	for i, p := range list {
		nums[i] = r.add(nil)
		if p.num >= 0 {
			r.pages[p.num] = nums[i]
		}
		kids = append(kids, Ref{nums[i], 0})
	}
	for i, p := range list {
		r.objs[nums[i]-1] = r.page(p, root)
	}
	r.objs[root-1] = Dict{"Type": Name("Pages"), "Kids": kids, "Count": int64(len(list))}
	return root, nil
}

// page builds one page: its boxes, rotation, resources, content streams and links.
func (r *rebuilder) page(p pageInfo, parent int) Dict {
	out := Dict{"Type": Name("Page"), "Parent": Ref{parent, 0}}
	box := func(v Object) Array {
		a, ok := r.d.Resolve(v).(Array)
		if !ok || len(a) != 4 {
			return nil
		}
		out := Array{}
		for _, e := range a {
			switch n := r.d.Resolve(e).(type) {
			case int64, float64:
				out = append(out, n)
			default:
				return nil
			}
		}
		return out
	}
	out["MediaBox"] = Array{int64(0), int64(0), int64(612), int64(792)}
	if b := box(p.inh["MediaBox"]); b != nil {
		out["MediaBox"] = b
	}
	if b := box(p.inh["CropBox"]); b != nil {
		out["CropBox"] = b
	}
	for _, k := range []Name{"BleedBox", "TrimBox", "ArtBox"} {
		if b := box(p.dict[k]); b != nil {
			out[k] = b
		}
	}
	if rot, ok := r.d.Resolve(p.inh["Rotate"]).(int64); ok && rot%90 == 0 {
		out["Rotate"] = rot % 360
	}
	if u, ok := r.d.Resolve(p.dict["UserUnit"]).(float64); ok && u > 0 {
		out["UserUnit"] = u
	}
	out["Resources"] = Dict{}
	if res := r.copy(p.inh["Resources"], kResources, 1); res != nil {
		out["Resources"] = res
	}
	if g := r.copy(p.dict["Group"], kGroup, 1); g != nil {
		out["Group"] = g
	}
	switch c := r.d.Resolve(p.dict["Contents"]).(type) {
	case Array:
		a := Array{}
		for _, e := range c {
			if s := r.copy(e, kContent, 1); s != nil {
				a = append(a, s)
			}
		}
		out["Contents"] = a
	case *Stream:
		if s := r.copy(p.dict["Contents"], kContent, 1); s != nil {
			out["Contents"] = s
		}
	}
	if annots, ok := r.d.Resolve(p.dict["Annots"]).(Array); ok {
		links := Array{}
		for _, a := range annots {
			if l := r.link(a); l != nil {
				links = append(links, l)
			}
			if len(links) > 10000 {
				break
			}
		}
		if len(links) > 0 {
			out["Annots"] = links
		}
	}
	return out
}

// link keeps a link annotation whose target is a page of the file (/Dest, or a /GoTo action) or
// a web or mail address (a /URI action); its action is rewritten with nothing else in it.
func (r *rebuilder) link(v Object) Object {
	a, ok := r.d.Resolve(v).(Dict)
	if !ok || r.d.Resolve(a["Subtype"]) != Name("Link") {
		return nil
	}
	out := Dict{"Type": Name("Annot"), "Subtype": Name("Link")}
	rect, ok := r.plainValue(r.d.Resolve(a["Rect"]), 0).(Array)
	if !ok || len(rect) != 4 {
		return nil
	}
	out["Rect"] = rect
	for _, k := range []Name{"Border", "C", "H", "QuadPoints"} {
		if c := r.plainValue(r.d.Resolve(a[k]), 0); c != nil {
			out[k] = c
		}
	}
	if dest := r.dest(a["Dest"]); dest != nil {
		out["Dest"] = dest
	} else if act, ok := r.d.Resolve(a["A"]).(Dict); ok {
		switch r.d.Resolve(act["S"]) {
		case Name("URI"):
			if u, ok := r.d.Resolve(act["URI"]).(String); ok && SafeURI(escapeURI(u)) {
				out["A"] = Dict{"S": Name("URI"), "URI": String(escapeURI(u))}
			}
		case Name("GoTo"):
			if dest := r.dest(act["D"]); dest != nil {
				out["Dest"] = dest
			}
		}
	}
	if out["Dest"] == nil && out["A"] == nil {
		return nil
	}
	return Ref{r.add(out), 0}
}

// escapeURI percent-encodes the bytes of an address beyond ASCII (UTF-8 written raw by some
// generators).
func escapeURI(u String) string {
	var b strings.Builder
	for _, c := range []byte(u) {
		if c > '~' {
			fmt.Fprintf(&b, "%%%02X", c)
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// SafeURI tells whether a link's address is a web or mail address, printable ASCII.
func SafeURI(u string) bool {
	for i := 0; i < len(u); i++ {
		if u[i] <= ' ' || u[i] > '~' {
			return false
		}
	}
	l := strings.ToLower(u)
	return strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "mailto:")
}

var destTypes = map[Name]bool{"XYZ": true, "Fit": true, "FitH": true, "FitV": true, "FitR": true, "FitB": true, "FitBH": true, "FitBV": true}

// dest keeps an explicit destination to a kept page: [page /XYZ left top zoom] and the like.
func (r *rebuilder) dest(v Object) Object {
	a, ok := r.d.Resolve(v).(Array)
	if !ok || len(a) < 2 || len(a) > 6 {
		return nil
	}
	ref, ok := a[0].(Ref)
	n, kept := r.pages[ref.Num]
	typ, isName := r.d.Resolve(a[1]).(Name)
	if !ok || !kept || !isName || !destTypes[typ] {
		return nil
	}
	out := Array{Ref{n, 0}, typ}
	for _, e := range a[2:] {
		switch x := r.d.Resolve(e).(type) {
		case int64, float64, nil:
			out = append(out, x)
		default:
			return nil
		}
	}
	return out
}

// write serializes the new objects with a fresh cross-reference table; the trailer names the
// catalog only (no information dictionary).
func write(objs []Object, root int) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n", i+1)
		if s, ok := o.(*Stream); ok {
			s.Dict["Length"] = int64(len(s.Raw))
			writeObj(&b, s.Dict)
			b.WriteString("\nstream\n")
			b.Write(s.Raw)
			b.WriteString("\nendstream")
		} else {
			writeObj(&b, o)
		}
		b.WriteString("\nendobj\n")
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, root, x)
	return b.Bytes()
}

func writeObj(b *bytes.Buffer, v Object) {
	switch o := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(o))
	case int64:
		b.WriteString(strconv.FormatInt(o, 10))
	case float64:
		b.WriteString(strconv.FormatFloat(o, 'f', -1, 64))
	case Name:
		b.WriteByte('/')
		for i := 0; i < len(o); i++ {
			c := o[i]
			if c < '!' || c > '~' || c == '#' || isDelim(c) {
				fmt.Fprintf(b, "#%02X", c)
			} else {
				b.WriteByte(c)
			}
		}
	case String:
		fmt.Fprintf(b, "<%X>", []byte(o))
	case Array:
		b.WriteByte('[')
		for i, e := range o {
			if i > 0 {
				b.WriteByte(' ')
			}
			writeObj(b, e)
		}
		b.WriteByte(']')
	case Dict:
		keys := make([]string, 0, len(o))
		for k := range o {
			keys = append(keys, string(k))
		}
		sort.Strings(keys)
		b.WriteString("<<")
		for _, k := range keys {
			writeObj(b, Name(k))
			b.WriteByte(' ')
			writeObj(b, o[Name(k)])
		}
		b.WriteString(">>")
	case Ref:
		fmt.Fprintf(b, "%d %d R", o.Num, o.Gen)
	default: // a stream is only ever a whole object
		b.WriteString("null")
	}
}

// auditKeys are keys no cleaned file may hold anywhere.
var auditKeys = map[Name]bool{"OpenAction": true, "AA": true, "JS": true, "JavaScript": true, "Names": true,
	"EmbeddedFiles": true, "EF": true, "AcroForm": true, "XFA": true, "Metadata": true, "PieceInfo": true,
	"Outlines": true, "Info": true, "Author": true, "Producer": true, "Creator": true, "Keywords": true,
	"CreationDate": true, "ModDate": true, "RichMediaContent": true, "Next": true, "Launch": true, "Encrypt": true}

// Audit parses a file and lists what no cleaned file may hold, in every object the file has
// (reachable or not) and its trailer: the keys of auditKeys, actions other than a safe /URI or
// /GoTo, file specifications and embedded files, annotations other than links.
func Audit(b []byte) ([]string, error) {
	d, err := Parse(b)
	if err != nil {
		return nil, err
	}
	var bad []string
	var walk func(where string, v Object, depth int)
	walk = func(where string, v Object, depth int) {
		if depth > maxDepth {
			bad = append(bad, where+": too deep")
			return
		}
		switch o := v.(type) {
		case *Stream:
			walk(where, o.Dict, depth+1)
		case Array:
			for _, e := range o {
				walk(where, e, depth+1)
			}
		case Dict:
			for k, e := range o {
				if auditKeys[k] {
					bad = append(bad, where+": /"+string(k))
				}
				walk(where, e, depth+1)
			}
			s, _ := d.Resolve(o["S"]).(Name)
			if DeniedActions[s] {
				bad = append(bad, where+": action /"+string(s))
			}
			if u, ok := o["URI"].(String); ok && !SafeURI(string(u)) {
				bad = append(bad, where+": URI "+string(u))
			}
			switch t, _ := d.Resolve(o["Type"]).(Name); t {
			case "Filespec", "EmbeddedFile", "Action":
				bad = append(bad, where+": /Type /"+string(t))
			}
			if st, _ := d.Resolve(o["Subtype"]).(Name); st != "" && st != "Link" && d.Resolve(o["Type"]) == Name("Annot") {
				bad = append(bad, where+": annotation /"+string(st))
			}
			switch st, _ := d.Resolve(o["Subtype"]).(Name); st {
			case "FileAttachment", "RichMedia", "Widget", "Screen", "Sound", "Movie", "3D":
				bad = append(bad, where+": /Subtype /"+string(st))
			}
		}
	}
	walk("trailer", d.Trailer, 0)
	nums := make([]int, 0, len(d.xref))
	for n := range d.xref {
		nums = append(nums, n)
	}
	sort.Ints(nums)
	for _, n := range nums {
		walk(fmt.Sprintf("object %d", n), d.Get(n), 0)
	}
	return bad, nil
}
