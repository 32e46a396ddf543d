package synth

import (
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"landwatch/etl/synth/county"
	"landwatch/etl/synth/kit"
	"landwatch/etl/synth/power"
)

func dstr(d kit.Date) any { return d.String() }

// writeRectifications writes each township's ledger updates, a file per week (and the planted
// late file).
func (w *world) writeRectifications(out string) ([]File, error) {
	var files []File
	for _, t := range w.Towns {
		for _, wf := range t.RectFiles {
			rel := wf.Path("rectification")
			var rows [][]any
			for _, i := range wf.Rows {
				r := t.Rects[i]
				rows = append(rows, []any{r.Item, r.Status, dstr(r.Day), r.Verifier, r.Note})
			}
			if err := kit.WriteTable(filepath.Join(out, filepath.FromSlash(rel)), "整改台账", []string{"问题编号", "整改状态", "完成日期", "验收人", "说明"}, rows); err != nil {
				return nil, err
			}
			files = append(files, File{Path: rel, Rows: int64(len(rows)), ReceivedOn: wf.Recv.String()})
		}
	}
	return files, nil
}

// writePatrols writes each township's patrol logs, a file per week.
func (w *world) writePatrols(out string) ([]File, error) {
	var files []File
	for _, t := range w.Towns {
		for _, wf := range t.PatrolFiles {
			rel := wf.Path("patrol")
			var rows [][]any
			for _, i := range wf.Rows {
				p := t.Patrols[i]
				rows = append(rows, []any{t.Name, dstr(p.Day), p.Team, p.Villages, p.Findings})
			}
			if err := kit.WriteTable(filepath.Join(out, filepath.FromSlash(rel)), "巡查记录", []string{"乡镇", "巡查日期", "巡查人员", "巡查村", "发现问题"}, rows); err != nil {
				return nil, err
			}
			files = append(files, File{Path: rel, Rows: int64(len(rows)), ReceivedOn: wf.Recv.String()})
		}
	}
	return files, nil
}

