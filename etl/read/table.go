package read

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Grid is one sheet of a spreadsheet or a csv file: cell text by row, with the row number the
// office sees (Excel row, csv line).
type Grid struct {
	Sheet string
	Rows  [][]string
	Nums  []int
}

// decodeText turns csv bytes into UTF-8: a UTF-8 BOM is dropped; text that is not valid UTF-8 is
// read as GB18030 (a superset of GBK and GB2312, what Excel on Chinese Windows writes).
func decodeText(data []byte) (string, string, error) {
	if b, ok := bytes.CutPrefix(data, []byte{0xEF, 0xBB, 0xBF}); ok {
		if !utf8.Valid(b) {
			return "", "", errors.New("文件以UTF-8标记开头但内容不是有效的UTF-8")
		}
		return string(b), "UTF-8 BOM", nil
	}
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return "", "", errors.New("不支持UTF-16编码，请另存为UTF-8或GBK")
	}
	if utf8.Valid(data) {
		return string(data), "UTF-8", nil
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil {
		return "", "", errors.New("既不是UTF-8也不是GB18030编码")
	}
	return string(out), "GB18030", nil
}

// ReadCSV reads every record of a csv file, with the line each record starts on.
func ReadCSV(data []byte) (*Grid, string, error) {
	text, enc, err := decodeText(data)
	if err != nil {
		return nil, "", err
	}
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	// Tab-separated exports are common too: pick the separator of the first line.
	first, _, _ := strings.Cut(text, "\n")
	if strings.Count(first, "\t") > strings.Count(first, ",") {
		r.Comma = '\t'
	}
	g := &Grid{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, enc, fmt.Errorf("第%d行：CSV格式错误", pe.StartLine)
			}
			return nil, enc, err
		}
		line, _ := r.FieldPos(0)
		g.Rows = append(g.Rows, rec)
		g.Nums = append(g.Nums, line)
	}
	return g, enc, nil
}

// errNotXLSX is a file the Excel reader cannot open although it is a zip archive.
var errNotXLSX = errors.New("不是有效的Excel文件")

// ReadXLSX reads every sheet of a workbook (name is the file's, for messages). Cell values are raw
// (dates as serial numbers, which ParseDate reads); a merged range's value is copied into each of
// its cells. A workbook over the limits of scanXLSX (xlsxguard.go) is refused before it is opened.
func ReadXLSX(name string, data []byte) (out []*Grid, err error) {
	defer func() {
		if r := recover(); r != nil { // a malformed workbook must not take the server down
			out, err = nil, errors.New("工作簿（Excel文件）已损坏")
		}
	}()
	plain, err := scanXLSX(data)
	if err == errNotZip {
		return nil, err
	} else if err != nil {
		return nil, fmt.Errorf("文件“%s”%w", name, err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(leanPart(data)), xlsxOptions())
	if err != nil {
		return nil, errNotXLSX
	}
	defer f.Close()
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, fmt.Errorf("工作表 %s：%w", sheet, err)
		}
		g := &Grid{Sheet: sheet, Rows: rows}
		for i := range rows {
			g.Nums = append(g.Nums, i+1)
		}
		if ms, ok := plain[sheet]; ok {
			// The guard read the ranges already; the sheet is not parsed again for them. The
			// value is the top left cell's raw one, as below (an empty cell is "").
			for _, m := range ms {
				v := ""
				if m[1]-1 < len(g.Rows) && m[0]-1 < len(g.Rows[m[1]-1]) {
					v = g.Rows[m[1]-1][m[0]-1]
				}
				for r := m[1]; r <= m[3]; r++ {
					for c := m[0]; c <= m[2]; c++ {
						g.set(r-1, c-1, v)
					}
				}
			}
			out = append(out, g)
			continue
		}
		merges, err := f.GetMergeCells(sheet)
		if err != nil {
			return nil, fmt.Errorf("工作表 %s：%w", sheet, err)
		}
		for _, m := range merges {
			c1, r1, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
			c2, r2, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
			if err1 != nil || err2 != nil { // the ranges' sizes were bounded by scanXLSX
				continue
			}
			v := m.GetCellValue()
			if r1-1 < len(g.Rows) && c1-1 < len(g.Rows[r1-1]) {
				v = g.Rows[r1-1][c1-1] // raw, not the formatted value
			}
			for r := r1; r <= r2; r++ {
				for c := c1; c <= c2; c++ {
					g.set(r-1, c-1, v)
				}
			}
		}
		out = append(out, g)
	}
	return out, nil
}

func (g *Grid) set(r, c int, v string) {
	for len(g.Rows) <= r {
		g.Nums = append(g.Nums, len(g.Rows)+1)
		g.Rows = append(g.Rows, nil)
	}
	for len(g.Rows[r]) <= c {
		g.Rows[r] = append(g.Rows[r], "")
	}
	g.Rows[r][c] = v
}
