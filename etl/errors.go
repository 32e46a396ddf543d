package etl

import (
	"fmt"
	"sort"
	"strings"
)

// MaxErrors is how many cell errors one file reports before it stops collecting.
const MaxErrors = 100

// CellError is one refused value: where it is (file, sheet, row as the spreadsheet numbers it,
// column by its header), the value and why, in Chinese and English.
type CellError struct {
	File   string
	Sheet  string // empty for csv and GeoJSON
	Row    int    // spreadsheet row or csv line (header = its own line); GeoJSON: feature number; 0 = the whole file
	Column string // the Chinese header; empty when the error concerns the row or file
	Value  string
	Msg    string // Chinese, what users read
	MsgEN  string // English, for logs and developers
}

func (e *CellError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Sheet != "" {
		fmt.Fprintf(&b, " [%s]", e.Sheet)
	}
	if e.Row > 0 {
		fmt.Fprintf(&b, " 第%d行", e.Row)
	}
	b.WriteString(" ")
	if e.Column != "" {
		b.WriteString(e.Column)
		b.WriteString(": ")
	}
	if e.Value != "" {
		fmt.Fprintf(&b, "“%s” ", e.Value)
	}
	b.WriteString(e.Msg)
	return b.String()
}

// FileError refuses a whole file: nothing of it was loaded. Errors holds every cell error found, up
// to MaxErrors; Truncated says more were found than kept, Total how many were found.
type FileError struct {
	File      string
	Kind      Kind
	Errors    []*CellError
	Truncated bool
	Total     int
}

// Count is how many errors the file has, those not kept included.
func (e *FileError) Count() int { return max(e.Total, len(e.Errors)) }

func (e *FileError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s：%d 处错误，整个文件未导入", e.File, e.Count())
	if e.Truncated {
		fmt.Fprintf(&b, "，仅列出前 %d 处", len(e.Errors))
	}
	for _, ce := range e.Errors {
		b.WriteString("\n  ")
		b.WriteString(ce.Error())
	}
	return b.String()
}

// Warning is something a load accepted but the office should know (an unknown village, an inferred
// category). Warnings are stored in load_warnings.
type Warning struct {
	Row    int
	Column string
	Msg    string
}

func (w Warning) String() string {
	if w.Row > 0 {
		return fmt.Sprintf("第%d行 %s: %s", w.Row, w.Column, w.Msg)
	}
	return w.Msg
}

// problems collects the cell errors and warnings of one file.
type problems struct {
	file, sheet string
	errs        []*CellError
	truncated   bool
	total       int // every error found, kept or not
	warns       []Warning
}

func (p *problems) add(row int, col, val, zh, en string) {
	p.total++
	if len(p.errs) >= MaxErrors {
		p.truncated = true
		return
	}
	p.errs = append(p.errs, &CellError{File: p.file, Sheet: p.sheet, Row: row, Column: col, Value: val, Msg: zh, MsgEN: en})
}

func (p *problems) warn(row int, col, msg string) {
	p.warns = append(p.warns, Warning{Row: row, Column: col, Msg: msg})
}

func (p *problems) err(kind Kind) error {
	if len(p.errs) == 0 {
		return nil
	}
	sort.SliceStable(p.errs, func(i, j int) bool { return p.errs[i].Row < p.errs[j].Row })
	return &FileError{File: p.file, Kind: kind, Errors: p.errs, Truncated: p.truncated, Total: p.total}
}
