package finance

import (
	"database/sql"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// The spreadsheet's sheets, in order.
const (
	SheetMonths      = "罚没款按月"
	SheetFines       = "罚没款明细"
	SheetFund        = "举报奖励资金"
	SheetRestoration = "县财政承担恢复治理"
)

// Totals rows start with this text in column A.
const TotalLabel = "合计"

// kind of a column's cells: text, yuan (a number with two decimals), count, date or month.
type kind int

const (
	text kind = iota
	yuan
	count
	date
	month
)

type col struct {
	title string
	width float64
	kind  kind
	// total: the totals row's value of the column (nil: blank)
	total func() any
}

// XLSX writes the ledger as a workbook for the finance bureau: one sheet each for 罚没款 by month and
// unit, 罚没款 by case, the reward fund by month and the restoration the county budget bears; a title
// row, a frozen header, column widths a person can read, amounts and dates as typed cells (numbers
// with a number format, not text) and a totals row (合计) under each table.
func XLSX(l *Ledger, county string, w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	asOf := l.AsOf.Format("2006年1月2日")
	decided, collected, outstanding := l.Totals()

	var mDec, mCol float64
	for _, m := range l.Months {
		mDec += m.Decided
		mCol += m.Collected
	}
	months := make([][]any, len(l.Months))
	for i, m := range l.Months {
		months[i] = []any{m.Month, m.Unit, m.Decided, m.Collected, m.Outstanding}
	}
	sheets := []struct {
		name, title string
		cols        []col
		rows        [][]any
	}{
		{SheetMonths, fmt.Sprintf("%s罚没款按月、按单位（截至%s）", county, asOf), []col{
			{"月份", 12, month, nil}, {"决定单位", 14, text, nil},
			{"决定（元）", 16, yuan, func() any { return mDec }}, {"收缴（元）", 16, yuan, func() any { return mCol }},
			{"月末未收缴（元）", 18, yuan, func() any { return mDec - mCol }},
		}, months},
		{SheetFines, fmt.Sprintf("%s罚没款明细：决定、收缴、未收缴（截至%s）", county, asOf), []col{
			{"案件编号", 16, text, nil}, {"乡镇", 10, text, nil}, {"类型", 14, text, nil}, {"决定单位", 12, text, nil},
			{"决定文号", 24, text, nil}, {"决定日期", 12, date, nil},
			{"决定（元）", 16, yuan, func() any { return decided }}, {"已收缴（元）", 16, yuan, func() any { return collected }},
			{"未收缴（元）", 16, yuan, func() any { return outstanding }}, {"票据张数", 10, count, func() any { return receipts(l) }},
			{"最近缴款日期", 14, date, nil},
		}, fineRows(l)},
		{SheetFund, fmt.Sprintf("%s举报奖励资金（截至%s）", county, asOf), fundCols(l), fundRows(l)},
		{SheetRestoration, fmt.Sprintf("%s县财政承担的恢复治理（截至%s）", county, asOf), restorationCols(l), restorationRows(l)},
	}
	for i, s := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			return err
		}
		if err := writeSheet(f, st, s.name, s.title, s.cols, s.rows); err != nil {
			return fmt.Errorf("write %s: %w", s.name, err)
		}
	}
	if err := f.SetDocProps(&excelize.DocProperties{Title: county + "财政局台账（截至" + asOf + "）", Creator: "landwatch", Language: "zh-CN"}); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

func receipts(l *Ledger) int64 {
	var n int64
	for _, f := range l.Fines {
		n += f.Receipts
	}
	return n
}

func fineRows(l *Ledger) [][]any {
	out := make([][]any, len(l.Fines))
	for i, f := range l.Fines {
		out[i] = []any{f.CaseID, f.Township, f.Kind, f.Unit, f.DocNo, nullTime(f.DecidedOn), f.Decided, f.Collected, f.Outstanding,
			f.Receipts, nullTime(f.LastPaidOn)}
	}
	return out
}

// last is the fund's last month (zero when there is none).
func last(l *Ledger) Fund {
	if len(l.Fund) == 0 {
		return Fund{}
	}
	return l.Fund[len(l.Fund)-1]
}

func fundCols(l *Ledger) []col {
	z := last(l)
	return []col{
		{"月份", 12, month, nil},
		{"当月批准（元）", 16, yuan, func() any { return z.ApprovedTotal }}, {"当月兑付（元）", 16, yuan, func() any { return z.PaidTotal }},
		{"累计批准（元）", 16, yuan, func() any { return z.ApprovedTotal }}, {"累计兑付（元）", 16, yuan, func() any { return z.PaidTotal }},
		{"预算（元）", 16, yuan, func() any { return nullFloat(z.Budget) }}, {"预算余额（元）", 16, yuan, func() any { return nullFloat(z.Remaining) }},
		{"已批准未兑付（元）", 18, yuan, func() any { return z.Owed }},
	}
}

func fundRows(l *Ledger) [][]any {
	out := make([][]any, len(l.Fund))
	for i, f := range l.Fund {
		out[i] = []any{f.Month, f.Approved, f.Paid, f.ApprovedTotal, f.PaidTotal, nullFloat(f.Budget), nullFloat(f.Remaining), f.Owed}
	}
	return out
}

