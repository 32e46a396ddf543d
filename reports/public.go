package reports

import (
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"time"

	"landwatch/queries"
	"landwatch/warehouse"
)

// Value is one public figure: the text shown, and the number drawn in charts (nil when the
// figure is suppressed because it is a small count).
type Value struct {
	Text string   `json:"text"`
	Num  *float64 `json:"num"`
}

// PublicWeek is one ISO week of the public statistics.
type PublicWeek struct {
	Week  string           `json:"week"`
	Start string           `json:"start"`
	Vals  map[string]Value `json:"vals"`
}

// Stats is the public statistics (公开统计): totals and weekly trends, no personal data, small
// counts suppressed. A published snapshot stores it as shown.
type Stats struct {
	AsOf       string           `json:"as_of"`
	County     string           `json:"county"`
	Campaign   string           `json:"campaign"`
	SmallCount int              `json:"small_count"`
	Totals     map[string]Value `json:"totals"`
	Weeks      []PublicWeek     `json:"weeks"`
	// Villages is the public map by village (publicmap.go); empty in snapshots published before it.
	Villages []PublicVillage `json:"villages,omitempty"`
	// Months are the same figures by calendar month (public_months.go): a chart whose weekly
	// figures are suppressed is drawn by month instead
	Months []PublicWeek `json:"months,omitempty"`
}

// Snapshot is a published Stats.
type Snapshot struct {
	ID          int64
	PublishedBy string
	PublishedAt time.Time
	Stats       Stats
}

// publicMetric is one public figure: its key, Chinese name, unit, and whether it is a count that
// small-count suppression applies to.
type publicMetric struct {
	key, name, unit string
	count           bool
	get             func(weekRow) float64
	// hideWith names the count whose suppression also hides this amount (a reward amount would
	// reveal a single reward).
	hideWith string
}

var publicMetrics = []publicMetric{
	{key: "tips_received", name: "受理举报", unit: "件", count: true, get: func(w weekRow) float64 { return w.TipsReceived }},
	{key: "tips_verified", name: "核查属实", unit: "件", count: true, get: func(w weekRow) float64 { return w.TipsVerified }},
	{key: "rewards_paid", name: "发放奖励", unit: "笔", count: true, get: func(w weekRow) float64 { return w.RewardsPaid }},
	{key: "rewards_paid_yuan", name: "奖励金额", unit: "元", get: func(w weekRow) float64 { return w.RewardsPaidYuan }, hideWith: "rewards_paid"},
	{key: "cases_filed", name: "立案查处", unit: "件", count: true, get: func(w weekRow) float64 { return w.CasesFiled }},
	{key: "fines_yuan", name: "罚没款（决定）", unit: "元", get: func(w weekRow) float64 { return w.FinesYuan }},
	{key: "fines_collected_yuan", name: "罚没款（已收缴）", unit: "元", get: func(w weekRow) float64 { return w.FinesCollectedYuan }},
	{key: "area_restored_mu", name: "恢复土地面积", unit: "亩", get: func(w weekRow) float64 { return w.AreaRestoredMu }},
}

// publicCharts are the charts of the public page and the metrics each draws.
var publicCharts = []struct {
	id, title string
	keys      []string
}{
	{"tips", "群众举报（每周，件）", []string{"tips_received", "tips_verified"}},
	{"rewards", "举报奖励发放（每周，笔）", []string{"rewards_paid"}},
	{"reward_amounts", "举报奖励金额（每周，元）", []string{"rewards_paid_yuan"}},
	{"cases", "立案查处（每周，件）", []string{"cases_filed"}},
	{"fines", "罚没款（每周决定、收缴，元）", []string{"fines_yuan", "fines_collected_yuan"}},
	{"area", "恢复土地面积（每周，亩）", []string{"area_restored_mu"}},
}

