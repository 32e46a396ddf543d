package reports

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"math"
	"time"

	"landwatch/campaign"
	"landwatch/reports/pdf"
	"landwatch/warehouse"
)

// Limits that keep the briefing within six pages; the rest is counted and named where to find it.
const (
	maxOverdueRows = 45
	maxPriceRows   = 15
	maxAlertRows   = 25
	maxWeeksShown  = 8
)

// briefing is everything one weekly briefing shows, read from the marts.
type briefing struct {
	cfg        *campaign.Config
	asOf       time.Time
	prevAsOf   time.Time
	hasPrev    bool
	score      []scoreRow // ranked worst first
	county     countyRow  // the county's row (mart_county_scorecard) of asOf, and of prevAsOf
	prev       countyRow
	weeks      []weekRow
	overdue    []ledgerItem
	prices     []priceCase
	alerts     []powerAlert
	categories []categoryCount
	fresh      []freshRow
	gaps       []silentMeter
	speed      []speedRow     // briefing_enforcement.go
	stages     []stageOverdue // briefing_enforcement.go
	rates      []actionRate   // briefing_actions.go
}

// Weekly writes the weekly PDF briefing (工作周报) as of asOf to w. Every figure comes from the
// marts, which must have been built as of asOf (`landwatch models run --as-of asOf`).
func Weekly(ctx context.Context, db *warehouse.DB, asOf time.Time, w io.Writer) error {
	asOf = dateOnly(asOf)
	cfg, err := db.Config(ctx)
	if err != nil {
		return err
	}
	return atDay(ctx, db, asOf, func(q querier) error {
		b, err := loadBriefing(ctx, q, cfg, asOf)
		if err != nil {
			return err
		}
		return b.render(w)
	})
}

func loadBriefing(ctx context.Context, db querier, cfg *campaign.Config, asOf time.Time) (*briefing, error) {
	var err error
	b := &briefing{cfg: cfg, asOf: asOf}
	if b.score, err = scorecard(ctx, db, asOf); err != nil {
		return nil, err
	}
	rankWorstFirst(b.score)
	if b.prevAsOf, b.hasPrev, err = previousAsOf(ctx, db, asOf); err != nil {
		return nil, err
	}
	if b.county, err = county(ctx, db, asOf); err != nil {
		return nil, err
	}
	if b.hasPrev {
		if b.prev, err = county(ctx, db, b.prevAsOf); err != nil {
			return nil, err
		}
	}
	if b.weeks, err = campaignWeeks(ctx, db, asOf); err != nil {
		return nil, err
	}
	if b.overdue, err = overdueItems(ctx, db); err != nil {
		return nil, err
	}
	if b.prices, err = latePrices(ctx, db); err != nil {
		return nil, err
	}
	if b.alerts, err = uncheckedAlerts(ctx, db); err != nil {
		return nil, err
	}
	if b.categories, err = violationsByCategory(ctx, db, ""); err != nil {
		return nil, err
	}
	if b.fresh, err = dataFreshness(ctx, db); err != nil {
		return nil, err
	}
	if b.gaps, err = powerGaps(ctx, db); err != nil {
		return nil, err
	}
	if b.speed, err = enforcementSpeed(ctx, db); err != nil {
		return nil, err
	}
	if b.stages, err = stagesOverdue(ctx, db); err != nil {
		return nil, err
	}
	if b.rates, err = actionRates(ctx, db); err != nil {
		return nil, err
	}
	return b, nil
}

// monday is the Monday of the week holding the as-of date: the briefing's week runs from it to Sunday.
func (b *briefing) monday() time.Time { return b.asOf.AddDate(0, 0, -int((b.asOf.Weekday()+6)%7)) }

// week names the briefing's week by its dates, 2023年4月10日至16日 (never by an ISO week number).
func (b *briefing) week() string {
	m := b.monday()
	return fmt.Sprintf("%d年", m.Year()) + campaign.DaySpan(m, m.AddDate(0, 0, 6))
}

