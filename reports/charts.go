package reports

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"math"
	"regexp"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/render"

	"landwatch/campaign"
	"landwatch/queries"
	"landwatch/reports/pdf"
	"landwatch/warehouse"
)

// The ECharts 5 script (Apache-2.0, licence and notice next to it), served by the binary itself:
// pages never load anything from another host.
//
//go:embed assets
var assetFS embed.FS

// AssetsPath is where the portal serves Assets(); every chart page loads its script from there.
const AssetsPath = "/assets/reports/"

// Assets returns the chart pages' static files (echarts.min.js and its licence).
func Assets() fs.FS {
	sub, err := fs.Sub(assetFS, "assets")
	if err != nil {
		panic(err) // the embedded directory is fixed at build time
	}
	return sub
}

// chartBox is one chart of a page: the element's id and height, its script, and for public charts
// the CSV export's URL.
type chartBox struct {
	Title  string
	ID     string
	Height string      // a CSS class: h320, h360 or h520
	Script template.JS // JavaScript (no <script> element)
	CSV    string
	Note   string
	Text   string // a sentence instead of the chart (a chart all of whose figures are suppressed)
}

// scriptRe takes the JavaScript out of a go-echarts snippet's <script> element.
var scriptRe = regexp.MustCompile(`(?s)<script[^>]*>(.*?)</script>`)

// chartScript renders a chart's script. The pages keep to the portal's Content-Security-Policy:
// no inline style attributes (go-echarts' element has one, so the page writes its own), and the
// scripts carry the response's nonce.
func chartScript(r render.Renderer) template.JS {
	var b strings.Builder
	for _, m := range scriptRe.FindAllStringSubmatch(r.RenderSnippet().Script, -1) {
		b.WriteString(m[1])
		b.WriteString("\n")
	}
	return template.JS(b.String())
}

func initOpts(id, height string) charts.GlobalOpts {
	return charts.WithInitializationOpts(opts.Initialization{ChartID: id, Width: "100%", Height: height,
		AssetsHost: AssetsPath, Renderer: "canvas"})
}

func toolbox(name string) charts.GlobalOpts {
	return charts.WithToolboxOpts(opts.Toolbox{Show: opts.Bool(true), Right: "2%",
		Feature: &opts.ToolBoxFeature{SaveAsImage: &opts.ToolBoxFeatureSaveAsImage{Show: opts.Bool(true), Type: "png", Name: name, Title: "下载PNG"}}})
}

var common = []charts.GlobalOpts{
	charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
	charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0"}),
	charts.WithGridOpts(opts.Grid{Left: "3%", Right: "4%", Bottom: "3%", Top: "40", ContainLabel: opts.Bool(true)}),
	charts.WithAnimation(false),
}

func hexColor(c pdf.RGB) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

// barChart builds a bar chart of named series over categories; nil values are gaps.
func barChart(id, file string, cats []string, names []string, vals [][]*float64, stack bool, percent bool) render.Renderer {
	b := charts.NewBar()
	gopts := append([]charts.GlobalOpts{initOpts(id, "360px"), toolbox(file)}, common...)
	if percent {
		gopts = append(gopts, charts.WithYAxisOpts(opts.YAxis{Max: 100, AxisLabel: &opts.AxisLabel{Formatter: "{value}%"}}))
	}
	if len(cats) > 8 { // show every label, slanted
		gopts = append(gopts, charts.WithXAxisOpts(opts.XAxis{AxisLabel: &opts.AxisLabel{Interval: "0", Rotate: 35}}))
	}
	b.SetGlobalOptions(gopts...)
	b.SetXAxis(cats)
	for i, n := range names {
		data := make([]opts.BarData, len(cats))
		for k := range cats {
			if v := vals[i][k]; v != nil {
				data[k] = opts.BarData{Value: *v}
			} else {
				data[k] = opts.BarData{Value: "-"}
			}
		}
		so := []charts.SeriesOpts{charts.WithItemStyleOpts(opts.ItemStyle{Color: hexColor(pdf.Palette[i%len(pdf.Palette)])})}
		if stack {
			so = append(so, charts.WithBarChartOpts(opts.BarChart{Stack: "total"}))
		}
		b.AddSeries(n, data, so...)
	}
	return b
}

