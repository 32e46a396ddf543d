package pdf

import (
	"sort"
	"strings"
)

// kind is what a value is expected to be where the rebuilt file uses it; each kind has an
// allowlist of keys (and the kind of each value), and nothing else is copied.
type kind int

const (
	kPlain kind = iota // numbers, names, strings, and arrays and dictionaries of them
	kContent
	kData
	kResources
	kFont
	kFontArray
	kFontDesc
	kFontFile
	kEncoding
	kCMap
	kNameOrData
	kXObject
	kImage
	kMask
	kForm
	kGroup
	kExtGState
	kGSFont
	kSoftMask
	kFunction
	kColorSpace
	kICC
	kCalDict
	kDeviceNAttrs
	kProcess
	kPattern
	kTiling
	kShadingPattern
	kShading
	kProperties
	kDecodeParms
	// dictionaries whose every value has one kind
	kFontMap
	kXObjectMap
	kGSMap
	kCSMap
	kPatternMap
	kShadingMap
	kPropMap
	kCharProcs
	kFDMap
)

var mapOf = map[kind]kind{kFontMap: kFont, kXObjectMap: kXObject, kGSMap: kExtGState, kCSMap: kColorSpace,
	kPatternMap: kPattern, kShadingMap: kShading, kPropMap: kProperties, kCharProcs: kContent, kFDMap: kFontDesc}

// schema is the allowlist of one kind: the keys kept and the kind of each value, and whether the
// kind is a dictionary, a stream (its dictionary's keys here plus its filters) or either.
type schema struct {
	dict, stream bool
	keys         map[Name]kind
}

func plain(names ...Name) map[Name]kind {
	m := map[Name]kind{}
	for _, n := range names {
		m[n] = kPlain
	}
	return m
}

func with(m map[Name]kind, more map[Name]kind) map[Name]kind {
	for k, v := range more {
		m[k] = v
	}
	return m
}

var schemas = map[kind]schema{
	kContent: {stream: true, keys: map[Name]kind{}},
	kData:    {stream: true, keys: map[Name]kind{}},
	kResources: {dict: true, keys: map[Name]kind{"Font": kFontMap, "XObject": kXObjectMap, "ExtGState": kGSMap,
		"ColorSpace": kCSMap, "Pattern": kPatternMap, "Shading": kShadingMap, "Properties": kPropMap, "ProcSet": kPlain}},
	kFont: {dict: true, keys: with(plain("Type", "Subtype", "BaseFont", "Name", "FirstChar", "LastChar", "Widths",
		"FontBBox", "FontMatrix", "CIDSystemInfo", "DW", "W", "DW2", "W2"), map[Name]kind{"FontDescriptor": kFontDesc,
		"Encoding": kEncoding, "ToUnicode": kCMap, "DescendantFonts": kFontArray, "CIDToGIDMap": kNameOrData,
		"CharProcs": kCharProcs, "Resources": kResources})},
	kFontDesc: {dict: true, keys: with(plain("Type", "FontName", "FontFamily", "FontStretch", "FontWeight", "Flags",
		"FontBBox", "ItalicAngle", "Ascent", "Descent", "Leading", "CapHeight", "XHeight", "StemV", "StemH", "AvgWidth",
		"MaxWidth", "MissingWidth", "CharSet", "Style", "Lang"), map[Name]kind{"FontFile": kFontFile, "FontFile2": kFontFile,
		"FontFile3": kFontFile, "CIDSet": kData, "FD": kFDMap})},
	kFontFile: {stream: true, keys: plain("Length1", "Length2", "Length3", "Subtype")},
	kCMap:     {stream: true, keys: with(plain("Type", "CMapName", "CIDSystemInfo", "WMode"), map[Name]kind{"UseCMap": kCMap})},
	kImage: {stream: true, keys: with(plain("Type", "Subtype", "Width", "Height", "BitsPerComponent", "ImageMask",
		"Decode", "Interpolate", "SMaskInData", "Intent", "Matte"), map[Name]kind{"ColorSpace": kColorSpace, "Mask": kMask,
		"SMask": kImage})},
	kForm: {stream: true, keys: with(plain("Type", "Subtype", "FormType", "BBox", "Matrix"),
		map[Name]kind{"Resources": kResources, "Group": kGroup})},
	kGroup: {dict: true, keys: with(plain("Type", "S", "I", "K"), map[Name]kind{"CS": kColorSpace})},
	kExtGState: {dict: true, keys: with(plain("Type", "LW", "LC", "LJ", "ML", "D", "RI", "OP", "op", "OPM", "FL", "SM",
		"SA", "BM", "CA", "ca", "AIS", "TK"), map[Name]kind{"Font": kGSFont, "BG": kFunction, "BG2": kFunction,
		"UCR": kFunction, "UCR2": kFunction, "TR": kFunction, "TR2": kFunction, "SMask": kSoftMask})},
	kSoftMask: {dict: true, keys: with(plain("Type", "S", "BC"), map[Name]kind{"G": kForm, "TR": kFunction})},
	kFunction: {dict: true, stream: true, keys: with(plain("FunctionType", "Domain", "Range", "Size", "BitsPerSample",
		"Order", "Encode", "Decode", "C0", "C1", "N", "Bounds"), map[Name]kind{"Functions": kFunction})},
	kICC:            {stream: true, keys: with(plain("N", "Range"), map[Name]kind{"Alternate": kColorSpace})},
	kCalDict:        {dict: true, keys: plain("WhitePoint", "BlackPoint", "Gamma", "Matrix", "Range")},
	kDeviceNAttrs:   {dict: true, keys: with(plain("Subtype"), map[Name]kind{"Colorants": kCSMap, "Process": kProcess})},
	kProcess:        {dict: true, keys: with(plain("Components"), map[Name]kind{"ColorSpace": kColorSpace})},
	kTiling:         {stream: true, keys: with(plain("Type", "PatternType", "PaintType", "TilingType", "BBox", "XStep", "YStep", "Matrix"), map[Name]kind{"Resources": kResources})},
	kShadingPattern: {dict: true, keys: with(plain("Type", "PatternType", "Matrix"), map[Name]kind{"Shading": kShading, "ExtGState": kExtGState})},
	kShading: {dict: true, stream: true, keys: with(plain("ShadingType", "Background", "BBox", "AntiAlias", "Coords",
		"Domain", "Extend", "Matrix", "BitsPerCoordinate", "BitsPerComponent", "BitsPerFlag", "Decode", "VerticesPerRow"),
		map[Name]kind{"ColorSpace": kColorSpace, "Function": kFunction})},
	kProperties: {dict: true, keys: with(plain("Type", "Name", "Intent", "P", "VE"), map[Name]kind{"OCGs": kProperties})},
	kDecodeParms: {dict: true, keys: with(plain("Predictor", "Colors", "BitsPerComponent", "Columns", "EarlyChange", "K",
		"EndOfLine", "EncodedByteAlign", "Rows", "EndOfBlock", "BlackIs1", "DamagedRowsBeforeError", "ColorTransform"),
		map[Name]kind{"JBIG2Globals": kData})},
}