func (b *briefing) title() string {
	return fmt.Sprintf("%s%s工作周报（%s）", b.cfg.County.Name, b.cfg.Campaign.ShortName, b.week())
}

// phaseLine describes the campaign phase on the as-of date and the days left in it.
func phaseLine(cfg *campaign.Config, asOf time.Time) string {
	p, ok := cfg.PhaseOn(asOf)
	switch {
	case ok:
		left := int(campaign.Day(p.End).Sub(asOf).Hours() / 24)
		if left == 0 {
			return fmt.Sprintf("当前阶段：%s（%s至%s），本阶段今日结束", p.Name, pdf.Date(campaign.Day(p.Start)), pdf.Date(campaign.Day(p.End)))
		}
		return fmt.Sprintf("当前阶段：%s（%s至%s），距本阶段结束还有%d天", p.Name, pdf.Date(campaign.Day(p.Start)), pdf.Date(campaign.Day(p.End)), left)
	case asOf.Before(cfg.Start()):
		return fmt.Sprintf("专项行动尚未开始（%s开始）", pdf.Date(cfg.Start()))
	default:
		return fmt.Sprintf("专项行动已于%s结束", pdf.Date(cfg.End()))
	}
}

func fmtNum(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

// fmtYuan formats an amount in yuan, in 万元 from ten thousand up.
func fmtYuan(v float64) string {
	if math.Abs(v) >= 10000 {
		return fmt.Sprintf("%.2f万元", v/10000)
	}
	return fmt.Sprintf("%.0f元", v)
}

// deltaCount describes the change of a count against the previous week.
func deltaCount(cur, prev int64, ok bool) string {
	switch {
	case !ok:
		return "上周无数据"
	case cur > prev:
		return fmt.Sprintf("较上周 ↑%d", cur-prev)
	case cur < prev:
		return fmt.Sprintf("较上周 ↓%d", prev-cur)
	}
	return "与上周持平"
}

// deltaRate describes the change of a rate in percentage points.
func deltaRate(cur, prev sql.NullFloat64, ok bool) string {
	switch {
	case !ok || !prev.Valid:
		return "上周无数据"
	case !cur.Valid:
		return "本周无数据"
	}
	pp := (cur.Float64 - prev.Float64) * 100
	switch {
	case pp > 0.05:
		return fmt.Sprintf("较上周 ↑%.1f个百分点", pp)
	case pp < -0.05:
		return fmt.Sprintf("较上周 ↓%.1f个百分点", -pp)
	}
	return "与上周持平"
}

func (b *briefing) render(w io.Writer) error {
	footer := fmt.Sprintf("%s · %s · %s · 数据截至%s", b.cfg.County.Name, b.cfg.Campaign.ShortName, b.week(), pdf.Date(b.asOf))
	d := pdf.New(b.title(), footer, time.Now())
	d.AddPage()
	b.titleBlock(d)
	b.headline(d)
	b.scorecardTable(d)
	b.accountability(d)
	b.charts(d)
	b.overdueList(d)
	b.priceList(d)
	b.alertList(d)
	b.tipsAndRewards(d)
	b.freshness(d)
	b.enforcement(d)
	return d.Render(w)
}

func (b *briefing) titleBlock(d *pdf.Doc) {
	d.Font(9)
	d.Color(pdf.ColMuted)
	d.SetX(pdf.MarginL)
	d.CellFormat(pdf.BodyW, 5, pdf.Clean(b.cfg.Campaign.Name+"领导小组办公室"), "", 1, "C", false, 0, "")
	d.Font(18)
	d.Color(pdf.ColTitle)
	for _, l := range d.Wrap(b.title(), pdf.BodyW) {
		d.SetX(pdf.MarginL)
		d.CellFormat(pdf.BodyW, 9, l, "", 1, "C", false, 0, "")
	}
	d.Draw(pdf.ColTitle)
	d.SetLineWidth(0.6)
	d.Line(pdf.MarginL, d.GetY()+1, pdf.MarginL+pdf.BodyW, d.GetY()+1)
	d.SetLineWidth(0.2)
	d.Ln(3)
	d.Color(pdf.ColText)
	d.Font(9.5)
	monday := b.monday()
	lines := []string{
		fmt.Sprintf("县（区）：%s%s%s　　专项行动：%s", b.cfg.County.Province, b.cfg.County.City, b.cfg.County.Name, b.cfg.Campaign.Name),
		fmt.Sprintf("统计周：%s（%s至%s）　　数据截至：%s", b.week(), pdf.Date(monday), pdf.Date(monday.AddDate(0, 0, 6)), pdf.Date(b.asOf)),
		phaseLine(b.cfg, b.asOf),
	}
	if f := b.frozenAt(); !f.IsZero() {
		lines = append(lines, fmt.Sprintf("已锁定：本期数据已于%s锁定，此后不再变动", f.Format("2006-01-02 15:04")))
	}
	for _, l := range lines {
		for _, ll := range d.Wrap(l, pdf.BodyW) {
			d.SetX(pdf.MarginL)
			d.CellFormat(pdf.BodyW, 5, ll, "", 1, "L", false, 0, "")
		}
	}
}

type card struct{ label, value, delta string }

func (b *briefing) headline(d *pdf.Doc) {
	d.Heading("一、总体情况")
	cur, prev := b.county, b.prev
	ok := b.hasPrev
	cards := []card{
		{"应排查违法点位", fmt.Sprint(cur.ViolationsDue), deltaCount(cur.ViolationsDue, prev.ViolationsDue, ok)},
		{"应排漏排", fmt.Sprintf("%d处", cur.Missed), deltaCount(cur.Missed, prev.Missed, ok)},
		{"全县漏排率", pdf.Rate(cur.MissedRate), deltaRate(cur.MissedRate, prev.MissedRate, ok)},
		{"整改后属地新增", fmt.Sprintf("%d处", cur.NewAfter), deltaCount(cur.NewAfter, prev.NewAfter, ok)},
		{"到期整改事项", fmt.Sprintf("%d项", cur.LedgerDue), deltaCount(cur.LedgerDue, prev.LedgerDue, ok)},
		{"按期整改率", pdf.Rate(cur.RectRate), deltaRate(cur.RectRate, prev.RectRate, ok)},
		{"逾期未整改", fmt.Sprintf("%d项", cur.OverdueOpen), deltaCount(cur.OverdueOpen, prev.OverdueOpen, ok)},
		{"红牌 / 黄牌乡镇", fmt.Sprintf("%d / %d", cur.Red, cur.Yellow), deltaCount(cur.Red, prev.Red, ok) + "（红牌）"},
	}
	const perRow = 4
	cw, ch := pdf.BodyW/perRow, 17.0
	d.Ensure(ch*2 + 10)
	y0 := d.GetY()
	for i, c := range cards {
		x := pdf.MarginL + cw*float64(i%perRow)
		y := y0 + ch*float64(i/perRow)
		d.Draw(pdf.ColRule)
		d.Fill(pdf.ColZebra)
		d.Rect(x+0.8, y+0.8, cw-1.6, ch-1.6, "FD")
		d.Font(8)
		d.Color(pdf.ColMuted)
		d.SetXY(x+2, y+1.8)
		d.CellFormat(cw-4, 4, d.Fit(c.label, cw-4), "", 0, "L", false, 0, "")
		d.Font(14)
		d.Color(pdf.ColText)
		d.SetXY(x+2, y+6)
		d.CellFormat(cw-4, 6, d.Fit(c.value, cw-4), "", 0, "L", false, 0, "")
		d.Font(7)
		d.Color(pdf.ColMuted)
		d.SetXY(x+2, y+12)
		d.CellFormat(cw-4, 3.5, d.Fit(c.delta, cw-4), "", 0, "L", false, 0, "")
	}
	d.SetXY(pdf.MarginL, y0+ch*float64((len(cards)+perRow-1)/perRow)+1)
	d.Color(pdf.ColText)
	note := "注：“较上周”与上周统计日比较"
	if b.hasPrev {
		note += "（" + pdf.Date(b.prevAsOf) + "）"
	}
	note += "；比率按到期事项计算，无到期事项时记为“—”。"
	if n := len(b.weeks); n > 0 {
		last := b.weeks[n-1]
		clues := 0.0
		for _, v := range last.Clues {
			clues += v
		}
		note = fmt.Sprintf("本周（%s）新增线索%s条（含群众举报%s件），核实违法%s处，列入问题%s个，完成整改%s项，立案%s件，移送公安%s件。",
			campaign.WeekName(last.Week), fmtNum(clues), fmtNum(last.TipsReceived), fmtNum(last.ViolationsVerified), fmtNum(last.ProblemsListed),
			fmtNum(last.ItemsRectified), fmtNum(last.CasesFiled), fmtNum(last.CasesTransferred)) + note
	}
	d.Para(note, 8.5)
}

// scorecardColumns are the columns of the scorecard table; the test reads the PDF by them.
var scorecardColumns = []pdf.Column{
	{Title: "排名", Width: 9, Align: "C"},
	{Title: "乡镇", Width: 20, Align: "L"},
	{Title: "应排查", Width: 12, Align: "R"},
	{Title: "已发现", Width: 12, Align: "R"},
	{Title: "漏排", Width: 11, Align: "R"},
	{Title: "漏排率", Width: 15, Align: "R"},
	{Title: "到期事项", Width: 13, Align: "R"},
	{Title: "按期整改", Width: 13, Align: "R"},
	{Title: "整改率", Width: 15, Align: "R"},
	{Title: "逾期未改", Width: 13, Align: "R"},
	{Title: "属地新增", Width: 13, Align: "R"},
	{Title: "巡查周数", Width: 15, Align: "R"},
	{Title: "等级", Width: 0, Align: "C"},
}

// scorecardCells formats one township's row of the table.
func scorecardCells(rank int, r scoreRow) []pdf.Cell {
	lc, ok := pdf.LevelColors[r.Level]
	level := campaign.Label("level", r.Level)
	if level == "" {
		level = r.Level
	}
	c := []pdf.Cell{
		{Text: fmt.Sprint(rank)}, {Text: r.Township},
		{Text: fmt.Sprint(r.ViolationsDue)}, {Text: fmt.Sprint(r.Detected)}, {Text: fmt.Sprint(r.Missed)},
		{Text: pdf.Rate(r.MissedRate)}, {Text: fmt.Sprint(r.LedgerDue)}, {Text: fmt.Sprint(r.RectOnTime)},
		{Text: pdf.Rate(r.RectRate)}, {Text: fmt.Sprint(r.OverdueOpen)}, {Text: fmt.Sprint(r.NewAfter)},
		{Text: fmt.Sprintf("%d/%d", r.PatrolDone, r.PatrolWeeks)}, {Text: level},
	}
	if ok {
		white := pdf.RGB{R: 255, G: 255, B: 255}
		if r.Level == "yellow" {
			white = pdf.ColText
		}
		c[len(c)-1].BG, c[len(c)-1].FG = &lc, &white
	}
	return c
}

func (b *briefing) scorecardTable(d *pdf.Doc) {
	d.Heading("二、乡镇考核排名（由差到好）")
	t := d.NewTable(8, scorecardColumns...)
	for i, r := range b.score {
		t.Row(scorecardCells(i+1, r)...)
	}
	if len(b.score) == 0 {
		d.Para("本统计日无乡镇考核数据。", 9)
	}
	d.Ln(1)
	d.Para("说明：漏排率＝应排漏排÷应排查违法点位；整改率＝按期整改÷到期整改事项；巡查周数为达标周数/应巡查周数。红、黄、绿等级按专项行动追责问责规则评定。", 7.5)
}

func (b *briefing) accountability(d *pdf.Doc) {
	d.Heading("三、追责问责名单")
	n := 0
	var t *pdf.Table
	for _, r := range b.score {
		if r.Level != "red" && r.Level != "yellow" {
			continue
		}
		if t == nil {
			t = d.NewTable(9, pdf.Column{Title: "乡镇", Width: 24, Align: "L"}, pdf.Column{Title: "等级", Width: 14, Align: "C"},
				pdf.Column{Title: "问题及原因", Width: 0, Align: "L", Wrap: true})
		}
		n++
		lc := pdf.LevelColors[r.Level]
		fg := pdf.RGB{R: 255, G: 255, B: 255}
		if r.Level == "yellow" {
			fg = pdf.ColText
		}
		reasons := r.Reasons
		if reasons == "" {
			reasons = "（未列原因）"
		}
		t.Row(pdf.Cell{Text: r.Township}, pdf.Cell{Text: campaign.Label("level", r.Level) + "牌", BG: &lc, FG: &fg}, pdf.Cell{Text: reasons})
	}
	if n == 0 {
		d.Para("本周无红牌、黄牌乡镇。", 9.5)
	}
}

func (b *briefing) charts(d *pdf.Doc) {
	d.Ensure(95) // keep the heading with the first chart
	d.Heading("四、图表")
	// Weekly clues by source.
	weeks := b.weeks
	var cats []string
	ss := make([]pdf.Series, len(clueSources))
	for i, s := range clueSources {
		ss[i].Name = s.name
	}
	for _, w := range weeks {
		cats = append(cats, shortWeek(w.Week))
		for i := range clueSources {
			ss[i].Vals = append(ss[i].Vals, w.Clues[i])
		}
	}
	y := d.GetY()
	d.VBars(pdf.MarginL, y, pdf.BodyW, 68, "图1  每周新增线索（按来源）", cats, ss, true, false)
	// Rates per township.
	d.Ensure(78)
	y = d.GetY() + 3
	var towns []string
	rates := []pdf.Series{{Name: "漏排率"}, {Name: "按期整改率"}}
	for _, r := range b.byOrder() {
		towns = append(towns, r.Township)
		rates[0].Vals = append(rates[0].Vals, nanIfNull(r.MissedRate))
		rates[1].Vals = append(rates[1].Vals, nanIfNull(r.RectRate))
	}
	d.VBars(pdf.MarginL, y, pdf.BodyW, 72, "图2  各乡镇漏排率与按期整改率（“—”为无到期数据）", towns, rates, false, true)
	// Violations by category.
	var labels []string
	var vals []float64
	for _, c := range b.categories {
		labels = append(labels, c.Code+" "+c.Name)
		vals = append(vals, float64(c.N))
	}
	h := 14 + 6*float64(max(len(labels), 1))
	d.Ensure(h + 3)
	y = d.GetY() + 3
	d.HBars(pdf.MarginL, y, pdf.BodyW, h, "图3  违法点位按类别", labels, vals)
}

// byOrder returns the scorecard in configured township order.
func (b *briefing) byOrder() []scoreRow {
	out := append([]scoreRow(nil), b.score...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && (out[j].Order < out[j-1].Order || out[j].Order == out[j-1].Order && out[j].Township < out[j-1].Township); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func nanIfNull(v sql.NullFloat64) float64 {
	if !v.Valid {
		return math.NaN()
	}
	return v.Float64
}

// shortWeek turns a week kept as "2023-W14" into the day it starts, 4月3日 (a chart's axis, whose
// title says the bars are weeks; sentences give both ends, campaign.WeekName).
func shortWeek(w string) string {
	if m, ok := campaign.WeekMonday(w); ok {
		return fmt.Sprintf("%d月%d日", int(m.Month()), m.Day())
	}
	return w
}

func (b *briefing) overdueList(d *pdf.Doc) {
	d.Heading(fmt.Sprintf("五、逾期未整改事项（%d项）", len(b.overdue)))
	if len(b.overdue) == 0 {
		d.Para("截至统计日，无逾期未整改事项。", 9.5)
		return
	}
	t := d.NewTable(7.5,
		pdf.Column{Title: "序号", Width: 9, Align: "C"}, pdf.Column{Title: "编号", Width: 40, Align: "L"},
		pdf.Column{Title: "类型", Width: 15, Align: "C"}, pdf.Column{Title: "乡镇", Width: 18, Align: "L"},
		pdf.Column{Title: "村", Width: 20, Align: "L"}, pdf.Column{Title: "类别", Width: 11, Align: "C"},
		pdf.Column{Title: "整改期限", Width: 19, Align: "C"}, pdf.Column{Title: "逾期天数", Width: 14, Align: "R"},
		pdf.Column{Title: "状态", Width: 0, Align: "C"})
	for i, it := range b.overdue {
		if i == maxOverdueRows {
			break
		}
		kind := campaign.Label("kind", it.Kind)
		if kind == "" {
			kind = it.Kind
		}
		days := int(b.asOf.Sub(dateOnly(it.Deadline)).Hours() / 24)
		t.Row(pdf.Cell{Text: fmt.Sprint(i + 1)}, pdf.Cell{Text: it.ID}, pdf.Cell{Text: kind}, pdf.Cell{Text: it.Township},
			pdf.Cell{Text: it.Village}, pdf.Cell{Text: it.Category}, pdf.Cell{Text: pdf.Date(it.Deadline)},
			pdf.Cell{Text: fmt.Sprint(days)}, pdf.Cell{Text: it.Status})
	}
	if len(b.overdue) > maxOverdueRows {
		d.Para(fmt.Sprintf("（按整改期限列出前%d项，另有%d项见整改台账。）", maxOverdueRows, len(b.overdue)-maxOverdueRows), 8)
	}
}

func (b *briefing) priceList(d *pdf.Doc) {
	d.Heading(fmt.Sprintf("六、价格认定超期（%d件）", len(b.prices)))
	if len(b.prices) == 0 {
		d.Para(fmt.Sprintf("截至统计日，无超过%d个工作日未完成的价格认定。", b.cfg.Prices.DueWorkdays), 9.5)
		return
	}
	t := d.NewTable(8, pdf.Column{Title: "案件编号", Width: 40, Align: "L"}, pdf.Column{Title: "乡镇", Width: 24, Align: "L"},
		pdf.Column{Title: "申请日期", Width: 24, Align: "C"}, pdf.Column{Title: "应完成日期", Width: 24, Align: "C"},
		pdf.Column{Title: "完成日期", Width: 24, Align: "C"}, pdf.Column{Title: "超期工作日", Width: 0, Align: "R"})
	for i, c := range b.prices {
		if i == maxPriceRows {
			break
		}
		done := "未完成"
		if c.Done.Valid {
			done = pdf.Date(c.Done.Time)
		}
		t.Row(pdf.Cell{Text: c.CaseID}, pdf.Cell{Text: c.Township}, pdf.Cell{Text: pdf.Date(c.Requested)},
			pdf.Cell{Text: pdf.Date(c.Due)}, pdf.Cell{Text: done}, pdf.Cell{Text: fmt.Sprint(c.LateWorkdays)})
	}
	if len(b.prices) > maxPriceRows {
		d.Para(fmt.Sprintf("（列出前%d件，另有%d件见案件台账。）", maxPriceRows, len(b.prices)-maxPriceRows), 8)
	}
}

func (b *briefing) alertList(d *pdf.Doc) {
	d.Heading(fmt.Sprintf("七、待现场核查的用电预警（%d条）", len(b.alerts)))
	if len(b.alerts) == 0 {
		d.Para("截至统计日，所有用电预警均已核查。", 9.5)
		return
	}
	t := d.NewTable(7.5, pdf.Column{Title: "预警编号", Width: 44, Align: "L"}, pdf.Column{Title: "乡镇", Width: 18, Align: "L"},
		pdf.Column{Title: "村", Width: 20, Align: "L"}, pdf.Column{Title: "用电类别", Width: 16, Align: "C"},
		pdf.Column{Title: "规则", Width: 22, Align: "C"}, pdf.Column{Title: "首日", Width: 17, Align: "C"},
		pdf.Column{Title: "末日", Width: 17, Align: "C"}, pdf.Column{Title: "待核天数", Width: 0, Align: "R"})
	for i, a := range b.alerts {
		if i == maxAlertRows {
			break
		}
		rule := campaign.Label("rule", a.Rule)
		t.Row(pdf.Cell{Text: a.ID}, pdf.Cell{Text: a.Township}, pdf.Cell{Text: a.Village}, pdf.Cell{Text: a.CustomerType},
			pdf.Cell{Text: rule}, pdf.Cell{Text: pdf.Date(a.First)}, pdf.Cell{Text: pdf.Date(a.Last)},
			pdf.Cell{Text: fmt.Sprint(int(b.asOf.Sub(dateOnly(a.First)).Hours() / 24))})
	}
	if len(b.alerts) > maxAlertRows {
		d.Para(fmt.Sprintf("（按预警首日列出前%d条，另有%d条见用电预警清单。）", maxAlertRows, len(b.alerts)-maxAlertRows), 8)
	}
}

func (b *briefing) tipsAndRewards(d *pdf.Doc) {
	d.Heading("八、群众举报与奖励")
	if len(b.weeks) == 0 {
		d.Para("暂无举报与奖励数据。", 9.5)
		return
	}
	var tot weekRow
	for _, w := range b.weeks {
		tot.TipsReceived += w.TipsReceived
		tot.TipsVerified += w.TipsVerified
		tot.RewardsApproved += w.RewardsApproved
		tot.RewardsPaid += w.RewardsPaid
		tot.RewardsPaidYuan += w.RewardsPaidYuan
	}
	d.Para(fmt.Sprintf("专项行动以来共受理群众举报%s件，经核查属实%s件；批准奖励%s笔，已发放%s笔，合计%s。",
		fmtNum(tot.TipsReceived), fmtNum(tot.TipsVerified), fmtNum(tot.RewardsApproved), fmtNum(tot.RewardsPaid), fmtYuan(tot.RewardsPaidYuan)), 9.5)
	d.Ln(1)
	t := d.NewTable(8, pdf.Column{Title: "统计周", Width: 52, Align: "C"},
		pdf.Column{Title: "受理举报", Width: 24, Align: "R"}, pdf.Column{Title: "核查属实", Width: 24, Align: "R"},
		pdf.Column{Title: "批准奖励", Width: 24, Align: "R"}, pdf.Column{Title: "发放奖励", Width: 24, Align: "R"},
		pdf.Column{Title: "发放金额", Width: 0, Align: "R"})
	from := max(0, len(b.weeks)-maxWeeksShown)
	for _, w := range b.weeks[from:] {
		t.Row(pdf.Cell{Text: campaign.DaySpan(w.Start, w.Start.AddDate(0, 0, 6))}, pdf.Cell{Text: fmtNum(w.TipsReceived)},
			pdf.Cell{Text: fmtNum(w.TipsVerified)}, pdf.Cell{Text: fmtNum(w.RewardsApproved)},
			pdf.Cell{Text: fmtNum(w.RewardsPaid)}, pdf.Cell{Text: fmtYuan(w.RewardsPaidYuan)})
	}
}

// frozenAt is when the as-of date was frozen (zero when it is not).
func (b *briefing) frozenAt() time.Time {
	for _, r := range b.score {
		if r.FrozenAt.Valid {
			return r.FrozenAt.Time
		}
	}
	return time.Time{}
}

// freshnessKinds are the inputs whose arrival the township table shows, in column order.
var freshnessKinds = []string{"inspection", "patrol", "rectification", "power"}

func (b *briefing) freshness(d *pdf.Doc) {
	d.Heading("九、数据报送情况")
	if len(b.fresh) == 0 {
		d.Para("截至统计日尚未收到任何数据文件。", 9.5)
	} else {
		d.Para("各类数据最近一次送达县领导小组办公室的时间（截至统计日；送达时间以收到文件为准，不以表上所填日期为准）。", 9)
		t := d.NewTable(8, pdf.Column{Title: "数据类别", Width: 28, Align: "L"}, pdf.Column{Title: "最近送达", Width: 34, Align: "C"},
			pdf.Column{Title: "文件数", Width: 18, Align: "R"}, pdf.Column{Title: "最近送达的文件", Width: 0, Align: "L"})
		byTown := map[string]map[string]time.Time{}
		names := map[string]string{}
		for _, r := range b.fresh {
			names[r.Kind] = r.KindName
			if r.Township == "" {
				t.Row(pdf.Cell{Text: r.KindName}, pdf.Cell{Text: r.LastReceived.Format("2006-01-02 15:04")},
					pdf.Cell{Text: fmt.Sprint(r.Files)}, pdf.Cell{Text: r.LastFile})
				continue
			}
			if byTown[r.Township] == nil {
				byTown[r.Township] = map[string]time.Time{}
			}
			byTown[r.Township][r.Kind] = r.LastReceived
		}
		d.Ln(2)
		cols := []pdf.Column{{Title: "乡镇", Width: 30, Align: "L"}}
		for _, k := range freshnessKinds {
			name := names[k]
			if name == "" {
				name = k
			}
			cols = append(cols, pdf.Column{Title: name + "最近送达", Width: 0, Align: "C"})
		}
		tt := d.NewTable(8, cols...)
		for _, tw := range b.cfg.Townships {
			cells := []pdf.Cell{{Text: tw.Name}}
			for _, k := range freshnessKinds {
				at, ok := byTown[tw.Name][k]
				text := "未收到"
				if ok {
					text = at.Format("01-02 15:04")
					if b.asOf.Sub(dateOnly(at)) > 7*24*time.Hour {
						text += "（已" + fmt.Sprint(int(b.asOf.Sub(dateOnly(at)).Hours()/24)) + "天）"
					}
				}
				cells = append(cells, pdf.Cell{Text: text})
			}
			tt.Row(cells...)
		}
	}
	d.Ln(2)
	closed := 0
	for _, m := range b.gaps {
		if m.ClosedMine {
			closed++
		}
	}
	if len(b.gaps) == 0 {
		d.Para(fmt.Sprintf("用电数据：所有监测电表的数据均在统计日前%d天内送达，无数据中断。", b.cfg.Power.SilentDays), 9.5)
		return
	}
	d.Para(fmt.Sprintf("用电数据中断：%d块电表超过%d天无用电数据，其中关闭矿井电表%d块（关闭矿井电表数据中断本身即需现场核查）。",
		len(b.gaps), b.cfg.Power.SilentDays, closed), 9.5)
	t := d.NewTable(8, pdf.Column{Title: "户号", Width: 30, Align: "L"}, pdf.Column{Title: "乡镇", Width: 22, Align: "L"},
		pdf.Column{Title: "村", Width: 24, Align: "L"}, pdf.Column{Title: "用电类别", Width: 22, Align: "C"},
		pdf.Column{Title: "最后读数日", Width: 26, Align: "C"}, pdf.Column{Title: "中断天数", Width: 0, Align: "R"})
	for i, m := range b.gaps {
		if i == maxAlertRows {
			d.Para(fmt.Sprintf("（另有%d块，见数据中断清单。）", len(b.gaps)-maxAlertRows), 8)
			break
		}
		t.Row(pdf.Cell{Text: m.Meter}, pdf.Cell{Text: m.Township}, pdf.Cell{Text: m.Village}, pdf.Cell{Text: m.CustomerType},
			pdf.Cell{Text: pdf.Date(m.LastReading)}, pdf.Cell{Text: fmt.Sprint(m.DaysSilent)})
	}
}