func lineChart(id, file string, cats []string, names []string, vals [][]*float64) render.Renderer {
	l := charts.NewLine()
	l.SetGlobalOptions(append([]charts.GlobalOpts{initOpts(id, "320px"), toolbox(file)}, common...)...)
	l.SetXAxis(cats)
	for i, n := range names {
		data := make([]opts.LineData, len(cats))
		for k := range cats {
			if v := vals[i][k]; v != nil {
				data[k] = opts.LineData{Value: *v}
			} else {
				data[k] = opts.LineData{Value: "-"}
			}
		}
		l.AddSeries(n, data, charts.WithItemStyleOpts(opts.ItemStyle{Color: hexColor(pdf.Palette[i%len(pdf.Palette)])}))
	}
	return l
}

func fp(v float64) *float64 { return &v }

func pct(v float64) *float64 {
	if math.IsNaN(v) {
		return nil
	}
	return fp(math.Round(v*1000) / 10)
}

// pageData is what the page template shows.
type pageData struct {
	Back     string
	BackText string // the back link's words; "" = 返回工作台
	Map      template.HTML
	MapNote  string
	Title    string
	Subtitle string
	Assets   string
	Nonce    string
	Notice   string
	Charts   []chartBox
	Tables   []htmlTable
	Footer   string
}

type htmlTable struct {
	Title string
	Head  []string
	Rows  [][]string
}

// PageOptions are what a chart page needs from the server that serves it.
type PageOptions struct {
	// Nonce is the Content-Security-Policy nonce of the response: the page's <style> and
	// <script> elements carry it. Empty when the page is not served under such a policy.
	Nonce string
	// CSVBase is the URL prefix of the public page's CSV downloads (CSVBase + chart id + ".csv").
	CSVBase string
	// Township, when set, limits the dashboard to one township (the township role): its scorecard,
	// its violations by category and its map; the county-wide weekly charts are left out.
	Township string
	// Back, when set, is the URL of a "back" link in the page's header (the staff console), with
	// BackText its words (default 返回工作台).
	Back, BackText string
}