func restorationCols(l *Ledger) []col {
	var cost, paid, out float64
	for _, r := range l.Restoration {
		cost += r.Cost
		paid += r.Paid
		out += r.Outstanding
	}
	return []col{
		{"问题编号", 24, text, nil}, {"乡镇", 10, text, nil}, {"村", 10, text, nil}, {"责任方", 12, text, nil}, {"付款方", 12, text, nil},
		{"状态", 8, text, nil}, {"恢复时限", 12, date, nil}, {"验收日期", 12, date, nil},
		{"估算费用（元）", 16, yuan, func() any { return cost }}, {"已付（元）", 16, yuan, func() any { return paid }},
		{"未付（元）", 16, yuan, func() any { return out }},
	}
}

func restorationRows(l *Ledger) [][]any {
	out := make([][]any, len(l.Restoration))
	for i, r := range l.Restoration {
		out[i] = []any{r.ItemID, r.Township, r.Village, r.Party, r.Payer, r.State, r.DueOn, nullTime(r.AcceptedOn), r.Cost, r.Paid, r.Outstanding}
	}
	return out
}

func nullTime(t sql.NullTime) any {
	if !t.Valid {
		return nil
	}
	return t.Time
}

func nullFloat(v sql.NullFloat64) any {
	if !v.Valid {
		return nil
	}
	return v.Float64
}

type styles struct {
	title, head          int
	byKind, totalsByKind map[kind]int
}

func newStyles(f *excelize.File) (*styles, error) {
	border := []excelize.Border{{Type: "left", Style: 1, Color: "000000"}, {Type: "right", Style: 1, Color: "000000"},
		{Type: "top", Style: 1, Color: "000000"}, {Type: "bottom", Style: 1, Color: "000000"}}
	font := func(bold bool) *excelize.Font { return &excelize.Font{Bold: bold, Size: 10, Family: "宋体"} }
	st := &styles{byKind: map[kind]int{}, totalsByKind: map[kind]int{}}
	var err error
	if st.title, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14, Family: "宋体"},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}); err != nil {
		return nil, err
	}
	if st.head, err = f.NewStyle(&excelize.Style{Font: font(true), Border: border,
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}}); err != nil {
		return nil, err
	}
	dateFmt, monthFmt := "yyyy-mm-dd", `yyyy"年"m"月"`
	for _, k := range []kind{text, yuan, count, date, month} {
		for _, bold := range []bool{false, true} {
			s := &excelize.Style{Font: font(bold), Border: border, Alignment: &excelize.Alignment{Vertical: "center"}}
			switch k {
			case yuan:
				s.NumFmt = 4 // #,##0.00
			case count:
				s.NumFmt = 1 // 0
			case date:
				s.CustomNumFmt = &dateFmt
			case month:
				s.CustomNumFmt = &monthFmt
			}
			id, err := f.NewStyle(s)
			if err != nil {
				return nil, err
			}
			if bold {
				st.totalsByKind[k] = id
			} else {
				st.byKind[k] = id
			}
		}
	}
	return st, nil
}

// writeSheet writes a title row, the header (row 2), the rows from row 3 and a totals row under them.
func writeSheet(f *excelize.File, st *styles, sheet, title string, cols []col, rows [][]any) error {
	lastCol, _ := excelize.ColumnNumberToName(len(cols))
	steps := []error{
		f.MergeCell(sheet, "A1", lastCol+"1"),
		f.SetCellValue(sheet, "A1", title),
		f.SetCellStyle(sheet, "A1", lastCol+"1", st.title),
		f.SetRowHeight(sheet, 1, 28),
		f.SetRowHeight(sheet, 2, 30),
	}
	for i, c := range cols {
		name, _ := excelize.ColumnNumberToName(i + 1)
		steps = append(steps, f.SetCellValue(sheet, name+"2", c.title), f.SetColWidth(sheet, name, name, c.width))
	}
	steps = append(steps, f.SetCellStyle(sheet, "A2", lastCol+"2", st.head))
	put := func(row int, vals []any, styleOf map[kind]int) {
		for i, c := range cols {
			cell, _ := excelize.CoordinatesToCellName(i+1, row)
			if v := vals[i]; v != nil {
				steps = append(steps, f.SetCellValue(sheet, cell, v))
			}
			steps = append(steps, f.SetCellStyle(sheet, cell, cell, styleOf[c.kind]))
		}
	}
	for i, r := range rows {
		put(i+3, r, st.byKind)
	}
	totals := make([]any, len(cols))
	totals[0] = TotalLabel
	for i, c := range cols {
		if c.total != nil {
			totals[i] = c.total()
		}
	}
	put(len(rows)+3, totals, st.totalsByKind)
	steps = append(steps,
		f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}),
		f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: ptr("landscape"), Size: ptr(9), FitToWidth: ptr(1), FitToHeight: ptr(0)}),
	)
	for _, err := range steps {
		if err != nil {
			return err
		}
	}
	return nil
}

func ptr[T any](v T) *T { return &v }
