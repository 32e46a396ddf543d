package pdf

import (
	"bytes"
	"compress/zlib"
	"io"
)

// knownFilters are the standard filters a stream may carry into the rebuilt file; a stream with
// any other (Crypt, or a name no viewer knows) is not copied.
var knownFilters = map[Name]Name{
	"FlateDecode": "FlateDecode", "Fl": "FlateDecode",
	"LZWDecode": "LZWDecode", "LZW": "LZWDecode",
	"ASCIIHexDecode": "ASCIIHexDecode", "AHx": "ASCIIHexDecode",
	"ASCII85Decode": "ASCII85Decode", "A85": "ASCII85Decode",
	"RunLengthDecode": "RunLengthDecode", "RL": "RunLengthDecode",
	"DCTDecode": "DCTDecode", "DCT": "DCTDecode",
	"CCITTFaxDecode": "CCITTFaxDecode", "CCF": "CCITTFaxDecode",
	"JBIG2Decode": "JBIG2Decode", "JPXDecode": "JPXDecode",
}

// filters lists a stream's filters (full names) and their parameters, one per filter.
func filters(d *Doc, dict Dict) ([]Name, []Dict, bool) {
	var names []Name
	switch f := d.Resolve(dict["Filter"]).(type) {
	case nil:
	case Name:
		names = []Name{f}
	case Array:
		for _, v := range f {
			n, ok := d.Resolve(v).(Name)
			if !ok {
				return nil, nil, false
			}
			names = append(names, n)
		}
	default:
		return nil, nil, false
	}
	parms := make([]Dict, len(names))
	switch p := d.Resolve(dict["DecodeParms"]).(type) {
	case Dict:
		if len(parms) > 0 {
			parms[0] = p
		}
	case Array:
		for i, v := range p {
			if pd, ok := d.Resolve(v).(Dict); ok && i < len(parms) {
				parms[i] = pd
			}
		}
	}
	for i, n := range names {
		full, ok := knownFilters[n]
		if !ok {
			return nil, nil, false
		}
		names[i] = full
	}
	return names, parms, true
}

var errFilter = &Error{"PDF文件含无法解码的压缩数据，无法检查，请用阅读器另存为标准PDF后重新上传"}

var errTooBig = &Error{"PDF文件解压后过大，无法检查，请拆分后上传"}

// decode returns a stream's data with every filter undone; image filters (DCT, JPX, CCITT, JBIG2)
// are not undone and refused here.
func (d *Doc) decode(s *Stream) ([]byte, error) {
	names, parms, ok := filters(d, s.Dict)
	if !ok {
		return nil, errFilter
	}
	return d.decodeWith(s.Raw, names, parms)
}

func (d *Doc) decodeWith(data []byte, names []Name, parms []Dict) ([]byte, error) {
	for i, n := range names {
		room := maxDecoded - d.decoded
		var out []byte
		var err error
		switch n {
		case "FlateDecode":
			out, err = inflate(data, room)
		case "LZWDecode":
			early := int64(1)
			if v, ok := d.Resolve(parms[i]["EarlyChange"]).(int64); ok {
				early = v
			}
			out, err = unlzw(data, early != 0, room)
		case "ASCIIHexDecode":
			out, err = unAHx(data)
		case "ASCII85Decode":
			out, err = unA85(data)
		case "RunLengthDecode":
			out, err = unRL(data, room)
		default:
			return nil, errFilter
		}
		if err == errTooBig {
			d.tooBig, d.decoded = true, maxDecoded // no more decoding: the file is refused
		}
		if err != nil {
			return nil, err
		}
		if n == "FlateDecode" || n == "LZWDecode" {
			if out, err = d.unpredict(out, parms[i]); err != nil {
				return nil, err
			}
		}
		d.decoded += len(out)
		if d.decoded > maxDecoded {
			d.tooBig = true
			return nil, errTooBig
		}
		data = out
	}
	return data, nil
}

// inflate undoes zlib compression; a stream cut short or with a bad checksum keeps what was
// decoded, as viewers show it.
func inflate(b []byte, room int) ([]byte, error) {
	r, err := zlib.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, errFilter
	}
	out, err := io.ReadAll(io.LimitReader(r, int64(room)+1))
	if len(out) > room {
		return nil, errTooBig
	}
	if err != nil && len(out) == 0 {
		return nil, errFilter
	}
	return out, nil
}

