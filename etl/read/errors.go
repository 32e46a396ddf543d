// Package read turns an input file into rows the loaders check: csv (UTF-8 or GB18030) and xlsx
// (guarded against zip bombs) into grids, a contract's header found among the first rows and the
// rows under it cut into records, dates and numbers as offices write them, and the errors that name
// file, sheet, row and column.
package read

import (
	"fmt"
	"sort"
	"strings"
)

// Kind names an input contract.
type Kind string

// MaxErrors is how many cell errors one file reports before it stops collecting.
const MaxErrors = 100

// CellError is one refused value: where it is (file, sheet, row as the spreadsheet numbers it,
// column by its header), the value and why.
type CellError struct {
	File   string
	Sheet  string // empty for csv and GeoJSON
	Row    int    // spreadsheet row or csv line (header = its own line); GeoJSON: feature number; 0 = the whole file
	Column string // the Chinese header; empty when the error concerns the row or file
	Value  string
	Msg    string // in Chinese: what users read
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

// Problems collects the cell errors and warnings of one file.
type Problems struct {
	File, Sheet string
	Errs        []*CellError
	truncated   bool
	total       int // every error found, kept or not
	Warns       []Warning
}

// Add refuses a value: at row and column (its header), the value and why, in Chinese.
func (p *Problems) Add(row int, col, val, zh string) {
	p.total++
	if len(p.Errs) >= MaxErrors {
		p.truncated = true
		return
	}
	p.Errs = append(p.Errs, &CellError{File: p.File, Sheet: p.Sheet, Row: row, Column: col, Value: val, Msg: zh})
}

func (p *Problems) Warn(row int, col, msg string) {
	p.Warns = append(p.Warns, Warning{Row: row, Column: col, Msg: msg})
}

func (p *Problems) Err(kind Kind) error {
	if len(p.Errs) == 0 {
		return nil
	}
	sort.SliceStable(p.Errs, func(i, j int) bool { return p.Errs[i].Row < p.Errs[j].Row })
	return &FileError{File: p.File, Kind: kind, Errors: p.Errs, Truncated: p.truncated, Total: p.total}
}

// Clip shortens a long value for a message: its first 60 characters and an ellipsis.
func Clip(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return s
}