// deniedKeys are never copied, even inside plain data: actions, scripts, forms, files, metadata.
var deniedKeys = map[Name]bool{"A": true, "AA": true, "OpenAction": true, "JS": true, "JavaScript": true, "Names": true,
	"EmbeddedFiles": true, "EF": true, "FS": true, "F": true, "UF": true, "RF": true, "AcroForm": true, "XFA": true,
	"Metadata": true, "PieceInfo": true, "Info": true, "Author": true, "Producer": true, "Creator": true,
	"Keywords": true, "CreationDate": true, "ModDate": true, "LastModified": true, "URI": true, "Next": true,
	"RichMediaContent": true, "RichMediaSettings": true, "Sound": true, "Movie": true, "Outlines": true,
	"Launch": true, "Win": true, "Mac": true, "Unix": true, "Encrypt": true}

// DeniedActions are action types (/S) that no rebuilt file holds: everything but /URI and /GoTo,
// which links use, and which are rewritten anyway.
var DeniedActions = map[Name]bool{"JavaScript": true, "Launch": true, "SubmitForm": true, "ImportData": true,
	"GoToR": true, "GoToE": true, "RichMediaExecute": true, "Sound": true, "Movie": true, "Rendition": true,
	"ResetForm": true, "Hide": true, "Named": true, "SetOCGState": true, "Trans": true, "GoTo3DView": true, "Thread": true}

const maxPages = 10000

// rebuilder copies what the allowlist keeps into a list of new objects.
type rebuilder struct {
	d     *Doc
	objs  []Object // the new file's objects: number i+1 is objs[i]
	memo  map[[2]int]int
	pages map[int]int // an old page's object number → its new one
	strip func([]byte) ([]byte, error)
	err   error
}

func (r *rebuilder) add(v Object) int {
	r.objs = append(r.objs, v)
	return len(r.objs)
}