// suppress turns a figure into a public Value: a count from 1 to small-1 becomes "<small", and a
// figure hidden so that it cannot be worked out from the others becomes "*"; neither has a number.
func suppress(m publicMetric, v float64, small int, hidden bool) Value {
	if m.count && v > 0 && v < float64(small) {
		return Value{Text: fmt.Sprintf("<%d", small)}
	}
	if hidden {
		return Value{Text: "*"}
	}
	if math.IsNaN(v) {
		return Value{Text: "—"}
	}
	n := v
	text := fmtNum(v)
	switch m.unit {
	case "元":
		text = fmt.Sprintf("%.0f", v)
	case "亩":
		text = fmt.Sprintf("%.2f", v)
	}
	return Value{Text: text, Num: &n}
}

// PublicStats computes the public statistics from the marts as of the last models run (the
// draft the media role reviews before publishing).
func PublicStats(ctx context.Context, db *warehouse.DB) (*Stats, error) {
	cfg, err := db.Config(ctx)
	if err != nil {
		return nil, err
	}
	asOf, err := queries.LatestAsOf(ctx, db)
	if err != nil {
		return nil, err
	}
	weeks, err := campaignWeeks(ctx, db, asOf)
	if err != nil {
		return nil, err
	}
	st := publicStats(cfg.County.Name, cfg.Campaign.Name, asOf, weeks, cfg.Reports.SmallCount)
	if st.Villages, err = publicVillages(ctx, db, cfg.Reports.SmallCount); err != nil {
		return nil, err
	}
	return st, nil
}

// publicStats applies small-count suppression to the weekly figures. Primary: a count from 1 to
// small-1 is hidden. Secondary: the total minus the visible weeks must not give a hidden count
// away, so while the hidden weeks of a count are a single week or add up to less than small, the
// smallest visible non-zero week is hidden too; when none is left, the total is hidden. An amount
// (reward yuan) is hidden wherever its count is.
func publicStats(county, campaignName string, asOf time.Time, weeks []weekRow, small int) *Stats {
	s := &Stats{AsOf: asOf.Format(time.DateOnly), County: county, Campaign: campaignName, SmallCount: small}
	s.Weeks, s.Totals = suppressRows(weeks, small)
	months, totals := suppressRows(monthRows(weeks), small)
	s.Months = months
	for k, v := range totals {
		if v.Num == nil { // a total hidden for the months is hidden
			s.Totals[k] = v
		}
	}
	return s
}

// suppressRows applies the suppression of publicStats to rows (weeks or months) and returns them
// with the totals.
func suppressRows(weeks []weekRow, small int) ([]PublicWeek, map[string]Value) {
	var out []PublicWeek
	totals := map[string]Value{}
	hide := map[string][]bool{}    // metric → week hidden
	hideTotal := map[string]bool{} // metric → total hidden
	for _, m := range publicMetrics {
		if !m.count {
			continue
		}
		h := make([]bool, len(weeks))
		var hiddenSum float64
		hiddenN := 0
		for i, w := range weeks {
			if v := m.get(w); v > 0 && v < float64(small) {
				h[i] = true
				hiddenSum += v
				hiddenN++
			}
		}
		for hiddenN > 0 && (hiddenN < 2 || hiddenSum < float64(small)) {
			k := -1
			for i, w := range weeks {
				if !h[i] && m.get(w) > 0 && (k < 0 || m.get(w) < m.get(weeks[k])) {
					k = i
				}
			}
			if k < 0 {
				hideTotal[m.key] = true
				break
			}
			h[k] = true
			hiddenSum += m.get(weeks[k])
			hiddenN++
		}
		hide[m.key] = h
	}
	tot := map[string]float64{}
	for i, w := range weeks {
		pw := PublicWeek{Week: w.Week, Start: w.Start.Format(time.DateOnly), Vals: map[string]Value{}}
		for _, m := range publicMetrics {
			tot[m.key] += m.get(w)
			key := m.key
			if m.hideWith != "" {
				key = m.hideWith
			}
			hidden := hide[key] != nil && hide[key][i]
			pw.Vals[m.key] = suppress(m, m.get(w), small, hidden)
		}
		out = append(out, pw)
	}
	for _, m := range publicMetrics {
		key := m.key
		if m.hideWith != "" {
			key = m.hideWith
		}
		totals[m.key] = suppress(m, tot[m.key], small, hideTotal[key])
	}
	return out, totals
}

