package reports

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"landwatch/campaign"
	"landwatch/reports/pdf"
	"landwatch/warehouse"
)

// violation is one row of mart_violations.
type violation struct {
	ID, Township, Village, Category, Status, DetectedBy, MatchReason string
	FirstSeen                                                        time.Time
	Sources, Refs                                                    []string
	Lon, Lat                                                         sql.NullFloat64
}

// evidence is one source record behind a violation.
type evidence struct {
	Channel, ID, Date, Detail, Origin string
}

func townshipViolations(ctx context.Context, q querier, township string, statuses ...string) ([]violation, error) {
	rows, err := q.QueryContext(ctx, `SELECT violation_id, coalesce(township, ''), coalesce(village, ''),
		coalesce(category, ''), coalesce(detection_status, ''), coalesce(detected_by, ''), coalesce(match_reason, ''),
		first_seen, sources, source_refs, lon, lat
		FROM mart_violations WHERE township = ? AND list_contains(?, detection_status)
		ORDER BY first_seen, violation_id`, township, statuses)
	if err != nil {
		return nil, fmt.Errorf("read mart_violations: %w", err)
	}
	defer rows.Close()
	var out []violation
	for rows.Next() {
		var v violation
		var src, refs any
		if err := rows.Scan(&v.ID, &v.Township, &v.Village, &v.Category, &v.Status, &v.DetectedBy,
			&v.MatchReason, &v.FirstSeen, &src, &refs, &v.Lon, &v.Lat); err != nil {
			return nil, fmt.Errorf("read mart_violations row %d: %w", len(out)+1, err)
		}
		v.Sources, v.Refs = strList(src), strList(refs)
		out = append(out, v)
	}
	return out, rows.Err()
}

// townshipEvidence indexes a township's source records (mart_evidence) by id.
func townshipEvidence(ctx context.Context, q querier, township string) (map[string]evidence, error) {
	rows, err := q.QueryContext(ctx, `SELECT record_id, channel, strftime(seen_on, '%Y-%m-%d'), detail, origin
		FROM mart_evidence WHERE township = ?`, township)
	if err != nil {
		return nil, fmt.Errorf("read mart_evidence: %w", err)
	}
	defer rows.Close()
	out := map[string]evidence{}
	for rows.Next() {
		var e evidence
		var date, detail sql.NullString
		if err := rows.Scan(&e.ID, &e.Channel, &date, &detail, &e.Origin); err != nil {
			return nil, fmt.Errorf("read mart_evidence: %w", err)
		}
		e.Date, e.Detail = date.String, detail.String
		out[e.ID] = e
	}
	return out, rows.Err()
}

// problemPoint is a problem of a township's lists with coordinates.
type problemPoint struct {
	ID, Village string
	Reported    time.Time
	Lon, Lat    float64
}