// copy returns v as kind k, or nil when nothing of it is kept. A reference becomes a reference to
// a new object (one per old object and kind, so shared resources stay shared and cycles end).
func (r *rebuilder) copy(v Object, k kind, depth int) Object {
	if depth > maxDepth || r.err != nil {
		return nil
	}
	ref, ok := v.(Ref)
	if !ok {
		return r.direct(v, k, depth)
	}
	key := [2]int{ref.Num, int(k)}
	if n, ok := r.memo[key]; ok {
		return Ref{n, 0}
	}
	t := r.d.Get(ref.Num)
	switch t.(type) {
	case nil:
		return nil
	case Dict, Array, *Stream:
	default:
		return r.direct(t, k, depth)
	}
	if len(r.objs) >= maxObjects {
		r.err = &Error{"PDF文件对象过多，无法检查，请拆分后上传"}
		return nil
	}
	n := r.add(nil)
	r.memo[key] = n
	c := r.direct(t, k, depth+1)
	if c == nil {
		return nil // the object stays null for whatever already refers to it
	}
	r.objs[n-1] = c
	return Ref{n, 0}
}

// direct copies a value that is not a reference.
func (r *rebuilder) direct(v Object, k kind, depth int) Object {
	switch k {
	case kPlain:
		return r.plainValue(v, depth)
	case kFontArray:
		return r.array(v, kFont, depth)
	case kEncoding:
		switch e := v.(type) {
		case Name:
			return e
		case *Stream:
			return r.direct(e, kCMap, depth)
		case Dict:
			return r.dict(e, map[Name]kind{"Type": kPlain, "BaseEncoding": kPlain, "Differences": kPlain}, depth)
		}
		return nil
	case kCMap, kNameOrData:
		if n, ok := v.(Name); ok {
			return n
		}
		if k == kNameOrData {
			k = kData
		}
	case kXObject:
		s, ok := v.(*Stream)
		if !ok {
			return nil
		}
		switch r.d.Resolve(s.Dict["Subtype"]) {
		case Name("Image"):
			return r.direct(v, kImage, depth)
		case Name("Form"):
			return r.direct(v, kForm, depth)
		}
		return nil
	case kMask:
		if _, ok := v.(Array); ok {
			return r.plainValue(v, depth)
		}
		k = kImage
	case kGSFont:
		a, ok := v.(Array)
		if !ok || len(a) != 2 {
			return nil
		}
		f := r.copy(a[0], kFont, depth+1)
		if f == nil {
			return nil
		}
		return Array{f, r.plainValue(r.d.Resolve(a[1]), depth)}
	case kSoftMask, kFunction:
		if n, ok := v.(Name); ok {
			return n // /None, /Identity, /Default
		}
		if a, ok := v.(Array); ok && k == kFunction {
			return r.array(a, kFunction, depth)
		}
	case kColorSpace:
		return r.colorSpace(v, depth)
	case kPattern:
		d := v
		if s, ok := v.(*Stream); ok {
			d = s.Dict
		}
		dict, _ := d.(Dict)
		switch r.d.Resolve(dict["PatternType"]) {
		case int64(1):
			return r.direct(v, kTiling, depth)
		case int64(2):
			return r.direct(v, kShadingPattern, depth)
		}
		return nil
	case kProperties:
		if a, ok := v.(Array); ok {
			return r.array(a, kProperties, depth)
		}
	}
	if ek, ok := mapOf[k]; ok {
		m, ok := v.(Dict)
		if !ok {
			return nil
		}
		out := Dict{}
		for _, key := range sortedKeys(m) {
			if c := r.copy(m[key], ek, depth+1); c != nil {
				out[key] = c
			}
		}
		return out
	}
	sc, ok := schemas[k]
	if !ok {
		return nil
	}
	switch o := v.(type) {
	case Dict:
		if sc.dict {
			return r.dict(o, sc.keys, depth)
		}
	case *Stream:
		if sc.stream {
			return r.stream(o, sc.keys, k, depth)
		}
	}
	return nil
}

// dict keeps the keys of d that keys names, each as its kind.
func (r *rebuilder) dict(d Dict, keys map[Name]kind, depth int) Object {
	out := Dict{}
	for _, key := range sortedKeys(d) {
		if k, ok := keys[key]; ok && !deniedKeys[key] {
			if c := r.copy(d[key], k, depth+1); c != nil {
				out[key] = c
			}
		}
	}
	return out
}

func (r *rebuilder) array(v Object, k kind, depth int) Object {
	a, ok := v.(Array)
	if !ok {
		return nil
	}
	out := Array{}
	for _, e := range a {
		if c := r.copy(e, k, depth+1); c != nil {
			out = append(out, c)
		}
	}
	return out
}

