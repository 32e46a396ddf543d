package kit

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// WriteCSV writes rows as csv (CRLF-free, comma separated), with a UTF-8 byte-order mark when bom.
func WriteCSV(path string, rows [][]string, bom bool) error {
	var buf bytes.Buffer
	if bom {
		buf.WriteString("\ufeff")
	}
	w := csv.NewWriter(&buf)
	if err := w.WriteAll(rows); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return WriteFile(path, buf.Bytes())
}

// WriteGB18030CSV writes rows as csv encoded in GB18030, as older office software saves it.
func WriteGB18030CSV(path string, rows [][]string) error {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	if err := w.WriteAll(rows); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	enc, err := simplifiedchinese.GB18030.NewEncoder().Bytes(buf.Bytes())
	if err != nil {
		return fmt.Errorf("encode %s as GB18030: %w", path, err)
	}
	return WriteFile(path, enc)
}

func WriteFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// fixedTime is what every workbook says it was created and modified at, so that the same seed
// gives the same bytes.
const fixedTime = "2023-05-08T00:00:00Z"

// NewWorkbook returns an empty workbook whose only sheet is named sheet, with fixed document
// properties.
func NewWorkbook(sheet string) (*excelize.File, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	err := f.SetDocProps(&excelize.DocProperties{
		Creator:        "landwatch gen",
		LastModifiedBy: "landwatch gen",
		Created:        fixedTime,
		Modified:       fixedTime,
		Language:       "zh-CN",
	})
	return f, err
}

// SaveWorkbook writes the workbook to path.
func SaveWorkbook(f *excelize.File, path string) error {
	buf, err := f.WriteToBuffer()
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return WriteFile(path, buf.Bytes())
}

// WriteTable writes a plain table: a header row and data rows. Values are strings, except
// float64 and int64 cells, which become numbers.
func WriteTable(path, sheet string, header []string, rows [][]any) error {
	f, err := NewWorkbook(sheet)
	if err != nil {
		return err
	}
	defer f.Close()
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	hdr := make([]any, len(header))
	for i, h := range header {
		hdr[i] = h
	}
	if err := sw.SetRow("A1", hdr); err != nil {
		return err
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, r); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return SaveWorkbook(f, path)
}

// WriteJSONString appends s to b as a JSON string.
func WriteJSONString(b *strings.Builder, s string) {
	data, _ := json.Marshal(s)
	b.Write(data)
}

// File is one generated input file, in load order.
type File struct {
	Kind string `json:"kind"` // inspection, rectification, patrol, cases, meters, power, power-checks, imagery, clues
	Path string `json:"path"` // relative to the output directory, slash-separated
	Rows int64  `json:"rows"` // data rows (features for GeoJSON)
	// ReceivedOn is when the file reached the county: YYYY-MM-DD (the end of that day) or
	// YYYY-MM-DDTHH:MM, campaign local time.
	ReceivedOn string `json:"received_on"`
}

// UnitWeek is the entries of one unit's file of one week (a stage file, a form), in the order given.
type UnitWeek[T any] struct {
	Unit    string
	Week    Date
	Entries []T
}

// ByUnitWeek groups entries by the unit and week of, week by week and, within a week, by unit:
// one group per file a unit sends that week.
func ByUnitWeek[T any](entries []T, of func(T) (unit string, week Date)) []UnitWeek[T] {
	type key struct {
		unit string
		week Date
	}
	at := map[key]int{}
	var out []UnitWeek[T]
	for _, e := range entries {
		u, wk := of(e)
		i, ok := at[key{u, wk}]
		if !ok {
			i = len(out)
			at[key{u, wk}] = i
			out = append(out, UnitWeek[T]{Unit: u, Week: wk})
		}
		out[i].Entries = append(out[i].Entries, e)
	}
	slices.SortFunc(out, func(a, b UnitWeek[T]) int {
		if a.Week != b.Week {
			return int(a.Week - b.Week)
		}
		return strings.Compare(a.Unit, b.Unit)
	})
	return out
}
