package reports

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"landwatch/campaign"
	"landwatch/warehouse"
)

// dutyRow is one row of mart_duty_list.
type dutyRow struct {
	ItemID, Kind, Township, Village, Category string
	Class, Unit, Person, Requirement, Status  string
	Period                                    sql.NullString // the row's 期别: '' the campaign's table, NULL no row
	Deadline, DefaultDeadline                 time.Time
	DutyDeadline, RectifiedOn, ReopenedOn     sql.NullTime
	Overdue                                   bool
}

func dutyList(ctx context.Context, q querier) ([]dutyRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT item_id, kind, township, coalesce(village, ''), coalesce(category, ''),
		coalesce(duty_class, ''), coalesce(duty_unit, ''), coalesce(duty_person, ''), coalesce(duty_requirement, ''), status_as_of,
		deadline, default_deadline, duty_deadline, rectified_on, reopened_on, overdue, duty_period
		FROM mart_duty_list`)
	if err != nil {
		return nil, fmt.Errorf("read mart_duty_list: %w", err)
	}
	defer rows.Close()
	var out []dutyRow
	for rows.Next() {
		var r dutyRow
		if err := rows.Scan(&r.ItemID, &r.Kind, &r.Township, &r.Village, &r.Category, &r.Class, &r.Unit, &r.Person,
			&r.Requirement, &r.Status, &r.Deadline, &r.DefaultDeadline, &r.DutyDeadline, &r.RectifiedOn, &r.ReopenedOn, &r.Overdue, &r.Period); err != nil {
			return nil, fmt.Errorf("read mart_duty_list row %d: %w", len(out)+1, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// dutyHeader is the office spreadsheet's header, with column widths (characters).
var dutyHeader = []struct {
	title string
	width float64
}{
	{"序号", 6}, {"乡镇", 10}, {"村", 10}, {"问题编号", 26}, {"来源", 8}, {"期别", 16}, {"问题类别", 9}, {"类别（重点/一般）", 10},
	{"责任单位", 18}, {"责任人", 10}, {"整改要求", 30}, {"整改时限", 12}, {"整改状态", 10}, {"完成日期", 12}, {"回头看", 14},
}

// DutiesXLSX writes the 责任分解表 as of asOf (mart_duty_list): one row per item of the county
// ledger with its class, responsible unit and person, requirement and deadline — blank where the
// loaded 责任分解表 has none — in the layout of the office's spreadsheet: a title row, a frozen
// header, column widths and print titles, landscape A4.
func DutiesXLSX(ctx context.Context, db *warehouse.DB, asOf time.Time, w io.Writer) error {
	asOf = dateOnly(asOf)
	cfg, err := db.Config(ctx)
	if err != nil {
		return err
	}
	var list []dutyRow
	if err := atDay(ctx, db, asOf, func(q querier) error {
		var err error
		list, err = dutyList(ctx, q)
		return err
	}); err != nil {
		return err
	}
	return writeDutiesXLSX(cfg, asOf, list, w)
}

func writeDutiesXLSX(cfg *campaign.Config, asOf time.Time, list []dutyRow, w io.Writer) error {
	const sheet = "责任分解表"
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	last, _ := excelize.ColumnNumberToName(len(dutyHeader))
	title := fmt.Sprintf("%s%s全县问题清单责任分解表（截至%s）", cfg.County.Name, cfg.Campaign.ShortName, asOf.Format("2006年1月2日"))
	titleStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 16, Family: "宋体"},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}})
	if err != nil {
		return err
	}
	border := []excelize.Border{{Type: "left", Style: 1, Color: "000000"}, {Type: "right", Style: 1, Color: "000000"},
		{Type: "top", Style: 1, Color: "000000"}, {Type: "bottom", Style: 1, Color: "000000"}}
	headStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 11, Family: "宋体"}, Border: border,
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	if err != nil {
		return err
	}
	cellStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Size: 10, Family: "宋体"}, Border: border,
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	if err != nil {
		return err
	}
	steps := []error{
		f.MergeCell(sheet, "A1", last+"1"),
		f.SetCellValue(sheet, "A1", title),
		f.SetCellStyle(sheet, "A1", last+"1", titleStyle),
		f.SetRowHeight(sheet, 1, 32),
		f.SetRowHeight(sheet, 2, 30),
	}
	for i, h := range dutyHeader {
		col, _ := excelize.ColumnNumberToName(i + 1)
		steps = append(steps, f.SetCellValue(sheet, col+"2", h.title), f.SetColWidth(sheet, col, col, h.width))
	}
	steps = append(steps, f.SetCellStyle(sheet, "A2", last+"2", headStyle))
	kinds := map[string]string{"problem": "排查问题", "violation": "违法点位"}
	for i, r := range list {
		row := i + 3
		deadline := ""
		if r.Class != "" || r.DutyDeadline.Valid {
			deadline = r.Deadline.Format(time.DateOnly)
		}
		status := r.Status
		if r.Overdue {
			status += "（逾期）"
		}
		look := ""
		if r.ReopenedOn.Valid {
			look = r.ReopenedOn.Time.Format(time.DateOnly) + " 整改不实"
		}
		// the table the row came from: a 常态化 period's, or the campaign's own
		period := r.Period.String
		if r.Period.Valid && period == "" {
			period = cfg.Campaign.ShortName
		}
		vals := []any{i + 1, r.Township, r.Village, r.ItemID, kinds[r.Kind], period, r.Category, r.Class, r.Unit, r.Person, r.Requirement,
			deadline, status, dayOrBlank(r.RectifiedOn), look}
		cell, _ := excelize.CoordinatesToCellName(1, row)
		steps = append(steps, f.SetSheetRow(sheet, cell, &vals))
	}
	if len(list) > 0 {
		steps = append(steps, f.SetCellStyle(sheet, "A3", fmt.Sprintf("%s%d", last, len(list)+2), cellStyle))
	}
	steps = append(steps,
		f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}),
		f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: fmt.Sprintf("'%s'!$1:$2", sheet), Scope: sheet}),
		f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: xptr("landscape"), Size: xptr(9), FitToWidth: xptr(1), FitToHeight: xptr(0)}),
		f.SetDocProps(&excelize.DocProperties{Title: title, Creator: "landwatch", Language: "zh-CN"}),
	)
	for _, err := range steps {
		if err != nil {
			return fmt.Errorf("write 责任分解表: %w", err)
		}
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write 责任分解表: %w", err)
	}
	return nil
}

func xptr[T any](v T) *T { return &v }

func dayOrBlank(t sql.NullTime) string {
	if t.Valid {
		return t.Time.Format(time.DateOnly)
	}
	return ""
}