// exportDays are the Sundays (and the last day of the data) on which a weekly register export
// shows something new: the week-ends of the given dates.
func (w *world) exportDays(ds []kit.Date) []kit.Date {
	var out []kit.Date
	for _, d := range ds {
		if d != 0 && d <= w.Scale.ReadTo {
			out = append(out, w.WeekEnd(d))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// upTo is d when it is on or before s, else none: a field of an export made on s.
func upTo(d, s kit.Date) kit.Date {
	if d > s {
		return 0
	}
	return d
}

func xy(has bool, v float64) any {
	if !has {
		return ""
	}
	return v
}

func money(v int64) any {
	if v == 0 {
		return ""
	}
	return float64(v)
}

// writeCases writes the weekly cumulative exports of the case register: every case found by the
// export day, as known that day (later dates blank, the stage reached by then).
func (w *world) writeCases(out string) ([]File, error) {
	header := []string{"案件编号", "线索来源", "来源编号", "乡镇", "村", "经度", "纬度", "违法类型", "发现日期", "立案日期",
		"价格认定申请日期", "价格认定完成日期", "移送公安日期", "移送检察日期", "判决日期", "罚款金额", "没收金额", "状态", "认定价值"}
	var all []kit.Date
	for _, c := range w.Cases {
		all = append(all, c.Found, c.Filed, c.PriceReq, c.PriceDone, c.Police, c.Proc, c.Judged, county.CaseClosed(c))
	}
	var files []File
	for _, s := range w.exportDays(all) {
		rel := filepath.Join("cases", "案件台账-"+s.Compact()+".xlsx")
		var rows [][]any
		for _, c := range w.Cases {
			if c.Found > s {
				continue
			}
			rows = append(rows, w.caseRow(c, s))
		}
		if err := kit.WriteTable(filepath.Join(out, rel), "案件台账", header, rows); err != nil {
			return nil, err
		}
		files = append(files, File{Path: rel, Rows: int64(len(rows)), ReceivedOn: s.String()})
	}
	return files, nil
}

// writeClues writes the weekly cumulative exports of the other clues.
func (w *world) writeClues(out string) ([]File, error) {
	header := []string{"线索编号", "来源", "乡镇", "村", "经度", "纬度", "类别", "发现日期", "核查结果"}
	var all []kit.Date
	for _, c := range w.Clues {
		all = append(all, c.Found)
	}
	var files []File
	for _, s := range w.exportDays(all) {
		rel := filepath.Join("clues", "其他线索-"+s.Compact()+".xlsx")
		var rows [][]any
		for _, c := range w.Clues {
			if c.Found <= s {
				rows = append(rows, []any{c.ID, c.Source, c.Town.Name, c.Village, xy(c.HasXY, c.Pt.Lon), xy(c.HasXY, c.Pt.Lat),
					w.CategoryName(c.Cat), dstr(c.Found), c.Verdict})
			}
		}
		if err := kit.WriteTable(filepath.Join(out, rel), "其他线索", header, rows); err != nil {
			return nil, err
		}
		files = append(files, File{Path: rel, Rows: int64(len(rows)), ReceivedOn: s.String()})
	}
	return files, nil
}

// writeChecks writes the power company's field checks, a file per week.
func (w *world) writeChecks(out string) ([]File, error) {
	var days []kit.Date
	for _, c := range w.Checks {
		days = append(days, c.Recv)
	}
	slices.Sort(days)
	var files []File
	for _, s := range slices.Compact(days) {
		rel := filepath.Join("power-checks", "用电核查-"+s.Monday().Span(s)+".xlsx")
		var rows [][]any
		for _, c := range w.Checks {
			if c.Recv == s {
				rows = append(rows, []any{c.Meter.ID, c.AlertID, dstr(c.Checked), c.Result})
			}
		}
		if err := kit.WriteTable(filepath.Join(out, rel), "用电核查", []string{"户号", "预警编号", "核查日期", "核查结果"}, rows); err != nil {
			return nil, err
		}
		files = append(files, File{Path: rel, Rows: int64(len(rows)), ReceivedOn: s.String()})
	}
	return files, nil
}

// writeImagery writes the weekly cumulative exports of each imaging batch: one GeoJSON
// FeatureCollection per export (batch 2 as csv with WKT), every patch as known that day — a patch
// checked later shows 未核查 and no 核查日期.
func (w *world) writeImagery(out string) ([]File, error) {
	var files []File
	for batch := 1; batch <= 4; batch++ {
		var all []kit.Date
		for _, p := range w.Patches {
			if p.BatchNo == batch {
				all = append(all, p.Imaged, p.Checked)
			}
		}
		for _, s := range w.exportDays(all) {
			var ps []patchAsOf
			for _, p := range w.Patches {
				if p.BatchNo == batch && p.Imaged <= s {
					pa := patchAsOf{Patch: p, verdict: p.Verdict, checked: p.Checked}
					if p.Checked > s {
						pa.verdict, pa.checked = "未核查", 0
					}
					ps = append(ps, pa)
				}
			}
			rel, err := w.writeImageryExport(out, batch, s, ps)
			if err != nil {
				return nil, err
			}
			files = append(files, File{Path: rel, Rows: int64(len(ps)), ReceivedOn: s.String()})
		}
	}
	return files, nil
}

// patchAsOf is a patch as an export shows it.
type patchAsOf struct {
	*county.Patch
	verdict string
	checked kit.Date
}

func (w *world) writeImageryExport(out string, batch int, s kit.Date, ps []patchAsOf) (string, error) {
	rel := w.ImageryPath(batch, s)
	name := strings.TrimSuffix(path.Base(rel), path.Ext(rel))
	if batch == 2 {
		rows := [][]string{{"图斑编号", "批次", "影像日期", "乡镇", "村", "变化类型", "前地类", "后地类", "面积亩", "核查结果", "核查日期", "WKT"}}
		for _, p := range ps {
			rows = append(rows, []string{p.ID, w.batchName(batch), p.Imaged.String(), p.Town.Name, p.Village, p.Change, p.Before, p.After,
				strconv.FormatFloat(p.AreaMu, 'f', 2, 64), p.verdict, p.checked.String(), wkt(p.Polys)})
		}
		return rel, kit.WriteCSV(filepath.Join(out, filepath.FromSlash(rel)), rows, true)
	}
	return rel, kit.WriteFile(filepath.Join(out, filepath.FromSlash(rel)), []byte(w.imageryGeoJSON(name, w.batchName(batch), ps)))
}

// imageryGeoJSON is an imagery export as a FeatureCollection named name, every patch of batch.
func (w *world) imageryGeoJSON(name, batch string, ps []patchAsOf) string {
	var b strings.Builder
	b.WriteString(`{"type":"FeatureCollection","name":`)
	kit.WriteJSONString(&b, name)
	b.WriteString(`,"features":[`)
	for i, p := range ps {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n")
		props := []struct{ k, v string }{{"图斑编号", p.ID}, {"批次", batch}, {"影像日期", p.Imaged.String()},
			{"乡镇", p.Town.Name}, {"村", p.Village}, {"变化类型", p.Change}, {"前地类", p.Before}, {"后地类", p.After}}
		b.WriteString(`{"type":"Feature","properties":{`)
		for j, kv := range props {
			if j > 0 {
				b.WriteString(",")
			}
			kit.WriteJSONString(&b, kv.k)
			b.WriteString(":")
			kit.WriteJSONString(&b, kv.v)
		}
		b.WriteString(`,"面积亩":` + strconv.FormatFloat(p.AreaMu, 'f', 2, 64))
		b.WriteString(`,"核查结果":`)
		kit.WriteJSONString(&b, p.verdict)
		b.WriteString(`,"核查日期":`)
		if p.checked == 0 {
			b.WriteString("null")
		} else {
			kit.WriteJSONString(&b, p.checked.String())
		}
		b.WriteString(`},"geometry":`)
		b.WriteString(geometryJSON(p.Polys))
		b.WriteString("}")
	}
	b.WriteString("\n]}\n")
	return b.String()
}

func (w *world) batchName(n int) string { return fmt.Sprintf("%d年第%d批", w.Cfg.Campaign.Year, n) }

func ringCoords(ring []kit.Point) string {
	parts := make([]string, len(ring))
	for i, p := range ring {
		parts[i] = "[" + power.FmtCoord(p.Lon) + "," + power.FmtCoord(p.Lat) + "]"
	}
	return "[" + strings.Join(parts, ",") + "]"
}

func geometryJSON(polys [][]kit.Point) string {
	if len(polys) == 1 {
		return `{"type":"Polygon","coordinates":[` + ringCoords(polys[0]) + `]}`
	}
	parts := make([]string, len(polys))
	for i, r := range polys {
		parts[i] = "[" + ringCoords(r) + "]"
	}
	return `{"type":"MultiPolygon","coordinates":[` + strings.Join(parts, ",") + `]}`
}

func wktRing(ring []kit.Point) string {
	parts := make([]string, len(ring))
	for i, p := range ring {
		parts[i] = power.FmtCoord(p.Lon) + " " + power.FmtCoord(p.Lat)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func wkt(polys [][]kit.Point) string {
	if len(polys) == 1 {
		return "POLYGON (" + wktRing(polys[0]) + ")"
	}
	parts := make([]string, len(polys))
	for i, r := range polys {
		parts[i] = "(" + wktRing(r) + ")"
	}
	return "MULTIPOLYGON (" + strings.Join(parts, ", ") + ")"
}