// Publish computes the public statistics and records them as the published snapshot.
func Publish(ctx context.Context, db *warehouse.DB, by string) (*Snapshot, error) {
	s, err := PublicStats(ctx, db)
	if err != nil {
		return nil, err
	}
	data, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC().Truncate(time.Second)
	var id int64
	err = db.QueryRowContext(ctx, `INSERT INTO stats_snapshots (as_of, small_count, data, published_by, published_at)
		VALUES (?, ?, ?, ?, ?) RETURNING snapshot_id`, s.AsOf, s.SmallCount, string(data), by, now).Scan(&id)
	if err != nil {
		return nil, fmt.Errorf("publish statistics: %w", err)
	}
	return &Snapshot{ID: id, PublishedBy: by, PublishedAt: now, Stats: *s}, nil
}

// LatestSnapshot returns the last published snapshot, or nil when none was published.
func LatestSnapshot(ctx context.Context, db *warehouse.DB) (*Snapshot, error) {
	var snap Snapshot
	var data string
	err := db.QueryRowContext(ctx, `SELECT snapshot_id, published_by, published_at, CAST(data AS VARCHAR)
		FROM stats_snapshots ORDER BY snapshot_id DESC LIMIT 1`).Scan(&snap.ID, &snap.PublishedBy, &snap.PublishedAt, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read stats_snapshots: %w", err)
	}
	if err := json.Unmarshal([]byte(data), &snap.Stats); err != nil {
		return nil, fmt.Errorf("stats snapshot %d: %w", snap.ID, err)
	}
	return &snap, nil
}

func metricByKey(key string) publicMetric {
	for _, m := range publicMetrics {
		if m.key == key {
			return m
		}
	}
	return publicMetric{key: key, name: key}
}

// PublicPage writes the public statistics page: the last published snapshot with its date, or a
// notice that nothing is published yet. csvBase is the URL prefix of the CSV downloads
// (csvBase + chart id + ".csv").
func PublicPage(ctx context.Context, db *warehouse.DB, w io.Writer, o PageOptions) error {
	snap, err := LatestSnapshot(ctx, db)
	if err != nil {
		return err
	}
	if snap == nil {
		cfg, err := db.Config(ctx)
		if err != nil {
			return err
		}
		p := &pageData{Title: cfg.County.Name + cfg.Campaign.ShortName + "公开统计", Nonce: o.Nonce, Back: o.Back, BackText: o.BackText,
			Notice: "统计数据尚未发布，请稍后查看。", Footer: cfg.County.Name + "融媒体中心"}
		return p.render(w)
	}
	return statsPage(ctx, db, w, &snap.Stats, fmt.Sprintf("发布日期：%s · 数据截至%s", snap.PublishedAt.In(shanghai()).Format("2006-01-02 15:04"), snap.Stats.AsOf), "", o)
}

// PreviewPage writes the draft statistics for the media role to review before publishing.
func PreviewPage(ctx context.Context, db *warehouse.DB, w io.Writer, o PageOptions) error {
	s, err := PublicStats(ctx, db)
	if err != nil {
		return err
	}
	return statsPage(ctx, db, w, s, "数据截至"+s.AsOf, "预览：以下为待发布数据，尚未公开。发布后公众页面显示此版本。", o)
}

func shanghai() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.UTC
	}
	return loc
}

