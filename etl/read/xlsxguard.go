package read

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Limits of a workbook, checked from its zip parts before excelize opens it (readXLSX): a few KB
// of xlsx can otherwise ask for gigabytes — a merged range over millions of cells (readXLSX copies
// a merged range's value into each of its cells), parts that inflate far beyond their compressed
// size, rows reaching far to the right. Excel's own sheet is 1,048,576 rows × 16,384 columns.
const (
	xlsxMaxUnzipped      = 256 << 20  // bytes of all parts together once decompressed
	xlsxMaxSheets        = 64         // worksheets in a workbook
	xlsxMaxSharedStrings = 2_000_000  // entries of the shared string table
	xlsxMaxRows          = 1_048_576  // the last row of a sheet
	xlsxMaxCols          = 16_384     // the last column of a row
	xlsxMaxCells         = 10_000_000 // cells of a workbook as read: every row up to its last column
	xlsxMaxMerged        = 1_000_000  // cells covered by merged ranges in a workbook
)

// xlsxLimitError is a workbook refused for its size; Sheet and Cell name where, when known.
type xlsxLimitError struct {
	Sheet, Cell, Msg string
}

func (e *xlsxLimitError) Error() string {
	var b strings.Builder
	b.WriteString("工作簿超出读取上限")
	if e.Sheet != "" {
		fmt.Fprintf(&b, "：工作表“%s”", e.Sheet)
	}
	if e.Cell != "" {
		fmt.Fprintf(&b, "，单元格 %s", e.Cell)
	}
	b.WriteString("：")
	b.WriteString(e.Msg)
	return b.String()
}

var errNotZip = errors.New("不是有效的Excel文件")

var errUnzipped = &xlsxLimitError{Msg: fmt.Sprintf("解压后超过 %d MB", xlsxMaxUnzipped>>20)}

// xlsxOptions are excelize's own limits, matching the ones above.
func xlsxOptions() excelize.Options {
	return excelize.Options{UnzipSizeLimit: xlsxMaxUnzipped}
}

// sheetMerges are a worksheet's merged ranges as the guard read them (cell coordinates from 1,
// in the sheet's order).
type sheetMerges [][4]int // c1, r1, c2, r2

// scanXLSX reads the workbook's zip parts as a stream, holding little, and refuses a workbook
// over any limit above: declared and actual decompressed sizes, the number of sheets and shared
// strings, each sheet's last row and column, the cells its rows span and the cells its merged
// ranges cover. A file that is no zip is refused here, before excelize copies it. It returns the
// merged ranges of each worksheet (by sheet name) when they are plain: every range has a start and
// an end and none overlaps another (excelize would join overlapping ones); a sheet whose ranges
// are not plain is left out.
func scanXLSX(data []byte) (map[string]sheetMerges, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, errNotZip
	}
	merges := map[string]sheetMerges{}
	var declared uint64
	for _, f := range zr.File {
		declared += f.UncompressedSize64
		if declared > xlsxMaxUnzipped {
			return nil, errUnzipped
		}
	}
	names := sheetNames(zr)
	left := int64(xlsxMaxUnzipped)
	var sheets int
	var cells, merged int64
	for _, f := range zr.File {
		switch {
		case f.Name == "xl/sharedStrings.xml":
			n := 0
			err := scanPart(f, &left, func(t xml.StartElement) error {
				if t.Name.Local == "si" {
					if n++; n > xlsxMaxSharedStrings {
						return &xlsxLimitError{Msg: fmt.Sprintf("共享字符串超过 %d 个", xlsxMaxSharedStrings)}
					}
				}
				return nil
			})
			if err != nil {
				return nil, err
			}
		case isWorksheet(f.Name):
			if sheets++; sheets > xlsxMaxSheets {
				return nil, &xlsxLimitError{Msg: fmt.Sprintf("工作表超过 %d 个", xlsxMaxSheets)}
			}
			name := names[f.Name]
			if name == "" {
				name = path.Base(f.Name)
			}
			ms, err := scanSheet(f, name, &left, &cells, &merged)
			if err != nil {
				return nil, err
			}
			if names[f.Name] != "" && ms != nil {
				merges[names[f.Name]] = ms
			}
		default:
			// other parts are read by excelize under its UnzipSizeLimit; count their bytes here too
			if err := countPart(f, &left); err != nil {
				return nil, err
			}
		}
	}
	return merges, nil
}

func isWorksheet(name string) bool {
	rest, ok := strings.CutPrefix(name, "xl/worksheets/")
	return ok && strings.HasSuffix(rest, ".xml") && !strings.Contains(rest, "/")
}

