// Package sanitize makes citizens' evidence files safe to keep: it decides a file's type from its
// bytes (JPEG, PNG, MP4/QuickTime/3GP, WebM, PDF), refuses photos with too many pixels before
// decoding them, and strips or blanks every kind of metadata (EXIF with GPS, XMP, video tags). A
// PDF is rebuilt from its pages by internal/sanitize/pdf, so no script, action, form, attached file
// or metadata is carried over. Everything here is a pure function over bytes: nothing is read
// from or written to disk. portal/README.md lists what is removed per type.
package sanitize

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/jpeg"
	"image/png"
	"net/http"

	"landwatch/campaign"
)

// File is one evidence file after checking and stripping, ready to store.
type File struct {
	Name string // the citizen's file name: used in messages only, never stored
	Kind string // image / video / pdf
	MIME string
	Data []byte
}

// FileError is a refusal naming the file; its message is for the citizen, in Chinese.
type FileError struct {
	Name string
	Msg  string
}

func (e *FileError) Error() string { return fmt.Sprintf("文件“%s”：%s", e.Name, e.Msg) }

// sniff decides a file's type from its bytes, never from its name.
func sniff(data []byte) (kind, mime string, ok bool) {
	ct := http.DetectContentType(data)
	switch ct {
	case "image/jpeg":
		return "image", ct, true
	case "image/png":
		return "image", ct, true
	case "application/pdf":
		return "pdf", ct, true
	case "video/mp4", "video/webm":
		return "video", ct, true
	}
	// ISO base media files that DetectContentType leaves generic: QuickTime and 3GP from phones.
	if len(data) >= 12 && string(data[4:8]) == "ftyp" {
		switch string(data[8:11]) {
		case "qt ":
			return "video", "video/quicktime", true
		case "3gp", "3g2":
			return "video", "video/3gpp", true
		}
		if string(data[8:12]) == "isom" || string(data[8:11]) == "mp4" || string(data[8:12]) == "M4V " {
			return "video", "video/mp4", true
		}
	}
	return "", ct, false
}

// checkFile sniffs, size-checks and strips one file, with the default pixel ceiling.
func checkFile(name string, data []byte, maxBytes int64) (File, error) {
	return Check(name, data, maxBytes, campaign.DefaultMaxMegapixels*1_000_000)
}

// Check sniffs, size-checks and strips one file. A photo's size is read from its header first: one
// above maxPixels is refused before anything decodes it. A refusal is a *FileError.
func Check(name string, data []byte, maxBytes, maxPixels int64) (File, error) {
	if int64(len(data)) > maxBytes {
		return File{}, &FileError{name, fmt.Sprintf("超过 %d MB 的上限", maxBytes>>20)}
	}
	if len(data) == 0 {
		return File{}, &FileError{name, "文件为空"}
	}
	kind, mime, ok := sniff(data)
	if !ok {
		return File{}, &FileError{name, "只接受 JPEG/PNG 照片、MP4/WebM/MOV 视频和 PDF；按内容判断，此文件是 " + mime + ""}
	}
	if kind == "image" {
		cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			return File{}, &FileError{name, "图片已损坏，无法读取"}
		}
		if px := int64(cfg.Width) * int64(cfg.Height); px > maxPixels || cfg.Width <= 0 || cfg.Height <= 0 {
			return File{}, &FileError{name, fmt.Sprintf("图片像素过多（%d×%d），上限为 %d 百万像素，请缩小后上传", cfg.Width, cfg.Height, (maxPixels+999_999)/1_000_000)}
		}
	}
	out := data
	var err error
	switch mime {
	case "image/jpeg":
		out, err = StripJPEG(data)
		if err == nil {
			_, err = jpeg.DecodeConfig(bytes.NewReader(out))
		}
	case "image/png":
		out, err = StripPNG(data)
		if err == nil {
			_, err = png.DecodeConfig(bytes.NewReader(out))
		}
	case "video/mp4", "video/quicktime", "video/3gpp":
		out, err = StripMP4(data)
	case "application/pdf":
		out, err = StripPDF(data)
	case "video/webm":
		out, err = StripWebM(data)
	}
	var r *refusal
	if errors.As(err, &r) {
		return File{}, &FileError{name, r.msg}
	}
	if err != nil {
		return File{}, &FileError{name, "文件已损坏，无法读取"}
	}
	return File{Name: name, Kind: kind, MIME: mime, Data: out}, nil
}

