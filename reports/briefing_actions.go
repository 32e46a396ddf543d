package reports

// 查处到位率 in the weekly briefing's section 发现一起、查处一起: per owning unit and per township, the
// required actions done on time out of those due (mart_action_rates, the one definition — queries/
// README.md "Required actions"). Every figure is read from the mart.

import (
	"context"
	"database/sql"
	"fmt"

	"landwatch/reports/pdf"
)

// actionRate is one row of mart_action_rates.
type actionRate struct {
	Scope, Name                             string
	Due, OnTime, Overdue, DoneLate, Pending int64
	Rate                                    sql.NullFloat64
}

func actionRates(ctx context.Context, q querier) ([]actionRate, error) {
	rows, err := q.QueryContext(ctx, `SELECT scope, name, due, on_time, overdue, done_late, pending, rate FROM mart_action_rates
		ORDER BY scope = 'township', rate NULLS LAST, name`)
	if err != nil {
		return nil, fmt.Errorf("read mart_action_rates: %w", err)
	}
	defer rows.Close()
	var out []actionRate
	for rows.Next() {
		var r actionRate
		if err := rows.Scan(&r.Scope, &r.Name, &r.Due, &r.OnTime, &r.Overdue, &r.DoneLate, &r.Pending, &r.Rate); err != nil {
			return nil, fmt.Errorf("read mart_action_rates row %d: %w", len(out)+1, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// actionRatesTable renders 查处到位率, the units first, then the townships, the lowest rate first.
func (b *briefing) actionRatesTable(d *pdf.Doc) {
	if len(b.rates) == 0 {
		d.Para("查处到位率：截至统计日尚无应办的查处事项。", 9.5)
		return
	}
	d.Para("查处到位率＝按期办结的应办事项÷已到期或已办结的应办事项（制止、终止供电、立案、处罚决定、取缔查封、移送公安、恢复治理，"+
		"期限按工作日计，期限当日办结为按期）。单位按其负责的事项计，乡镇按辖区内违法点位的全部事项计：", 9)
	t := d.NewTable(8, pdf.Column{Title: "负责单位／乡镇", Width: 34, Align: "L"}, pdf.Column{Title: "类别", Width: 14, Align: "L"},
		pdf.Column{Title: "应办", Width: 16, Align: "R"}, pdf.Column{Title: "按期办结", Width: 20, Align: "R"},
		pdf.Column{Title: "查处到位率", Width: 24, Align: "R"}, pdf.Column{Title: "逾期未办", Width: 20, Align: "R"},
		pdf.Column{Title: "超期办结", Width: 20, Align: "R"}, pdf.Column{Title: "未到期", Width: 0, Align: "R"})
	for _, r := range b.rates {
		kind := "单位"
		if r.Scope == "township" {
			kind = "乡镇"
		}
		t.Row(pdf.Cell{Text: r.Name}, pdf.Cell{Text: kind}, pdf.Cell{Text: fmt.Sprint(r.Due)}, pdf.Cell{Text: fmt.Sprint(r.OnTime)},
			pdf.Cell{Text: pdf.Rate(r.Rate)}, pdf.Cell{Text: fmt.Sprint(r.Overdue)}, pdf.Cell{Text: fmt.Sprint(r.DoneLate)}, pdf.Cell{Text: fmt.Sprint(r.Pending)})
	}
}