// scanSheet counts a worksheet's rows, the columns of each row and its merged ranges, and returns
// the ranges when they are plain (scanXLSX); nil when not.
func scanSheet(f *zip.File, sheet string, left, cells, merged *int64) (sheetMerges, error) {
	row, rowCols := 0, 0
	ms, plain := sheetMerges{}, true
	endRow := func() error {
		*cells += int64(rowCols)
		if *cells > xlsxMaxCells {
			return &xlsxLimitError{Sheet: sheet, Cell: "第" + strconv.Itoa(row) + "行", Msg: fmt.Sprintf("单元格总数超过 %d 个", xlsxMaxCells)}
		}
		return nil
	}
	clean, err := scanPartClean(f, left, func(t xml.StartElement) error {
		switch t.Name.Local {
		case "row":
			if err := endRow(); err != nil {
				return err
			}
			row, rowCols = row+1, 0
			if r := attr(t, "r"); r != "" {
				n, err := strconv.Atoi(r)
				if err != nil || n < 1 || n > xlsxMaxRows {
					return &xlsxLimitError{Sheet: sheet, Cell: "第" + r + "行", Msg: fmt.Sprintf("行号应在 1 到 %d 之间", xlsxMaxRows)}
				}
				row = n
			}
			if row > xlsxMaxRows {
				return &xlsxLimitError{Sheet: sheet, Msg: fmt.Sprintf("超过 %d 行", xlsxMaxRows)}
			}
		case "c":
			col := rowCols + 1
			if r := attr(t, "r"); r != "" {
				c, _, err := excelize.CellNameToCoordinates(r)
				if err != nil {
					return &xlsxLimitError{Sheet: sheet, Cell: r, Msg: "单元格地址无效"}
				}
				col = c
			}
			if col > xlsxMaxCols {
				return &xlsxLimitError{Sheet: sheet, Cell: attr(t, "r"), Msg: fmt.Sprintf("超过 %d 列", xlsxMaxCols)}
			}
			rowCols = max(rowCols, col)
		case "mergeCell":
			ref := attr(t, "ref")
			a, b, _ := strings.Cut(ref, ":")
			c1, r1, err1 := excelize.CellNameToCoordinates(a)
			c2, r2, err2 := excelize.CellNameToCoordinates(cmp(b, a))
			if err1 != nil || err2 != nil {
				return &xlsxLimitError{Sheet: sheet, Cell: ref, Msg: "合并单元格的范围无效"}
			}
			if b == "" || len(ms) >= maxPlainMerges {
				plain = false
			}
			if plain {
				m := [4]int{c1, r1, c2, r2}
				for _, o := range ms {
					if overlaps(o, m) {
						plain = false
					}
				}
				ms = append(ms, m)
			}
			n := (int64(max(c1, c2)-min(c1, c2)) + 1) * (int64(max(r1, r2)-min(r1, r2)) + 1)
			if *merged += n; *merged > xlsxMaxMerged {
				return &xlsxLimitError{Sheet: sheet, Cell: ref, Msg: fmt.Sprintf("合并单元格覆盖 %d 个单元格，工作簿中合并单元格覆盖的单元格合计不能超过 %d 个", n, xlsxMaxMerged)}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := endRow(); err != nil {
		return nil, err
	}
	if !plain || !clean {
		return nil, nil
	}
	return ms, nil
}

// maxPlainMerges bounds the ranges scanSheet compares pairwise; a sheet with more is left to
// excelize.
const maxPlainMerges = 256

// overlaps reports whether two ranges share a cell (or are not ordered start to end).
func overlaps(a, b [4]int) bool {
	if a[0] > a[2] || a[1] > a[3] || b[0] > b[2] || b[1] > b[3] {
		return true
	}
	return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3]
}

func cmp(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// scanPart calls fn with each start element of a zip part, counting the bytes decompressed
// against left.
func scanPart(f *zip.File, left *int64, fn func(xml.StartElement) error) error {
	_, err := scanPartClean(f, left, fn)
	return err
}

// scanPartClean is scanPart, also saying whether the part was read to its end as XML.
func scanPartClean(f *zip.File, left *int64, fn func(xml.StartElement) error) (bool, error) {
	rc, err := f.Open()
	if err != nil {
		return false, nil // excelize refuses the damage
	}
	defer rc.Close()
	d := xml.NewDecoder(&countingReader{r: rc, left: left})
	for {
		tok, err := d.RawToken()
		if err != nil {
			if errors.Is(err, errUnzipped) {
				return false, errUnzipped
			}
			return err == io.EOF, nil // the end, or malformed XML that excelize refuses
		}
		if t, ok := tok.(xml.StartElement); ok {
			if err := fn(t); err != nil {
				return false, err
			}
		}
	}
}

// countPart counts a part's decompressed bytes against left, without reading it as XML.
func countPart(f *zip.File, left *int64) error {
	rc, err := f.Open()
	if err != nil {
		return nil // excelize refuses the damage
	}
	defer rc.Close()
	if _, err := io.Copy(io.Discard, &countingReader{r: rc, left: left}); errors.Is(err, errUnzipped) {
		return errUnzipped
	}
	return nil
}

// countingReader fails once more than left bytes were decompressed in all.
type countingReader struct {
	r    io.Reader
	left *int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if *c.left -= int64(n); *c.left < 0 {
		return n, errUnzipped
	}
	return n, err
}

// sheetNames maps each worksheet part to the sheet's name (xl/workbook.xml and its relations).
func sheetNames(zr *zip.Reader) map[string]string {
	rid := map[string]string{} // relation id → sheet name
	target := map[string]string{}
	left := int64(16 << 20)
	for _, f := range zr.File {
		switch f.Name {
		case "xl/workbook.xml":
			scanPart(f, &left, func(t xml.StartElement) error {
				if t.Name.Local == "sheet" {
					rid[attr(t, "id")] = attr(t, "name")
				}
				return nil
			})
		case "xl/_rels/workbook.xml.rels":
			scanPart(f, &left, func(t xml.StartElement) error {
				if t.Name.Local == "Relationship" {
					target[attr(t, "Id")] = attr(t, "Target")
				}
				return nil
			})
		}
	}
	out := map[string]string{}
	for id, name := range rid {
		tg := target[id]
		if tg == "" {
			continue
		}
		if strings.HasPrefix(tg, "/") {
			tg = strings.TrimPrefix(tg, "/")
		} else {
			tg = path.Join("xl", tg)
		}
		out[tg] = name
	}
	return out
}