// StripJPEG rewrites a JPEG from its segments: every APPn segment but the JFIF header (APP0) and
// Adobe's colour marker (APP14), and every comment, are dropped (EXIF with GPS and camera serials,
// XMP, IPTC, ICC, maker notes); the entropy-coded data of each scan is copied; the file ends at its
// end-of-image marker, so nothing appended after it is kept.
func StripJPEG(b []byte) ([]byte, error) {
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return nil, errors.New("no JPEG start marker")
	}
	out := bytes.NewBuffer(make([]byte, 0, len(b)))
	out.Write(b[:2])
	i := 2
	scans := 0
	for {
		if i+2 > len(b) || b[i] != 0xFF {
			return nil, fmt.Errorf("bad segment at byte %d", i)
		}
		m := b[i+1]
		if m == 0xFF { // fill byte
			i++
			continue
		}
		if m == 0xD9 { // end of image
			if scans == 0 {
				return nil, errors.New("no image data")
			}
			out.Write(b[i : i+2])
			return out.Bytes(), nil
		}
		if i+4 > len(b) {
			return nil, fmt.Errorf("segment at byte %d overruns the file", i)
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 || i+2+n > len(b) {
			return nil, fmt.Errorf("segment at byte %d overruns the file", i)
		}
		seg := b[i : i+2+n]
		keep := true
		switch {
		case m == 0xE0:
			keep = bytes.HasPrefix(seg[4:], []byte("JFIF\x00"))
		case m == 0xEE:
			keep = bytes.HasPrefix(seg[4:], []byte("Adobe"))
		case m >= 0xE1 && m <= 0xEF, m == 0xFE:
			keep = false
		}
		if keep {
			out.Write(seg)
		}
		i += 2 + n
		if m == 0xDA { // start of scan: entropy-coded data up to the next marker that is not a restart
			scans++
			j := i
			for {
				k := bytes.IndexByte(b[j:], 0xFF)
				if k < 0 || j+k+1 >= len(b) {
					return nil, errors.New("no end-of-image marker: the file is cut short")
				}
				j += k
				if c := b[j+1]; c == 0x00 || (c >= 0xD0 && c <= 0xD7) {
					j += 2
					continue
				}
				break
			}
			out.Write(b[i:j])
			i = j
		}
	}
}

var pngSig = []byte("\x89PNG\r\n\x1a\n")

// pngKeep lists the chunks kept: the image itself and how to show its colours. Text (tEXt, zTXt,
// iTXt), eXIf, tIME and unknown private chunks are dropped.
var pngKeep = map[string]bool{"IHDR": true, "PLTE": true, "IDAT": true, "IEND": true, "tRNS": true,
	"gAMA": true, "cHRM": true, "sRGB": true, "sBIT": true, "bKGD": true, "pHYs": true,
	"acTL": true, "fcTL": true, "fdAT": true}

func StripPNG(b []byte) ([]byte, error) {
	if !bytes.HasPrefix(b, pngSig) {
		return nil, errors.New("no PNG signature")
	}
	out := bytes.NewBuffer(make([]byte, 0, len(b)))
	out.Write(pngSig)
	i := len(pngSig)
	for i < len(b) {
		if i+12 > len(b) {
			return nil, fmt.Errorf("truncated chunk at byte %d", i)
		}
		n := int(binary.BigEndian.Uint32(b[i:]))
		if n < 0 || i+12+n > len(b) {
			return nil, fmt.Errorf("chunk at byte %d overruns the file", i)
		}
		typ := string(b[i+4 : i+8])
		chunk := b[i : i+12+n]
		if crc32.ChecksumIEEE(chunk[4:8+n]) != binary.BigEndian.Uint32(chunk[8+n:]) {
			return nil, fmt.Errorf("chunk %s at byte %d: bad CRC", typ, i)
		}
		if pngKeep[typ] {
			out.Write(chunk)
		}
		i += 12 + n
		if typ == "IEND" {
			return out.Bytes(), nil
		}
	}
	return nil, errors.New("no IEND chunk")
}
