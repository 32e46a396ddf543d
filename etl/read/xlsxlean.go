package read

import (
	"archive/zip"
	"bytes"
	"io"
)

// unread are the parts of a workbook excelize parses when it opens one but that ReadXLSX never
// needs: it asks for raw cell values (no number formats, so no styles), merged ranges and sheet
// names. The theme alone took a fifth of a county's small-file load (it is the largest XML part
// of a small workbook, decoded in full by excelize.OpenReader).
var unread = map[string]bool{"xl/theme/theme1.xml": true, "xl/styles.xml": true, "xl/calcChain.xml": true}

// leanPart is what ReadXLSX hands excelize: lean (a test compares it with the workbook whole).
var leanPart = lean

// lean is data without the unread parts, their compressed bytes copied as they are (nothing is
// decompressed or compressed again), or data itself when it holds none of them or cannot be
// rewritten. scanXLSX has already bounded and checked every part that remains.
func lean(data []byte) []byte {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return data
	}
	drop := false
	for _, f := range zr.File {
		if unread[f.Name] {
			drop = true
			break
		}
	}
	if !drop {
		return data
	}
	var buf bytes.Buffer
	buf.Grow(len(data))
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		if unread[f.Name] {
			continue
		}
		r, err := f.OpenRaw()
		if err != nil {
			return data
		}
		h := f.FileHeader
		w, err := zw.CreateRaw(&h)
		if err != nil {
			return data
		}
		if _, err := io.Copy(w, r); err != nil {
			return data
		}
	}
	if err := zw.Close(); err != nil {
		return data
	}
	return buf.Bytes()
}