// unpredict undoes a PNG (10–15) or TIFF (2) predictor.
func (d *Doc) unpredict(b []byte, p Dict) ([]byte, error) {
	get := func(k Name, def int64) int {
		if v, ok := d.Resolve(p[k]).(int64); ok {
			return int(v)
		}
		return int(def)
	}
	pred := get("Predictor", 1)
	if pred <= 1 {
		return b, nil
	}
	colors, bpc, cols := get("Colors", 1), get("BitsPerComponent", 8), get("Columns", 1)
	if colors < 1 || colors > 32 || cols < 1 || cols > 1<<24 || (bpc != 1 && bpc != 2 && bpc != 4 && bpc != 8 && bpc != 16) {
		return nil, errFilter
	}
	bpp := max(1, colors*bpc/8)
	row := (colors*bpc*cols + 7) / 8
	if row > len(b) && row > 1<<16 {
		return nil, errFilter
	}
	if pred == 2 {
		if bpc != 8 {
			return nil, errFilter
		}
		out := append([]byte(nil), b...)
		for r := 0; r+row <= len(out); r += row {
			for i := bpp; i < row; i++ {
				out[r+i] += out[r+i-bpp]
			}
		}
		return out, nil
	}
	if pred < 10 || pred > 15 {
		return nil, errFilter
	}
	out := make([]byte, 0, len(b))
	prev := make([]byte, row)
	for i := 0; i < len(b); i += row + 1 {
		tag := b[i]
		cur := make([]byte, row)
		copy(cur, b[i+1:min(len(b), i+1+row)])
		for k := 0; k < row; k++ {
			var a, c byte
			if k >= bpp {
				a, c = cur[k-bpp], prev[k-bpp]
			}
			up := prev[k]
			switch tag {
			case 0:
			case 1:
				cur[k] += a
			case 2:
				cur[k] += up
			case 3:
				cur[k] += byte((int(a) + int(up)) / 2)
			case 4:
				cur[k] += paeth(a, up, c)
			default:
				return nil, errFilter
			}
		}
		out = append(out, cur...)
		prev = cur
	}
	return out, nil
}

func paeth(a, b, c byte) byte {
	p := int(a) + int(b) - int(c)
	pa, pb, pc := abs(p-int(a)), abs(p-int(b)), abs(p-int(c))
	switch {
	case pa <= pb && pa <= pc:
		return a
	case pb <= pc:
		return b
	}
	return c
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func unAHx(b []byte) ([]byte, error) {
	var out []byte
	hi := -1
	for _, c := range b {
		if c == '>' {
			break
		}
		if isSpace(c) {
			continue
		}
		v := unhex(c)
		if v < 0 {
			return nil, errFilter
		}
		if hi < 0 {
			hi = v
		} else {
			out = append(out, byte(hi<<4|v))
			hi = -1
		}
	}
	if hi >= 0 {
		out = append(out, byte(hi<<4))
	}
	return out, nil
}

func unA85(b []byte) ([]byte, error) {
	var out []byte
	var group [5]byte
	n := 0
	flush := func(k int) {
		v := uint32(0)
		for i := 0; i < 5; i++ {
			v = v*85 + uint32(group[i])
		}
		w := []byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}
		out = append(out, w[:k]...)
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case isSpace(c):
		case c == '~':
			i = len(b)
		case c == 'z' && n == 0:
			out = append(out, 0, 0, 0, 0)
		case c >= '!' && c <= 'u':
			group[n] = c - '!'
			n++
			if n == 5 {
				flush(4)
				n = 0
			}
		default:
			return nil, errFilter
		}
	}
	if n == 1 {
		return nil, errFilter
	}
	if n > 0 {
		for i := n; i < 5; i++ {
			group[i] = 84
		}
		flush(n - 1)
	}
	return out, nil
}

func unRL(b []byte, room int) ([]byte, error) {
	var out []byte
	for i := 0; i < len(b); {
		n := int(b[i])
		i++
		switch {
		case n == 128:
			return out, nil
		case n < 128:
			if i+n+1 > len(b) {
				return nil, errFilter
			}
			out = append(out, b[i:i+n+1]...)
			i += n + 1
		default:
			if i >= len(b) {
				return nil, errFilter
			}
			out = append(out, bytes.Repeat(b[i:i+1], 257-n)...)
			i++
		}
		if len(out) > room {
			return nil, errTooBig
		}
	}
	return out, nil
}

// unlzw undoes LZW as PDF writes it (MSB first, 9–12 bit codes, clear 256, end 257; with early,
// the code width grows one code early).
func unlzw(b []byte, early bool, room int) ([]byte, error) {
	var out []byte
	dict := make([][]byte, 258, 4096)
	reset := func() {
		dict = dict[:258]
		for i := 0; i < 256; i++ {
			dict[i] = []byte{byte(i)}
		}
	}
	reset()
	width := 9
	var acc uint32
	bits := 0
	var prev []byte
	e := 0
	if early {
		e = 1
	}
	for i := 0; ; {
		for bits < width {
			if i >= len(b) {
				return out, nil
			}
			acc = acc<<8 | uint32(b[i])
			i++
			bits += 8
		}
		code := int(acc>>(bits-width)) & (1<<width - 1)
		bits -= width
		switch {
		case code == 256:
			reset()
			width, prev = 9, nil
			continue
		case code == 257:
			return out, nil
		}
		var cur []byte
		switch {
		case code < len(dict):
			cur = dict[code]
		case code == len(dict) && prev != nil:
			cur = append(append([]byte(nil), prev...), prev[0])
		default:
			return nil, errFilter
		}
		out = append(out, cur...)
		if len(out) > room {
			return nil, errTooBig
		}
		if prev != nil && len(dict) < 4096 {
			dict = append(dict, append(append([]byte(nil), prev...), cur[0]))
		}
		prev = cur
		if len(dict)+e >= 1<<width && width < 12 {
			width++
		}
	}
}
