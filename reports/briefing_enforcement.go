package reports

// The weekly briefing's section on 发现一起、查处一起: how fast violations become cases, per
// township and channel (mart_enforcement_speed), and the stages of the enforcement chain past their
// deadline per unit (mart_case_stages). Every figure is read from the marts.

import (
	"context"
	"database/sql"
	"fmt"

	"landwatch/reports/pdf"
)

// speedRow is one row of mart_enforcement_speed.
type speedRow struct {
	Township, Channel                        string
	Violations, WithCase, Filed, Transferred int64
	Share, AvgFiled, AvgTransfer             sql.NullFloat64
}

// stageOverdue is the number of open and done-late stages of one unit past their deadline.
type stageOverdue struct {
	Unit           string
	Open, DoneLate int64
	Stages         string
}

// maxSpeedRows bounds the table; the mart has the rest.
const maxSpeedRows = 30

func enforcementSpeed(ctx context.Context, q querier) ([]speedRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT township, channel, violations, with_case, filed, transferred,
		CAST(case_share AS DOUBLE), CAST(avg_days_to_filed AS DOUBLE), CAST(avg_days_to_transfer AS DOUBLE)
		FROM mart_enforcement_speed ORDER BY township, channel`)
	if err != nil {
		return nil, fmt.Errorf("read mart_enforcement_speed: %w", err)
	}
	defer rows.Close()
	var out []speedRow
	for rows.Next() {
		var r speedRow
		if err := rows.Scan(&r.Township, &r.Channel, &r.Violations, &r.WithCase, &r.Filed, &r.Transferred, &r.Share, &r.AvgFiled, &r.AvgTransfer); err != nil {
			return nil, fmt.Errorf("read mart_enforcement_speed row %d: %w", len(out)+1, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func stagesOverdue(ctx context.Context, q querier) ([]stageOverdue, error) {
	rows, err := q.QueryContext(ctx, `SELECT unit, count(*) FILTER (WHERE done_on IS NULL), count(*) FILTER (WHERE done_on IS NOT NULL),
		string_agg(DISTINCT stage_name, '、' ORDER BY stage_name)
		FROM mart_case_stages WHERE overdue GROUP BY unit ORDER BY count(*) FILTER (WHERE done_on IS NULL) DESC, unit`)
	if err != nil {
		return nil, fmt.Errorf("read mart_case_stages: %w", err)
	}
	defer rows.Close()
	var out []stageOverdue
	for rows.Next() {
		var r stageOverdue
		if err := rows.Scan(&r.Unit, &r.Open, &r.DoneLate, &r.Stages); err != nil {
			return nil, fmt.Errorf("read mart_case_stages row %d: %w", len(out)+1, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// fmtDays is an average of days with one decimal, or — when there is none.
func fmtDays(v sql.NullFloat64) string {
	if !v.Valid {
		return "—"
	}
	return fmt.Sprintf("%.1f", v.Float64)
}

func (b *briefing) enforcement(d *pdf.Doc) {
	d.Heading("十、发现一起、查处一起")
	b.actionRatesTable(d) // briefing_actions.go
	if len(b.speed) == 0 {
		d.Para("截至统计日尚无违法点位。", 9.5)
	} else {
		d.Para("各乡镇、各渠道发现的违法点位立案查处情况：立案、移送公安的平均天数自点位首次发现之日起算；立案占比＝有案件的点位÷违法点位。", 9)
		t := d.NewTable(8, pdf.Column{Title: "乡镇", Width: 24, Align: "L"}, pdf.Column{Title: "渠道", Width: 16, Align: "L"},
			pdf.Column{Title: "违法点位", Width: 18, Align: "R"}, pdf.Column{Title: "有案件", Width: 16, Align: "R"},
			pdf.Column{Title: "立案占比", Width: 18, Align: "R"}, pdf.Column{Title: "已立案", Width: 16, Align: "R"},
			pdf.Column{Title: "平均立案天数", Width: 24, Align: "R"}, pdf.Column{Title: "已移送", Width: 16, Align: "R"},
			pdf.Column{Title: "平均移送天数", Width: 0, Align: "R"})
		for i, r := range b.speed {
			if i == maxSpeedRows {
				break
			}
			t.Row(pdf.Cell{Text: r.Township}, pdf.Cell{Text: r.Channel}, pdf.Cell{Text: fmt.Sprint(r.Violations)}, pdf.Cell{Text: fmt.Sprint(r.WithCase)},
				pdf.Cell{Text: pdf.Rate(r.Share)}, pdf.Cell{Text: fmt.Sprint(r.Filed)}, pdf.Cell{Text: fmtDays(r.AvgFiled)},
				pdf.Cell{Text: fmt.Sprint(r.Transferred)}, pdf.Cell{Text: fmtDays(r.AvgTransfer)})
		}
		if len(b.speed) > maxSpeedRows {
			d.Para(fmt.Sprintf("（列出前%d行，另有%d行见查处时效表。）", maxSpeedRows, len(b.speed)-maxSpeedRows), 8)
		}
	}
	var restored float64 // the one definition: accepted restoration (mart_campaign_weekly.area_restored_mu)
	for _, w := range b.weeks {
		restored += w.AreaRestoredMu
	}
	d.Para(fmt.Sprintf("恢复治理：截至统计日验收合格的恢复土地面积%.2f亩（以验收为准，不含未验收的整改）。", restored), 9.5)
	decided, collected := finesOfWeeks(b.weeks)
	d.Para(fmt.Sprintf("罚没款：截至统计日决定%s元（罚款、罚金、没收违法所得，不论是否判决），已收缴%s元，未收缴%s元。",
		wholeYuan(decided), wholeYuan(collected), wholeYuan(decided-collected)), 9.5)
	if len(b.stages) == 0 {
		d.Para("执法环节：截至统计日，各成员单位负责的办案环节均未超期。", 9.5)
		return
	}
	d.Para("执法环节超期（按工作日计算）：", 9)
	t := d.NewTable(8, pdf.Column{Title: "负责单位", Width: 30, Align: "L"}, pdf.Column{Title: "超期未办", Width: 22, Align: "R"},
		pdf.Column{Title: "超期办结", Width: 22, Align: "R"}, pdf.Column{Title: "涉及环节", Width: 0, Align: "L", Wrap: true})
	for _, r := range b.stages {
		t.Row(pdf.Cell{Text: r.Unit}, pdf.Cell{Text: fmt.Sprint(r.Open)}, pdf.Cell{Text: fmt.Sprint(r.DoneLate)}, pdf.Cell{Text: r.Stages})
	}
}

// finesOfWeeks is 罚没款 decided and collected up to the last week: the weeks of
// mart_campaign_weekly add up to mart_fines (queries/tests/weekly_totals.sql), the one definition.
func finesOfWeeks(weeks []weekRow) (decided, collected float64) {
	for _, w := range weeks {
		decided += w.FinesYuan
		collected += w.FinesCollectedYuan
	}
	return decided, collected
}

// wholeYuan writes a yuan amount as the public page does: whole yuan.
func wholeYuan(v float64) string { return fmt.Sprintf("%.0f", v) }