// plainValue copies numbers, names, strings and booleans, and arrays and dictionaries of them;
// streams are dropped, and so is any dictionary that is an action, a file or an annotation.
func (r *rebuilder) plainValue(v Object, depth int) Object {
	switch o := v.(type) {
	case bool, int64, float64, Name, String:
		return o
	case Ref:
		return r.copy(o, kPlain, depth+1)
	case Array:
		out := make(Array, 0, len(o))
		for _, e := range o {
			c := r.plainValue(e, depth+1)
			if depth > maxDepth {
				return nil
			}
			out = append(out, c) // a null keeps its place
		}
		return out
	case Dict:
		if depth > maxDepth || activeDict(r.d, o) {
			return nil
		}
		out := Dict{}
		for _, key := range sortedKeys(o) {
			if !deniedKeys[key] {
				if c := r.plainValue(o[key], depth+1); c != nil {
					out[key] = c
				}
			}
		}
		return out
	}
	return nil
}

// sortedKeys orders a dictionary's keys, so that the new objects are numbered the same way on
// every run.
func sortedKeys(d Dict) []Name {
	keys := make([]Name, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys
}

// activeDict tells whether d is an action, a file specification, an embedded file or an
// annotation, by its /S, /Type or /Subtype.
func activeDict(d *Doc, o Dict) bool {
	if s, ok := d.Resolve(o["S"]).(Name); ok && (DeniedActions[s] || s == "URI" || s == "GoTo") {
		return true
	}
	switch d.Resolve(o["Type"]) {
	case Name("Action"), Name("Filespec"), Name("EmbeddedFile"), Name("Annot"), Name("Catalog"), Name("Page"), Name("Pages"):
		return true
	}
	return false
}

// stream copies a stream's allowed keys, its filters and their parameters, and its data as it
// is; a JPEG (last filter DCTDecode) is rewritten without its metadata segments.
func (r *rebuilder) stream(s *Stream, keys map[Name]kind, k kind, depth int) Object {
	names, parms, ok := filters(r.d, s.Dict)
	if !ok {
		return nil
	}
	out := &Stream{Dict: r.dict(s.Dict, keys, depth).(Dict), Raw: s.Raw}
	if len(names) > 0 && names[len(names)-1] == "DCTDecode" && r.strip != nil {
		n := len(names) - 1
		data, err := r.d.decodeWith(s.Raw, names[:n], parms[:n])
		if err == nil {
			data, err = r.strip(data)
		}
		if err != nil {
			r.err = &Error{"PDF文件中的图片已损坏，无法清除其元数据，请重新导出后上传"}
			return nil
		}
		out.Raw, names, parms = data, names[n:], parms[n:]
	}
	if len(names) > 0 {
		fa, pa, any := Array{}, Array{}, false
		for i, n := range names {
			fa = append(fa, n)
			var p Object
			if parms[i] != nil {
				p = r.direct(parms[i], kDecodeParms, depth+1)
				any = true
			}
			pa = append(pa, p)
		}
		out.Dict["Filter"] = fa
		if any {
			out.Dict["DecodeParms"] = pa
		}
	}
	return out
}

// colorSpace copies a colour space: a name, or an array whose members have the kinds its family
// gives them.
func (r *rebuilder) colorSpace(v Object, depth int) Object {
	switch o := v.(type) {
	case Name:
		return o
	case Array:
		if len(o) == 0 {
			return nil
		}
		fam, ok := r.d.Resolve(o[0]).(Name)
		if !ok {
			return nil
		}
		var kinds []kind
		switch fam {
		case "DeviceGray", "DeviceRGB", "DeviceCMYK", "Pattern":
			kinds = []kind{kColorSpace}
		case "ICCBased":
			kinds = []kind{kICC}
		case "CalGray", "CalRGB", "Lab":
			kinds = []kind{kCalDict}
		case "Indexed", "I":
			kinds = []kind{kColorSpace, kPlain, kNameOrData}
		case "Separation":
			kinds = []kind{kPlain, kColorSpace, kFunction}
		case "DeviceN":
			kinds = []kind{kPlain, kColorSpace, kFunction, kDeviceNAttrs}
		default:
			return nil
		}
		out := Array{fam}
		for i, e := range o[1:] {
			if i >= len(kinds) {
				break
			}
			var c Object
			if kinds[i] == kNameOrData {
				if s, ok := r.d.Resolve(e).(String); ok {
					c = s // the lookup table as a string
				} else {
					c = r.copy(e, kData, depth+1)
				}
			} else {
				c = r.copy(e, kinds[i], depth+1)
			}
			if c == nil {
				if i < len(kinds)-1 || fam != "DeviceN" {
					return nil
				}
				continue
			}
			out = append(out, c)
		}
		if len(out) == 1 && fam != "Pattern" && !strings.HasPrefix(string(fam), "Device") {
			return nil
		}
		return out
	}
	return nil
}
