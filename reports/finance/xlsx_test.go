package finance

import (
	"bytes"
	"database/sql"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func day(s string) time.Time {
	d, _ := time.Parse(time.DateOnly, s)
	return d
}

// TestXLSXTypedCellsAndTotals opens the workbook with excelize: amounts are numbers with a number
// format and dates are dates (numbers with a date format), never text; each sheet ends with a
// 合计 row whose amounts are the sums of the rows above; columns are wide enough to read.
func TestXLSXTypedCellsAndTotals(t *testing.T) {
	l := &Ledger{AsOf: day("2023-04-30"),
		Months: []Month{{day("2023-03-01"), "自然资源", 20000, 0, 20000}, {day("2023-04-01"), "自然资源", 50000, 35000.5, 34999.5},
			{day("2023-04-01"), "法院", 30000, 0, 30000}},
		Fines: []Fine{
			{CaseID: "AJ-1", Township: "郭道镇", Kind: "罚款", Unit: "自然资源", DocNo: "沁自然资罚〔2023〕1号", DecidedOn: sql.NullTime{Time: day("2023-04-05"), Valid: true},
				LastPaidOn: sql.NullTime{Time: day("2023-04-10"), Valid: true}, Decided: 40000, Collected: 15000.5, Outstanding: 24999.5, Receipts: 1},
			{CaseID: "AJ-2", Township: "沁河镇", Kind: "罚金", Unit: "法院", DecidedOn: sql.NullTime{Time: day("2023-04-20"), Valid: true},
				Decided: 30000, Outstanding: 30000},
			{CaseID: "AJ-3", Township: "沁河镇", Kind: "没收违法所得", Unit: "自然资源", Decided: 30000, Collected: 20000, Outstanding: 10000, Receipts: 2},
		},
		Fund: []Fund{{Month: day("2023-03-01"), Approved: 8000, ApprovedTotal: 8000, Budget: sql.NullFloat64{Float64: 2e6, Valid: true},
			Remaining: sql.NullFloat64{Float64: 1992000, Valid: true}, Owed: 8000},
			{Month: day("2023-04-01"), Paid: 5000, ApprovedTotal: 8000, PaidTotal: 5000, Budget: sql.NullFloat64{Float64: 2e6, Valid: true},
				Remaining: sql.NullFloat64{Float64: 1992000, Valid: true}, Owed: 3000}},
		Restoration: []Restoration{{ItemID: "P-1", Township: "郭道镇", Party: "县财政兜底", Payer: "县财政", State: "进行中", DueOn: day("2023-09-30"),
			Cost: 12000, Paid: 2000, Outstanding: 10000}},
	}
	var buf bytes.Buffer
	if err := XLSX(l, "沁源县", &buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); fmt.Sprint(got) != fmt.Sprint([]string{SheetMonths, SheetFines, SheetFund, SheetRestoration}) {
		t.Fatalf("sheets %v", got)
	}
	num := func(sheet, cell string) float64 {
		t.Helper()
		if typ, err := f.GetCellType(sheet, cell); err != nil || typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
			t.Errorf("%s!%s is text (%v, %v), want a number", sheet, cell, typ, err)
		}
		raw, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
		v, perr := strconv.ParseFloat(raw, 64)
		if err != nil || perr != nil {
			t.Errorf("%s!%s = %q: not a number", sheet, cell, raw)
		}
		return v
	}
	isDate := func(sheet, cell, want string) {
		t.Helper()
		num(sheet, cell) // a date is a serial number
		if shown, _ := f.GetCellValue(sheet, cell); shown != want {
			t.Errorf("%s!%s shows %q, want %q", sheet, cell, shown, want)
		}
	}
	for _, s := range []struct {
		sheet  string
		rows   int
		sums   []string // columns whose totals are the sums of the rows
		dates  map[string]string
		widths string // a column that must be at least 12 characters wide
	}{
		{SheetMonths, 3, []string{"C", "D"}, map[string]string{"A3": "2023年3月"}, "C"},
		{SheetFines, 3, []string{"G", "H", "I", "J"}, map[string]string{"F3": "2023-04-05", "K3": "2023-04-10"}, "E"},
		{SheetRestoration, 1, []string{"I", "J", "K"}, map[string]string{"G3": "2023-09-30"}, "I"},
	} {
		total := s.rows + 3
		if v, _ := f.GetCellValue(s.sheet, fmt.Sprintf("A%d", total)); v != TotalLabel {
			t.Errorf("%s: A%d = %q, want %s", s.sheet, total, v, TotalLabel)
		}
		for _, c := range s.sums {
			var sum float64
			for r := 3; r < total; r++ {
				sum += num(s.sheet, fmt.Sprintf("%s%d", c, r))
			}
			if got := num(s.sheet, fmt.Sprintf("%s%d", c, total)); got != sum {
				t.Errorf("%s: total %s%d = %v, rows add up to %v", s.sheet, c, total, got, sum)
			}
		}
		for cell, want := range s.dates {
			isDate(s.sheet, cell, want)
		}
		if w, err := f.GetColWidth(s.sheet, s.widths); err != nil || w < 12 {
			t.Errorf("%s: column %s is %v wide", s.sheet, s.widths, w)
		}
		if h, _ := f.GetCellValue(s.sheet, "A2"); h == "" {
			t.Errorf("%s: no header", s.sheet)
		}
	}
	// the months' outstanding total is what is still owed (the fines' outstanding total)
	if got, want := num(SheetMonths, "E6"), 100000-35000.5; got != want {
		t.Errorf("months: outstanding total %v, want %v (decided − collected)", got, want)
	}
	if got := num(SheetFund, "H5"); got != 3000 {
		t.Errorf("fund: owed total %v, want 3000", got)
	}
	if got := num(SheetFund, "G5"); got != 1992000 {
		t.Errorf("fund: remaining total %v, want 1992000", got)
	}
	// the fines' text cells stay text
	if typ, _ := f.GetCellType(SheetFines, "A3"); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
		t.Errorf("案件编号 cell type %v, want text", typ)
	}
}
