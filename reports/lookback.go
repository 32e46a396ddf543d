package reports

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strings"
	"time"

	"landwatch/campaign"
	"landwatch/reports/pdf"
	"landwatch/warehouse"
)

// StaleCaseDays is how long a case may stay 未立案 or 已立案 before the look-back report lists it as
// not yet handed on (查处移送不到位): a month from its discovery.
const StaleCaseDays = 30

// listEntry is one row of mart_accountability.
type listEntry struct {
	Township, Village, ItemID, Reason, First, Direct, Cadre, Unit, Status, Outcome string
	ItemDate                                                                       time.Time
	TransferredOn                                                                  sql.NullTime
}

func accountabilityList(ctx context.Context, q querier) ([]listEntry, error) {
	rows, err := q.QueryContext(ctx, `SELECT township, coalesce(village, ''), item_id, reason, coalesce(first_responsible, ''),
		coalesce(direct_responsible, ''), coalesce(village_cadre, ''), coalesce(unit, ''), status, coalesce(outcome, ''),
		item_date, transferred_on FROM mart_accountability`)
	if err != nil {
		return nil, fmt.Errorf("read mart_accountability: %w", err)
	}
	defer rows.Close()
	var out []listEntry
	for rows.Next() {
		var e listEntry
		if err := rows.Scan(&e.Township, &e.Village, &e.ItemID, &e.Reason, &e.First, &e.Direct, &e.Cadre, &e.Unit, &e.Status,
			&e.Outcome, &e.ItemDate, &e.TransferredOn); err != nil {
			return nil, fmt.Errorf("read mart_accountability row %d: %w", len(out)+1, err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// staleCase is a case not handed on (mart_cases_pipeline).
type staleCase struct {
	ID, Township, Village, Stage string
	Found                        time.Time
}

func staleCases(ctx context.Context, q querier, asOf time.Time) ([]staleCase, error) {
	rows, err := q.QueryContext(ctx, `SELECT case_id, township, coalesce(village, ''), stage, found_on FROM mart_cases_pipeline
		WHERE stage IN ('未立案', '已立案') AND found_on <= ? ORDER BY township, found_on, case_id`, asOf.AddDate(0, 0, -StaleCaseDays))
	if err != nil {
		return nil, fmt.Errorf("read mart_cases_pipeline: %w", err)
	}
	defer rows.Close()
	var out []staleCase
	for rows.Next() {
		var c staleCase
		if err := rows.Scan(&c.ID, &c.Township, &c.Village, &c.Stage, &c.Found); err != nil {
			return nil, fmt.Errorf("read mart_cases_pipeline: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// townshipPosts reads the township posts of the register as it stands (mart_register).
func townshipPosts(ctx context.Context, q querier) (map[string]map[string][]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT township, duty_type, person FROM mart_register
		WHERE duty_type IN ('第一责任人', '分管领导') ORDER BY township, duty_type, source_row`)
	if err != nil {
		return nil, fmt.Errorf("read mart_register: %w", err)
	}
	defer rows.Close()
	out := map[string]map[string][]string{}
	for rows.Next() {
		var t, typ, p string
		if err := rows.Scan(&t, &typ, &p); err != nil {
			return nil, fmt.Errorf("read mart_register: %w", err)
		}
		if out[t] == nil {
			out[t] = map[string][]string{}
		}
		out[t][typ] = append(out[t][typ], p)
	}
	return out, rows.Err()
}

// Lookback writes the 回头看 report as of asOf: for every township the plan's four look-back
// questions — 排查是否全面 (missed violations), 整改是否到位 (overdue items and items found 整改不实),
// 查处移送是否到位 (cases still 未立案 or 已立案 StaleCaseDays after discovery, mart_cases_pipeline: a
// case closed without transfer is 已结案 there and so handled)
// and 问责处理是否到位 (accountability-list entries without an outcome, and how long they have
// waited) — with the names of the responsibility register.
func Lookback(ctx context.Context, db *warehouse.DB, asOf time.Time, w io.Writer) error {
	asOf = dateOnly(asOf)
	cfg, err := db.Config(ctx)
	if err != nil {
		return err
	}
	return atDay(ctx, db, asOf, func(q querier) error { return writeLookback(ctx, q, cfg, asOf, w) })
}

func writeLookback(ctx context.Context, q querier, cfg *campaign.Config, asOf time.Time, w io.Writer) error {
	score, err := scorecard(ctx, q, asOf)
	if err != nil {
		return err
	}
	falseN := map[string]int64{}
	rows, err := q.QueryContext(ctx, `SELECT township, rectification_false FROM mart_township_scorecard WHERE as_of = ?`, asOf)
	if err != nil {
		return fmt.Errorf("read mart_township_scorecard: %w", err)
	}
	for rows.Next() {
		var t string
		var n sql.NullInt64
		if err := rows.Scan(&t, &n); err != nil {
			rows.Close()
			return fmt.Errorf("read mart_township_scorecard: %w", err)
		}
		falseN[t] = n.Int64
	}
	rows.Close()
	list, err := accountabilityList(ctx, q)
	if err != nil {
		return err
	}
	cases, err := staleCases(ctx, q, asOf)
	if err != nil {
		return err
	}
	posts, err := townshipPosts(ctx, q)
	if err != nil {
		return err
	}

	title := "专项行动“回头看”情况报告"
	d := pdf.New(title, fmt.Sprintf("%s · %s · 回头看 · 数据截至%s · 内部材料", cfg.County.Name, cfg.Campaign.ShortName, pdf.Date(asOf)), time.Now())
	d.AddPage()
	d.Font(18)
	d.Color(pdf.ColTitle)
	d.SetX(pdf.MarginL)
	d.CellFormat(pdf.BodyW, 10, pdf.Clean(cfg.County.Name+title), "", 1, "C", false, 0, "")
	d.Color(pdf.ColText)
	d.Para(fmt.Sprintf("数据截至：%s。%s", pdf.Date(asOf), phaseLine(cfg, asOf)), 9.5)
	d.Para("按实施方案“建章立制”要求，逐乡镇查看：前期排查是否全面、问题整改是否到位、查处移送是否到位、问责处理是否到位。"+
		fmt.Sprintf("查处移送一项列出发现%d天以上仍未立案，或已立案既未移送也未结案的案件（案件办理进度表；处罚决定执行完毕后结案的案件已查处到位）。责任人取自责任人名册。", StaleCaseDays), 9.5)

	for _, s := range score {
		t := s.Township
		d.Heading(t)
		p := posts[t]
		d.Para(fmt.Sprintf("第一责任人：%s；分管领导：%s。等级：%s牌。", orDash(strings.Join(p["第一责任人"], "、")),
			orDash(strings.Join(p["分管领导"], "、")), campaign.Label("level", s.Level)), 9.5)
		var missed, rect, open []listEntry
		for _, e := range list {
			if e.Township != t {
				continue
			}
			switch e.Reason {
			case "应排漏排":
				missed = append(missed, e)
			case "整改不到位", "整改不实":
				rect = append(rect, e)
			}
			if e.Status != "已处理" {
				open = append(open, e)
			}
		}
		var tc []staleCase
		for _, c := range cases {
			if c.Township == t {
				tc = append(tc, c)
			}
		}
		d.Para(fmt.Sprintf("（一）排查是否全面：应排漏排%d处。", s.Missed), 10)
		entryTable(d, missed, asOf, false)
		d.Para(fmt.Sprintf("（二）整改是否到位：整改不到位%d项，整改不实%d项。", s.OverdueOpen, falseN[t]), 10)
		entryTable(d, rect, asOf, false)
		d.Para(fmt.Sprintf("（三）查处移送是否到位：%d件案件发现%d天以上仍未立案或未移送、未结案。", len(tc), StaleCaseDays), 10)
		if len(tc) > 0 {
			tb := d.NewTable(8, pdf.Column{Title: "案件编号", Width: 44, Align: "L"}, pdf.Column{Title: "村", Width: 28, Align: "L"},
				pdf.Column{Title: "环节", Width: 22, Align: "C"}, pdf.Column{Title: "发现日期", Width: 26, Align: "C"}, pdf.Column{Title: "已过天数", Width: 0, Align: "R"})
			for _, c := range tc {
				tb.Row(pdf.Cell{Text: c.ID}, pdf.Cell{Text: c.Village}, pdf.Cell{Text: c.Stage}, pdf.Cell{Text: pdf.Date(c.Found)},
					pdf.Cell{Text: fmt.Sprint(days(asOf, c.Found))})
			}
		}
		d.Para(fmt.Sprintf("（四）问责处理是否到位：名单上%d项尚无处理结果。", len(open)), 10)
		entryTable(d, open, asOf, true)
	}
	return d.Render(w)
}

// entryTable lists accountability entries with their names; waiting adds the status and the days
// waited (since the transfer, or since the item's date while not transferred).
func entryTable(d *pdf.Doc, es []listEntry, asOf time.Time, waiting bool) {
	if len(es) == 0 {
		return
	}
	cols := []pdf.Column{{Title: "编号", Width: 38, Align: "L"}, {Title: "村", Width: 18, Align: "L"}, {Title: "问题", Width: 18, Align: "C"},
		{Title: "第一责任人", Width: 18, Align: "C"}, {Title: "直接责任人", Width: 18, Align: "C"}, {Title: "包村干部", Width: 18, Align: "C"}}
	if waiting {
		cols = append(cols, pdf.Column{Title: "状态", Width: 16, Align: "C"}, pdf.Column{Title: "等待天数", Width: 0, Align: "R"})
	} else {
		cols = append(cols, pdf.Column{Title: "责任单位", Width: 0, Align: "L"})
	}
	tb := d.NewTable(7.5, cols...)
	for _, e := range es {
		cells := []pdf.Cell{{Text: e.ItemID}, {Text: e.Village}, {Text: e.Reason}, {Text: orDash(e.First)}, {Text: orDash(e.Direct)}, {Text: orDash(e.Cadre)}}
		if waiting {
			since := e.ItemDate
			if e.TransferredOn.Valid {
				since = e.TransferredOn.Time
			}
			cells = append(cells, pdf.Cell{Text: e.Status}, pdf.Cell{Text: fmt.Sprint(max(0, days(asOf, since)))})
		} else {
			cells = append(cells, pdf.Cell{Text: orDash(e.Unit)})
		}
		tb.Row(cells...)
	}
}

func days(to, from time.Time) int { return int(dateOnly(to).Sub(dateOnly(from)).Hours() / 24) }

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