func statsPage(ctx context.Context, db *warehouse.DB, w io.Writer, s *Stats, sub, notice string, o PageOptions) error {
	p := &pageData{Title: s.County + "打击非法违法采矿、乱占土地专项行动公开统计", Subtitle: sub, Back: o.Back, BackText: o.BackText,
		Footer: fmt.Sprintf("%s融媒体中心发布 · 为保护举报人，小于%d的数目显示为“<%d”；为防止由合计推算而隐去的数目显示为“*”", s.County, s.SmallCount, s.SmallCount),
		Notice: notice, Nonce: o.Nonce}
	tot := htmlTable{Title: "累计", Head: []string{"项目", "数值", "单位"}}
	for _, m := range publicMetrics {
		tot.Rows = append(tot.Rows, []string{m.name, s.Totals[m.key].Text, m.unit})
	}
	for _, c := range publicCharts {
		rows, title, ok := s.chartRows(c.keys, c.title)
		if !ok {
			p.Charts = append(p.Charts, chartBox{Title: title, ID: "pub_" + c.id,
				Text: fmt.Sprintf("各周、各月的数目都小于%d或为防止推算而隐去，为保护举报人不画图；累计见下表。", s.SmallCount)})
			continue
		}
		var names []string
		vals := make([][]*float64, len(c.keys))
		count := true
		for i, k := range c.keys {
			m := metricByKey(k)
			count = count && m.count
			names = append(names, m.name+"（"+m.unit+"）")
			for _, wk := range rows {
				vals[i] = append(vals[i], wk.Vals[k].Num)
			}
		}
		p.addChart(title, "pub_"+c.id, "h360", publicBarChart("pub_"+c.id, title, rowLabels(rows), names, vals, count),
			fmt.Sprintf("小于%d的数目不画柱，CSV中显示为“<%d”；为防止推算而隐去的显示为“*”。", s.SmallCount, s.SmallCount), o.CSVBase+c.id+".csv")
	}
	p.Tables = append(p.Tables, tot)
	if err := p.addMap(ctx, db, s.Villages); err != nil {
		return err
	}
	return p.render(w)
}

// PublicCSV writes one chart of the last published snapshot as CSV (UTF-8 with BOM, for Excel).
func PublicCSV(ctx context.Context, db *warehouse.DB, chart string, w io.Writer) error {
	snap, err := LatestSnapshot(ctx, db)
	if err != nil {
		return err
	}
	if snap == nil {
		return ErrNotPublished
	}
	return statsCSV(&snap.Stats, chart, w)
}

// ErrNotPublished is returned when no statistics snapshot was published yet.
var ErrNotPublished = errors.New("统计数据尚未发布")

// ErrUnknownChart is returned for a chart id that the public page does not have.
var ErrUnknownChart = errors.New("unknown chart")

func statsCSV(s *Stats, chart string, w io.Writer) error {
	for _, c := range publicCharts {
		if c.id != chart {
			continue
		}
		if _, err := io.WriteString(w, "\ufeff"); err != nil {
			return err
		}
		cw := csv.NewWriter(w)
		rows, _, ok := s.chartRows(c.keys, c.title)
		head := []string{"统计周", "起始日"}
		if len(rows) > 0 && rows[0].Week == monthLabel(rows[0].Start) {
			head[0] = "月份"
		}
		for _, k := range c.keys {
			m := metricByKey(k)
			head = append(head, m.name+"（"+m.unit+"）")
		}
		cw.Write(head)
		if !ok {
			rows = nil
		}
		for _, wk := range rows {
			label := wk.Week
			if head[0] == "统计周" {
				label = weekLabel(wk.Start, rows[0].Start)
			}
			row := []string{label, wk.Start}
			for _, k := range c.keys {
				row = append(row, wk.Vals[k].Text)
			}
			cw.Write(row)
		}
		cw.Flush()
		return cw.Error()
	}
	return fmt.Errorf("%w %q", ErrUnknownChart, chart)
}
