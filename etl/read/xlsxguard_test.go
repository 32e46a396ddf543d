package read

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"
)

// workbook writes a minimal xlsx: one worksheet per body given (the XML inside <worksheet>).
func workbook(t *testing.T, sheets ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	put := func(name, text string) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, text)
	}
	var types, list, rels strings.Builder
	for i, body := range sheets {
		fmt.Fprintf(&types, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, i+1)
		fmt.Fprintf(&list, `<sheet name="表%d" sheetId="%d" r:id="rId%d"/>`, i+1, i+1, i+1)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, i+1, i+1)
		put(fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1), `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`+body+`</worksheet>`)
	}
	put("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`+types.String()+`</Types>`)
	put("_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	put("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>`+list.String()+`</sheets></workbook>`)
	put("xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+rels.String()+`</Relationships>`)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

const someRows = `<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>乡镇</t></is></c><c r="B1" t="inlineStr"><is><t>村</t></is></c></row>` +
	`<row r="2"><c r="A2" t="inlineStr"><is><t>郭道镇</t></is></c><c r="B2" t="inlineStr"><is><t>郭道村</t></is></c></row><row r="3"/></sheetData>`

// Workbooks that ask for far more memory than their size are refused before excelize opens them,
// each with the file, and the sheet and cell where they are known; an ordinary merged range reads.
func TestXLSXLimits(t *testing.T) {
	ok := workbook(t, someRows+`<mergeCells count="1"><mergeCell ref="A2:A3"/></mergeCells>`)
	gs, err := ReadXLSX("好.xlsx", ok)
	if err != nil || len(gs) != 1 || len(gs[0].Rows) != 3 || gs[0].Rows[2][0] != "郭道镇" {
		t.Fatalf("ordinary workbook: %v %v", gs, err)
	}

	var wide strings.Builder
	wide.WriteString("<sheetData>")
	for r := 1; r <= 700; r++ {
		fmt.Fprintf(&wide, `<row r="%d"><c r="A%d"><v>1</v></c><c r="XFD%d"><v>1</v></c></row>`, r, r, r)
	}
	wide.WriteString("</sheetData>")
	var many []string
	for range xlsxMaxSheets + 1 {
		many = append(many, someRows)
	}
	var strs strings.Builder
	strs.WriteString(`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	for range xlsxMaxSharedStrings + 1 {
		strs.WriteString("<si/>")
	}
	strs.WriteString("</sst>")
	withStrings := func() []byte {
		b := workbook(t, someRows)
		zr, _ := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		var out bytes.Buffer
		zw := zip.NewWriter(&out)
		for _, f := range zr.File {
			zw.Copy(f)
		}
		w, _ := zw.Create("xl/sharedStrings.xml")
		io.WriteString(w, strs.String())
		zw.Close()
		return out.Bytes()
	}
	huge := func() []byte { // one sheet inflating past the limit: spaces between the rows
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		w, _ := zw.Create("xl/worksheets/sheet1.xml")
		io.WriteString(w, `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
		pad := strings.Repeat(" ", 1<<20)
		for range xlsxMaxUnzipped>>20 + 1 {
			io.WriteString(w, pad)
		}
		io.WriteString(w, `</sheetData></worksheet>`)
		zw.Close()
		return b.Bytes()
	}

	for _, tc := range []struct {
		name string
		data []byte
		want []string
	}{
		{"merge bomb", workbook(t, someRows+`<mergeCells count="1"><mergeCell ref="A3:ALL100002"/></mergeCells>`), []string{"表1", "A3:ALL100002", "合并单元格覆盖 100000000 个单元格"}},
		{"merges adding up", workbook(t, someRows+`<mergeCells count="2"><mergeCell ref="A3:J60000"/><mergeCell ref="K3:T60000"/></mergeCells>`), []string{"表1", "K3:T60000", "合并单元格"}},
		{"rows reaching far right", workbook(t, wide.String()), []string{"表1", "单元格总数超过"}},
		{"a column past Excel's last", workbook(t, `<sheetData><row r="1"><c r="XFE1"><v>1</v></c></row></sheetData>`), []string{"表1", "XFE1"}},
		{"a row past Excel's last", workbook(t, `<sheetData><row r="1048577"><c r="A1048577"><v>1</v></c></row></sheetData>`), []string{"表1", "1048577"}},
		{"too many sheets", workbook(t, many...), []string{"工作表超过 64 个"}},
		{"too many shared strings", withStrings(), []string{"共享字符串超过"}},
		{"inflates past the limit", huge(), []string{"解压后超过 256 MB"}},
	} {
		_, err := ReadXLSX("乡镇报表.xlsx", tc.data)
		if err == nil {
			t.Errorf("%s: read", tc.name)
			continue
		}
		for _, w := range append(tc.want, "乡镇报表.xlsx", "工作簿超出读取上限") {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q does not say %q", tc.name, err, w)
			}
		}
	}
}