// townshipProblems reads the township's listed problems with coordinates (the problem items of
// mart_ledger, as of its date), to show the discipline inspection the nearest one to each missed site.
func townshipProblems(ctx context.Context, q querier, township string) ([]problemPoint, error) {
	rows, err := q.QueryContext(ctx, `SELECT item_id, coalesce(village, ''), reported_on, lon, lat FROM mart_ledger
		WHERE kind = 'problem' AND township = ? AND lon IS NOT NULL AND lat IS NOT NULL ORDER BY item_id`, township)
	if err != nil {
		return nil, fmt.Errorf("read mart_ledger: %w", err)
	}
	defer rows.Close()
	var out []problemPoint
	for rows.Next() {
		var p problemPoint
		if err := rows.Scan(&p.ID, &p.Village, &p.Reported, &p.Lon, &p.Lat); err != nil {
			return nil, fmt.Errorf("read mart_ledger: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// haversine is the distance in metres between two WGS84 points (the marts' formula).
func haversine(lon1, lat1, lon2, lat2 float64) float64 {
	const r = 6371008.8
	rad := math.Pi / 180
	dlat, dlon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(a)))
}

// nearest returns the closest problem to the point, or false.
func nearest(ps []problemPoint, lon, lat float64) (problemPoint, float64, bool) {
	best, bd := problemPoint{}, math.Inf(1)
	for _, p := range ps {
		if d := haversine(lon, lat, p.Lon, p.Lat); d < bd {
			best, bd = p, d
		}
	}
	return best, bd, !math.IsInf(bd, 1)
}

// Dossier writes the accountability dossier (追责问责材料) of one township as of asOf: its scorecard,
// each missed violation with its evidence, sources and dates, its new violations after
// rectification and its overdue ledger items. For the discipline inspection role.
func Dossier(ctx context.Context, db *warehouse.DB, township string, asOf time.Time, w io.Writer) error {
	asOf = dateOnly(asOf)
	cfg, err := db.Config(ctx)
	if err != nil {
		return err
	}
	t, ok := cfg.Township(township) // 郭道 is 郭道镇 (campaign.Config.Township)
	if !ok {
		var names []string
		for _, t := range cfg.Townships {
			names = append(names, t.Name)
		}
		return fmt.Errorf("没有乡镇“%s”；本县的乡镇：%s", township, strings.Join(names, "、"))
	}
	township = t.Name
	return atDay(ctx, db, asOf, func(q querier) error { return writeDossier(ctx, q, cfg, township, asOf, w) })
}

// writeDossier writes the dossier from the marts as of asOf that q reads.
func writeDossier(ctx context.Context, db querier, cfg *campaign.Config, township string, asOf time.Time, w io.Writer) error {
	score, err := scorecard(ctx, db, asOf)
	if err != nil {
		return err
	}
	var row *scoreRow
	for i := range score {
		if score[i].Township == township {
			row = &score[i]
		}
	}
	missed, err := townshipViolations(ctx, db, township, "missed")
	if err != nil {
		return err
	}
	newAfter, err := townshipViolations(ctx, db, township, "new_after_rectification")
	if err != nil {
		return err
	}
	ev, err := townshipEvidence(ctx, db, township)
	if err != nil {
		return err
	}
	problems, err := townshipProblems(ctx, db, township)
	if err != nil {
		return err
	}
	all, err := overdueItems(ctx, db)
	if err != nil {
		return err
	}
	var overdue []ledgerItem
	for _, it := range all {
		if it.Township == township {
			overdue = append(overdue, it)
		}
	}
	cats, _, err := categoryNames(ctx, db)
	if err != nil {
		return err
	}

	title := fmt.Sprintf("%s追责问责材料", township)
	d := pdf.New(title, fmt.Sprintf("%s · %s · %s · 数据截至%s · 内部材料 注意保密", cfg.County.Name, cfg.Campaign.ShortName, township, pdf.Date(asOf)), time.Now())
	d.AddPage()
	d.Font(9)
	d.Color(pdf.ColMuted)
	d.SetX(pdf.MarginL)
	d.CellFormat(pdf.BodyW, 5, pdf.Clean(cfg.County.Name+cfg.Campaign.ShortName+"领导小组办公室 · 供纪检监察机关使用"), "", 1, "C", false, 0, "")
	d.Font(18)
	d.Color(pdf.ColTitle)
	d.SetX(pdf.MarginL)
	d.CellFormat(pdf.BodyW, 10, pdf.Clean(title), "", 1, "C", false, 0, "")
	d.Color(pdf.ColText)
	d.Para(fmt.Sprintf("数据截至：%s　　排查截止日（应发现时限）：%s　　整改期限：%s", pdf.Date(asOf),
		pdf.Date(cfg.DetectionDeadline()), pdf.Date(cfg.RectificationEnd())), 9.5)
	d.Para(phaseLine(cfg, asOf), 9.5)
	if row != nil && row.FrozenAt.Valid {
		d.Para(fmt.Sprintf("已锁定：本材料所用数据已于%s锁定，此后不再变动。", row.FrozenAt.Time.Format("2006-01-02 15:04")), 9.5)
	}

	d.Heading("一、考核结果")
	if row == nil {
		d.Para("本统计日无该乡镇考核数据。", 9.5)
	} else {
		d.Para(fmt.Sprintf("等级：%s牌。%s", campaign.Label("level", row.Level), map[bool]string{true: "问题：" + row.Reasons + "。", false: ""}[row.Reasons != ""]), 11)
		t := d.NewTable(8, scorecardColumns[1:]...)
		t.Row(scorecardCells(0, *row)[1:]...)
	}

	d.Heading(fmt.Sprintf("二、应排漏排违法点位（%d处）", len(missed)))
	d.Para(fmt.Sprintf("下列违法点位在排查截止日（%s）前已发生，但未列入本乡镇上报的问题清单（应发现未发现）。", pdf.Date(cfg.DetectionDeadline())), 9)
	for i, v := range missed {
		writeViolation(d, i+1, v, ev, cats, problems, cfg.Accountability.MatchRadiusM)
	}
	if len(missed) == 0 {
		d.Para("无。", 9.5)
	}

	d.Heading(fmt.Sprintf("三、整改后属地新增违法点位（%d处）", len(newAfter)))
	for i, v := range newAfter {
		writeViolation(d, i+1, v, ev, cats, nil, 0)
	}
	if len(newAfter) == 0 {
		d.Para("无。", 9.5)
	}

	d.Heading(fmt.Sprintf("四、逾期未整改事项（%d项）", len(overdue)))
	if len(overdue) == 0 {
		d.Para("无。", 9.5)
	} else {
		t := d.NewTable(8, pdf.Column{Title: "序号", Width: 10, Align: "C"}, pdf.Column{Title: "编号", Width: 46, Align: "L"},
			pdf.Column{Title: "类型", Width: 18, Align: "C"}, pdf.Column{Title: "村", Width: 24, Align: "L"},
			pdf.Column{Title: "类别", Width: 12, Align: "C"}, pdf.Column{Title: "整改期限", Width: 22, Align: "C"},
			pdf.Column{Title: "逾期天数", Width: 16, Align: "R"}, pdf.Column{Title: "状态", Width: 0, Align: "C"})
		for i, it := range overdue {
			kind := campaign.Label("kind", it.Kind)
			if kind == "" {
				kind = it.Kind
			}
			t.Row(pdf.Cell{Text: fmt.Sprint(i + 1)}, pdf.Cell{Text: it.ID}, pdf.Cell{Text: kind}, pdf.Cell{Text: it.Village},
				pdf.Cell{Text: cmp.Or(cats[it.Category], it.Category)}, pdf.Cell{Text: pdf.Date(it.Deadline)},
				pdf.Cell{Text: fmt.Sprint(int(asOf.Sub(dateOnly(it.Deadline)).Hours() / 24))}, pdf.Cell{Text: it.Status})
		}
	}
	return d.Render(w)
}

// writeViolation writes one violation with its evidence table.
// With problems, it also names the township's nearest listed problem, to show how far its
// inspection came from the site.
func writeViolation(d *pdf.Doc, n int, v violation, ev map[string]evidence, cats map[string]string, problems []problemPoint, radius float64) {
	d.Ensure(40)
	d.Ln(1.5)
	d.Font(10.5)
	d.Color(pdf.ColText)
	cat := v.Category // the category's name, never its code (M3)
	if name := cats[v.Category]; name != "" {
		cat = name
	}
	head := fmt.Sprintf("%d. %s　%s　%s", n, v.ID, v.Village, cat)
	for _, l := range d.Wrap(head, pdf.BodyW) {
		d.SetX(pdf.MarginL)
		d.CellFormat(pdf.BodyW, 5.5, l, "", 1, "L", false, 0, "")
	}
	loc := "无坐标"
	if v.Lon.Valid && v.Lat.Valid {
		loc = fmt.Sprintf("东经%.5f°，北纬%.5f°", v.Lon.Float64, v.Lat.Float64)
	}
	info := fmt.Sprintf("首次发现：%s；发现渠道：%s；位置：%s", pdf.Date(v.FirstSeen), strings.Join(distinct(v.Sources), "、"), loc)
	if v.MatchReason != "" {
		info += "；比对说明：" + v.MatchReason
	}
	if v.Lon.Valid && v.Lat.Valid && problems != nil {
		if p, dist, ok := nearest(problems, v.Lon.Float64, v.Lat.Float64); ok {
			info += fmt.Sprintf("；本乡镇上报问题中距离最近的为%s（%s，%s上报），相距%.0f米（比对半径%.0f米）", p.ID, p.Village, pdf.Date(p.Reported), dist, radius)
		} else {
			info += "；本乡镇上报问题均无坐标或无上报问题"
		}
	}
	d.Para(info, 8.5)
	t := d.NewTable(7.5, pdf.Column{Title: "渠道", Width: 14, Align: "C"}, pdf.Column{Title: "编号", Width: 40, Align: "L"},
		pdf.Column{Title: "日期", Width: 20, Align: "C"}, pdf.Column{Title: "情况", Width: 0, Align: "L", Wrap: true},
		pdf.Column{Title: "来源文件", Width: 40, Align: "L", Wrap: true})
	for _, ref := range v.Refs {
		e, ok := ev[ref]
		if !ok {
			t.Row(pdf.Cell{Text: "—"}, pdf.Cell{Text: ref}, pdf.Cell{Text: ""}, pdf.Cell{Text: "未找到原始记录"}, pdf.Cell{Text: ""})
			continue
		}
		t.Row(pdf.Cell{Text: e.Channel}, pdf.Cell{Text: e.ID}, pdf.Cell{Text: e.Date}, pdf.Cell{Text: e.Detail}, pdf.Cell{Text: e.Origin})
	}
}

// distinct is list without repeats, in its order (two tips about one site are one channel: 举报).
func distinct(list []string) []string {
	var out []string
	for _, x := range list {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}
