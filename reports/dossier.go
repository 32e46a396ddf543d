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
		return fmt.Errorf("unknown township %q (未知乡镇); known: %s", township, strings.Join(names, "、"))
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
	d := newDoc(title, fmt.Sprintf("%s · %s · %s · 数据截至%s · 内部材料 注意保密", cfg.County.Name, cfg.Campaign.ShortName, township, fmtDate(asOf)), time.Now())
	d.AddPage()
	d.font(9)
	d.color(colMuted)
	d.SetX(marginL)
	d.CellFormat(bodyW, 5, clean(cfg.County.Name+cfg.Campaign.ShortName+"领导小组办公室 · 供纪检监察机关使用"), "", 1, "C", false, 0, "")
	d.font(18)
	d.color(colTitle)
	d.SetX(marginL)
	d.CellFormat(bodyW, 10, clean(title), "", 1, "C", false, 0, "")
	d.color(colText)
	d.para(fmt.Sprintf("数据截至：%s　　排查截止日（应发现时限）：%s　　整改期限：%s", fmtDate(asOf),
		fmtDate(cfg.DetectionDeadline()), fmtDate(cfg.RectificationEnd())), 9.5)
	d.para(phaseLine(cfg, asOf), 9.5)
	if row != nil && row.FrozenAt.Valid {
		d.para(fmt.Sprintf("已锁定：本材料所用数据已于%s锁定，此后不再变动。", row.FrozenAt.Time.Format("2006-01-02 15:04")), 9.5)
	}

	d.heading("一、考核结果")
	if row == nil {
		d.para("本统计日无该乡镇考核数据。", 9.5)
	} else {
		d.para(fmt.Sprintf("等级：%s牌。%s", campaign.Label("level", row.Level), map[bool]string{true: "问题：" + row.Reasons + "。", false: ""}[row.Reasons != ""]), 11)
		t := d.newTable(8, scorecardColumns[1:]...)
		t.row(scorecardCells(0, *row)[1:]...)
	}

	d.heading(fmt.Sprintf("二、应排漏排违法点位（%d处）", len(missed)))
	d.para(fmt.Sprintf("下列违法点位在排查截止日（%s）前已发生，但未列入本乡镇上报的问题清单（应发现未发现）。", fmtDate(cfg.DetectionDeadline())), 9)
	for i, v := range missed {
		writeViolation(d, i+1, v, ev, cats, problems, cfg.Accountability.MatchRadiusM)
	}
	if len(missed) == 0 {
		d.para("无。", 9.5)
	}

	d.heading(fmt.Sprintf("三、整改后属地新增违法点位（%d处）", len(newAfter)))
	for i, v := range newAfter {
		writeViolation(d, i+1, v, ev, cats, nil, 0)
	}
	if len(newAfter) == 0 {
		d.para("无。", 9.5)
	}

	d.heading(fmt.Sprintf("四、逾期未整改事项（%d项）", len(overdue)))
	if len(overdue) == 0 {
		d.para("无。", 9.5)
	} else {
		t := d.newTable(8, column{title: "序号", width: 10, align: "C"}, column{title: "编号", width: 46, align: "L"},
			column{title: "类型", width: 18, align: "C"}, column{title: "村", width: 24, align: "L"},
			column{title: "类别", width: 12, align: "C"}, column{title: "整改期限", width: 22, align: "C"},
			column{title: "逾期天数", width: 16, align: "R"}, column{title: "状态", width: 0, align: "C"})
		for i, it := range overdue {
			kind := campaign.Label("kind", it.Kind)
			if kind == "" {
				kind = it.Kind
			}
			t.row(cell{text: fmt.Sprint(i + 1)}, cell{text: it.ID}, cell{text: kind}, cell{text: it.Village},
				cell{text: cmp.Or(cats[it.Category], it.Category)}, cell{text: fmtDate(it.Deadline)},
				cell{text: fmt.Sprint(int(asOf.Sub(dateOnly(it.Deadline)).Hours() / 24))}, cell{text: it.Status})
		}
	}
	return d.output(w)
}

// writeViolation writes one violation with its evidence table.
// With problems, it also names the township's nearest listed problem, to show how far its
// inspection came from the site.
func writeViolation(d *doc, n int, v violation, ev map[string]evidence, cats map[string]string, problems []problemPoint, radius float64) {
	d.ensure(40)
	d.Ln(1.5)
	d.font(10.5)
	d.color(colText)
	cat := v.Category // the category's name, never its code (M3)
	if name := cats[v.Category]; name != "" {
		cat = name
	}
	head := fmt.Sprintf("%d. %s　%s　%s", n, v.ID, v.Village, cat)
	for _, l := range d.wrap(head, bodyW) {
		d.SetX(marginL)
		d.CellFormat(bodyW, 5.5, l, "", 1, "L", false, 0, "")
	}
	loc := "无坐标"
	if v.Lon.Valid && v.Lat.Valid {
		loc = fmt.Sprintf("东经%.5f°，北纬%.5f°", v.Lon.Float64, v.Lat.Float64)
	}
	info := fmt.Sprintf("首次发现：%s；发现渠道：%s；位置：%s", fmtDate(v.FirstSeen), strings.Join(distinct(v.Sources), "、"), loc)
	if v.MatchReason != "" {
		info += "；比对说明：" + v.MatchReason
	}
	if v.Lon.Valid && v.Lat.Valid && problems != nil {
		if p, dist, ok := nearest(problems, v.Lon.Float64, v.Lat.Float64); ok {
			info += fmt.Sprintf("；本乡镇上报问题中距离最近的为%s（%s，%s上报），相距%.0f米（比对半径%.0f米）", p.ID, p.Village, fmtDate(p.Reported), dist, radius)
		} else {
			info += "；本乡镇上报问题均无坐标或无上报问题"
		}
	}
	d.para(info, 8.5)
	t := d.newTable(7.5, column{title: "渠道", width: 14, align: "C"}, column{title: "编号", width: 40, align: "L"},
		column{title: "日期", width: 20, align: "C"}, column{title: "情况", width: 0, align: "L", wrap: true},
		column{title: "来源文件", width: 40, align: "L", wrap: true})
	for _, ref := range v.Refs {
		e, ok := ev[ref]
		if !ok {
			t.row(cell{text: "—"}, cell{text: ref}, cell{text: ""}, cell{text: "未找到原始记录"}, cell{text: ""})
			continue
		}
		t.row(cell{text: e.Channel}, cell{text: e.ID}, cell{text: e.Date}, cell{text: e.Detail}, cell{text: e.Origin})
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