var pageTpl = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<link rel="icon" href="data:,">
<script src="{{.Assets}}echarts.min.js"></script>
<style{{if .Nonce}} nonce="{{.Nonce}}"{{end}}>
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC",sans-serif;margin:0;background:#f5f6f8;color:#222}
header{background:#b22222;color:#fff;padding:14px 24px}header a{color:#fff;font-size:13px}header h1{margin:0;font-size:22px}header p{margin:4px 0 0;font-size:13px;opacity:.9}
main{max-width:1180px;margin:0 auto;padding:16px}
.notice{background:#fff8e1;border:1px solid #f0d58a;padding:10px 14px;margin-bottom:14px;font-size:14px}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(520px,100%),1fr));gap:14px}
.card{background:#fff;border:1px solid #dde1e6;border-radius:4px;padding:10px 12px;min-width:0;overflow-x:auto}.card.wide{margin-top:14px}
.card h2{font-size:16px;margin:2px 0 8px}.card .links{font-size:13px;margin-top:6px}.card .note{font-size:12px;color:#666}
.map svg{display:block;width:100%;max-width:720px;height:auto;margin:0 auto}.chart{width:100%}.h320{height:320px}.h360{height:360px}.h520{height:520px}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border:1px solid #dde1e6;padding:4px 6px;text-align:center}th{background:#e2e8f0}
footer{color:#777;font-size:12px;text-align:center;padding:16px}
</style>
</head>
<body>
<header>{{if .Back}}<a href="{{.Back}}">← {{or .BackText "返回工作台"}}</a>{{end}}<h1>{{.Title}}</h1><p>{{.Subtitle}}</p></header>
<main>
{{if .Notice}}<div class="notice">{{.Notice}}</div>{{end}}
<div class="grid">
{{range .Charts}}<section class="card"><h2>{{.Title}}</h2>{{if .Text}}<p class="note" id="{{.ID}}">{{.Text}}</p>{{else}}<div class="chart {{.Height}}" id="{{.ID}}"></div>{{end}}{{if .CSV}}<div class="links">下载：<a href="{{.CSV}}" download>CSV数据</a> · PNG图片（图表右上角按钮）</div>{{end}}{{if .Note}}<div class="note">{{.Note}}</div>{{end}}</section>
{{end}}
</div>
{{if .Map}}<section class="card wide"><h2>各村违法问题及整改情况分布图</h2><div class="map">{{.Map}}</div><div class="note">{{.MapNote}}</div></section>
{{end}}{{range .Tables}}<section class="card wide"><h2>{{.Title}}</h2><table><tr>{{range .Head}}<th>{{.}}</th>{{end}}</tr>{{range .Rows}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>{{end}}</table></section>
{{end}}
</main>
<footer>{{.Footer}}</footer>
{{range .Charts}}{{if .Script}}<script{{if $.Nonce}} nonce="{{$.Nonce}}"{{end}}>{{.Script}}</script>
{{end}}{{end}}
</body>
</html>
`))

func (p *pageData) render(w io.Writer) error {
	p.Assets = AssetsPath
	if err := pageTpl.Execute(w, p); err != nil {
		return fmt.Errorf("render page: %w", err)
	}
	return nil
}

// addChart adds a chart to the page.
func (p *pageData) addChart(title, id, height string, r render.Renderer, note, csv string) {
	p.Charts = append(p.Charts, chartBox{Title: title, ID: id, Height: height, Script: chartScript(r), Note: note, CSV: csv})
}

// Dashboard writes the staff dashboard (工作看板) as of the last models run: weekly clues by
// source, weekly progress, rates and levels per township, violations by category, and the map.
func Dashboard(ctx context.Context, db *warehouse.DB, w io.Writer, o PageOptions) error {
	cfg, err := db.Config(ctx)
	if err != nil {
		return err
	}
	asOf, err := queries.LatestAsOf(ctx, db)
	if err != nil {
		return err
	}
	score, err := scorecard(ctx, db, asOf)
	if err != nil {
		return err
	}
	if o.Township != "" {
		var keep []scoreRow
		for _, r := range score {
			if r.Township == o.Township {
				keep = append(keep, r)
			}
		}
		score = keep
	}
	weeks, err := campaignWeeks(ctx, db, asOf)
	if err != nil {
		return err
	}
	cats, err := violationsByCategory(ctx, db, o.Township)
	if err != nil {
		return err
	}
	p := &pageData{Title: cfg.County.Name + cfg.Campaign.ShortName + "工作看板",
		Subtitle: fmt.Sprintf("数据截至%s · %s", pdf.Date(asOf), phaseLine(cfg, asOf)),
		Footer:   "数据来源：专项行动数据仓库（与工作周报同源）"}

	var wk []string
	clueVals := make([][]*float64, len(clueSources))
	prog := make([][]*float64, 4)
	for _, r := range weeks {
		wk = append(wk, shortWeek(r.Week))
		for i := range clueSources {
			clueVals[i] = append(clueVals[i], fp(r.Clues[i]))
		}
		for i, v := range []float64{r.ViolationsVerified, r.ProblemsListed, r.ItemsRectified, r.CasesFiled} {
			prog[i] = append(prog[i], fp(v))
		}
	}
	var srcNames []string
	for _, s := range clueSources {
		srcNames = append(srcNames, s.name)
	}
	p.Nonce, p.Back = o.Nonce, o.Back
	if o.Township != "" {
		p.Title = o.Township + "专项行动工作看板"
	}
	if o.Township == "" {
		p.addChart("每周新增线索（按来源）", "clues", "h360", barChart("clues", "每周新增线索", wk, srcNames, clueVals, true, false), "", "")
		p.addChart("每周工作进展", "progress", "h320", lineChart("progress", "每周工作进展", wk, []string{"核实违法", "列入问题", "完成整改", "立案"}, prog), "", "")
	}

	var towns []string
	rates := make([][]*float64, 2)
	for _, r := range score {
		towns = append(towns, r.Township)
		rates[0] = append(rates[0], pct(nanIfNull(r.MissedRate)))
		rates[1] = append(rates[1], pct(nanIfNull(r.RectRate)))
	}
	p.addChart("各乡镇漏排率与按期整改率（%）", "rates", "h360", barChart("rates", "漏排率与整改率", towns, []string{"漏排率", "按期整改率"}, rates, false, true),
		"无到期数据的乡镇不画柱。", "")

	levels := charts.NewPie()
	levels.SetGlobalOptions(initOpts("levels", "320px"), toolbox("考核等级"), charts.WithAnimation(false),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0"}))
	// the county's townships by level (mart_county_scorecard); one township's page, its own level
	counts, err := county(ctx, db, asOf)
	if err != nil {
		return err
	}
	if o.Township != "" {
		counts = countyRow{}
		for _, r := range score {
			switch r.Level {
			case "red":
				counts.Red++
			case "yellow":
				counts.Yellow++
			case "green":
				counts.Green++
			}
		}
	}
	var pie []opts.PieData
	for _, l := range []struct {
		key string
		n   int64
	}{{"red", counts.Red}, {"yellow", counts.Yellow}, {"green", counts.Green}} {
		pie = append(pie, opts.PieData{Name: campaign.Label("level", l.key) + "牌", Value: l.n, ItemStyle: &opts.ItemStyle{Color: hexColor(pdf.LevelColors[l.key])}})
	}
	levels.AddSeries("考核等级", pie)
	p.addChart("乡镇考核等级", "levels", "h320", levels, "", "")

	var catNames []string
	catVals := make([][]*float64, 1)
	for _, c := range cats {
		catNames = append(catNames, c.Name) // the category's plain name (dim_categories), never its code
		catVals[0] = append(catVals[0], fp(float64(c.N)))
	}
	p.addChart("违法点位按类别", "categories", "h360", barChart("categories", "违法点位按类别", catNames, []string{"违法点位"}, catVals, false, false), "", "")

	m, err := townshipMap(ctx, db, cfg, o.Township)
	if err != nil {
		return err
	}
	p.addChart("违法点位与排查问题分布图", "map", "h520", m, "颜色表示状态；配置了乡镇边界时画出边界。", "")

	head := []string{"乡镇", "应排查", "漏排", "漏排率", "到期事项", "整改率", "逾期未改", "属地新增", "巡查周数", "等级", "原因"}
	t := htmlTable{Title: "乡镇考核（由差到好）", Head: head}
	ranked := append([]scoreRow(nil), score...)
	rankWorstFirst(ranked)
	for _, r := range ranked {
		t.Rows = append(t.Rows, []string{r.Township, fmt.Sprint(r.ViolationsDue), fmt.Sprint(r.Missed), pdf.Rate(r.MissedRate),
			fmt.Sprint(r.LedgerDue), pdf.Rate(r.RectRate), fmt.Sprint(r.OverdueOpen), fmt.Sprint(r.NewAfter),
			fmt.Sprintf("%d/%d", r.PatrolDone, r.PatrolWeeks), campaign.Label("level", r.Level), r.Reasons})
	}
	p.Tables = append(p.Tables, t)
	return p.render(w)
}

// mapPoint is a point of the map.
type mapPoint struct {
	ID, Series string
	Lon, Lat   float64
}

var statusColor = map[string]string{"违法点位·已排查发现": "#2e7d32", "违法点位·应排漏排": "#d32f2f",
	"违法点位·未到排查期限": "#757575", "违法点位·整改后属地新增": "#8e24aa",
	"排查问题·已整改": "#1e88e5", "排查问题·整改中": "#f0aa00", "排查问题·未整改": "#ff6f00"}

// mapPoints reads the violations (mart_violations) and the problems of the ledger (mart_ledger)
// that have coordinates.
func mapPoints(ctx context.Context, q querier, township string) ([]mapPoint, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT violation_id, coalesce(detection_status, ''), lon, lat FROM mart_violations
		WHERE lon IS NOT NULL AND lat IS NOT NULL AND (? = '' OR township = ?)
		UNION ALL
		SELECT item_id, 'problem:' || coalesce(status_as_of, ''), lon, lat FROM mart_ledger
		WHERE kind = 'problem' AND lon IS NOT NULL AND lat IS NOT NULL AND (? = '' OR township = ?)
		ORDER BY 1`, township, township, township, township)
	if err != nil {
		return nil, fmt.Errorf("read map points: %w", err)
	}
	defer rows.Close()
	var out []mapPoint
	for rows.Next() {
		var p mapPoint
		var st string
		if err := rows.Scan(&p.ID, &st, &p.Lon, &p.Lat); err != nil {
			return nil, fmt.Errorf("read map points: %w", err)
		}
		if len(st) > 8 && st[:8] == "problem:" {
			p.Series = "排查问题·" + st[8:]
		} else {
			p.Series = "违法点位·" + campaign.Label("detection_status", st)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// boundaryGeoJSON returns the township boundaries stored by `landwatch init --boundaries`
// (dim_township_boundaries; only township's own when set and stored) as a FeatureCollection
// for echarts.registerMap, or else the county's bounding box as one feature.
func boundaryGeoJSON(ctx context.Context, db *warehouse.DB, cfg *campaign.Config, township string) ([]byte, []campaign.Boundary, error) {
	all, err := db.Boundaries(ctx)
	if err != nil {
		return nil, nil, err
	}
	bs := all
	if township != "" {
		bs = nil
		for _, b := range all {
			if b.Township == township {
				bs = append(bs, b)
			}
		}
		if len(bs) == 0 {
			bs = all
		}
	}
	if len(bs) > 0 {
		var buf bytes.Buffer
		buf.WriteString(`{"type":"FeatureCollection","features":[`)
		for i, b := range bs {
			if i > 0 {
				buf.WriteString(",")
			}
			if !json.Valid(b.GeoJSON) {
				return nil, nil, fmt.Errorf("dim_township_boundaries: the feature of %s is not JSON", b.Township)
			}
			buf.Write(b.GeoJSON)
		}
		buf.WriteString("]}")
		return buf.Bytes(), bs, nil
	}
	b := cfg.County.BBox
	fc := map[string]any{"type": "FeatureCollection", "features": []any{map[string]any{
		"type": "Feature", "properties": map[string]any{"name": cfg.County.Name},
		"geometry": map[string]any{"type": "Polygon", "coordinates": [][][2]float64{{
			{b.MinLon, b.MinLat}, {b.MaxLon, b.MinLat}, {b.MaxLon, b.MaxLat}, {b.MinLon, b.MaxLat}, {b.MinLon, b.MinLat}}}},
	}}}
	data, err := json.Marshal(fc)
	return data, nil, err
}

// townshipSeries is the name of the map's series of township labels.
const townshipSeries = "乡镇"

const mapName = "landwatch_county"

func townshipMap(ctx context.Context, db *warehouse.DB, cfg *campaign.Config, township string) (render.Renderer, error) {
	pts, err := mapPoints(ctx, db, township)
	if err != nil {
		return nil, err
	}
	geo, bounds, err := boundaryGeoJSON(ctx, db, cfg, township)
	if err != nil {
		return nil, err
	}
	g := charts.NewGeo()
	g.SetGlobalOptions(initOpts("map", "520px"), toolbox("分布图"), charts.WithAnimation(false),
		charts.WithGeoComponentOpts(opts.GeoComponent{Map: mapName,
			ItemStyle: &opts.ItemStyle{Color: "#eef2f6", BorderColor: "#8a99ad"}}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0", Type: "scroll"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item",
			Formatter: opts.FuncOpts(`function (p) { return p.seriesName + '<br>' + p.name; }`)}))
	var order []string
	bySeries := map[string][]opts.GeoData{}
	for _, p := range pts {
		if _, ok := bySeries[p.Series]; !ok {
			order = append(order, p.Series)
		}
		bySeries[p.Series] = append(bySeries[p.Series], opts.GeoData{Name: p.ID, Value: []float64{p.Lon, p.Lat}})
	}
	if len(bounds) > 0 {
		// Township names at the centroids of their boundaries.
		var names []opts.GeoData
		for _, b := range bounds {
			names = append(names, opts.GeoData{Name: b.Township, Value: []float64{b.Lon, b.Lat}})
		}
		g.AddSeries(townshipSeries, "scatter", names, charts.WithItemStyleOpts(opts.ItemStyle{Color: "#8a99ad"}),
			charts.WithScatterChartOpts(opts.ScatterChart{CoordSystem: "geo", SymbolSize: 4}),
			charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Formatter: "{b}", Position: "right", Color: "#51606f"}))
	}
	for _, s := range order {
		so := []charts.SeriesOpts{}
		if c := statusColor[s]; c != "" {
			so = append(so, charts.WithItemStyleOpts(opts.ItemStyle{Color: c}))
		}
		g.AddSeries(s, "scatter", bySeries[s], so...)
	}
	return &geoWithMap{Geo: g, geojson: geo}, nil
}

// geoWithMap prepends echarts.registerMap to the geo chart's script.
type geoWithMap struct {
	*charts.Geo
	geojson []byte
}

func (g *geoWithMap) RenderSnippet() render.ChartSnippet {
	s := g.Geo.RenderSnippet()
	var b bytes.Buffer
	fmt.Fprintf(&b, "<script type=\"text/javascript\">echarts.registerMap(%q, %s);</script>\n", mapName, jsSafe(g.geojson))
	s.Script = b.String() + s.Script
	return s
}

// jsSafe makes JSON safe inside a <script> element.
func jsSafe(b []byte) []byte {
	b = bytes.ReplaceAll(b, []byte("</"), []byte(`<\/`))
	b = bytes.ReplaceAll(b, []byte("<!--"), []byte(`<\!--`))
	return b
}
