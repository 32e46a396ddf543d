package synth

import (
	"encoding/json"
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"landwatch/etl/synth/kit"
	"landwatch/etl/synth/power"
)

func dstr(d kit.Date) any { return d.String() }

// writeRectifications writes each township's ledger updates, a file per week (and the planted
// late file).
func (w *world) writeRectifications(out string) ([]File, error) {
	var files []File
	for _, t := range w.towns {
		for _, wf := range t.rectFiles {
			rel := wf.path("rectification")
			var rows [][]any
			for _, i := range wf.rows {
				r := t.rects[i]
				rows = append(rows, []any{r.item, r.status, dstr(r.day), r.verifier, r.note})
			}
			if err := kit.WriteTable(filepath.Join(out, filepath.FromSlash(rel)), "整改台账", []string{"问题编号", "整改状态", "完成日期", "验收人", "说明"}, rows); err != nil {
				return nil, err
			}
			files = append(files, File{Path: rel, Rows: int64(len(rows)), ReceivedOn: wf.recv.String()})
		}
	}
	return files, nil
}

// writePatrols writes each township's patrol logs, a file per week.
func (w *world) writePatrols(out string) ([]File, error) {
	var files []File
	for _, t := range w.towns {
		for _, wf := range t.patrolFiles {
			rel := wf.path("patrol")
			var rows [][]any
			for _, i := range wf.rows {
				p := t.patrols[i]
				rows = append(rows, []any{t.name, dstr(p.day), p.team, p.villages, p.findings})
			}
			if err := kit.WriteTable(filepath.Join(out, filepath.FromSlash(rel)), "巡查记录", []string{"乡镇", "巡查日期", "巡查人员", "巡查村", "发现问题"}, rows); err != nil {
				return nil, err
			}
			files = append(files, File{Path: rel, Rows: int64(len(rows)), ReceivedOn: wf.recv.String()})
		}
	}
	return files, nil
}

// exportDays are the Sundays (and the last day of the data) on which a weekly register export
// shows something new: the week-ends of the given dates.
func (w *world) exportDays(ds []kit.Date) []kit.Date {
	var out []kit.Date
	for _, d := range ds {
		if d != 0 && d <= w.sc.readTo {
			out = append(out, w.weekEnd(d))
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

// caseClosed is when a case settled without transfer (已结案) shows so in the register.
func caseClosed(c *caseRec) kit.Date {
	if c.status == "已结案" {
		return c.filed + 14
	}
	return 0
}

// writeCases writes the weekly cumulative exports of the case register: every case found by the
// export day, as known that day (later dates blank, the stage reached by then).
func (w *world) writeCases(out string) ([]File, error) {
	header := []string{"案件编号", "线索来源", "来源编号", "乡镇", "村", "经度", "纬度", "违法类型", "发现日期", "立案日期",
		"价格认定申请日期", "价格认定完成日期", "移送公安日期", "移送检察日期", "判决日期", "罚款金额", "没收金额", "状态", "认定价值"}
	var all []kit.Date
	for _, c := range w.cases {
		all = append(all, c.found, c.filed, c.priceReq, c.priceDone, c.police, c.proc, c.judged, caseClosed(c))
	}
	var files []File
	for _, s := range w.exportDays(all) {
		rel := filepath.Join("cases", "案件台账-"+s.Compact()+".xlsx")
		var rows [][]any
		for _, c := range w.cases {
			if c.found > s {
				continue
			}
			status, fine, confisc := "未立案", int64(0), int64(0)
			switch {
			case upTo(c.judged, s) != 0:
				status = "已判决"
			case upTo(c.proc, s) != 0:
				status = "已移送检察"
			case upTo(c.police, s) != 0:
				status = "已移送公安"
			case upTo(caseClosed(c), s) != 0:
				status = "已结案"
			case upTo(c.filed, s) != 0:
				status = "已立案"
			}
			if upTo(c.police, s) != 0 || upTo(caseClosed(c), s) != 0 {
				fine = c.fine
			}
			if upTo(c.proc, s) != 0 {
				confisc = c.confisc
			}
			rows = append(rows, []any{c.id, c.source, c.ref, c.town.name, c.village, xy(c.hasXY, c.pt.Lon), xy(c.hasXY, c.pt.Lat),
				w.categoryName(c.cat), dstr(c.found), dstr(upTo(c.filed, s)), dstr(upTo(c.priceReq, s)), dstr(upTo(c.priceDone, s)),
				dstr(upTo(c.police, s)), dstr(upTo(c.proc, s)), dstr(upTo(c.judged, s)), money(fine), money(confisc), status,
				money(valueUpTo(c, s))})
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
	for _, c := range w.clues {
		all = append(all, c.found)
	}
	var files []File
	for _, s := range w.exportDays(all) {
		rel := filepath.Join("clues", "其他线索-"+s.Compact()+".xlsx")
		var rows [][]any
		for _, c := range w.clues {
			if c.found <= s {
				rows = append(rows, []any{c.id, c.source, c.town.name, c.village, xy(c.hasXY, c.pt.Lon), xy(c.hasXY, c.pt.Lat),
					w.categoryName(c.cat), dstr(c.found), c.verdict})
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
	for _, c := range w.checks {
		days = append(days, c.recv)
	}
	slices.Sort(days)
	var files []File
	for _, s := range slices.Compact(days) {
		rel := filepath.Join("power-checks", fmt.Sprintf("用电核查-第%02d周.xlsx", s.ISOWeek()))
		var rows [][]any
		for _, c := range w.checks {
			if c.recv == s {
				rows = append(rows, []any{c.meter.ID, c.alertID, dstr(c.checked), c.result})
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
		for _, p := range w.patches {
			if p.batchNo == batch {
				all = append(all, p.imaged, p.checked)
			}
		}
		for _, s := range w.exportDays(all) {
			var ps []patchAsOf
			for _, p := range w.patches {
				if p.batchNo == batch && p.imaged <= s {
					pa := patchAsOf{patch: p, verdict: p.verdict, checked: p.checked}
					if p.checked > s {
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
	*patch
	verdict string
	checked kit.Date
}

// imageryPath is the manifest path of the export of batch made on s (batch 2 as csv).
func (w *world) imageryPath(batch int, s kit.Date) string {
	ext := ".geojson"
	if batch == 2 {
		ext = ".csv"
	}
	return fmt.Sprintf("imagery/卫片图斑-%d第%d批-%s%s", w.cfg.Campaign.Year, batch, s.Compact(), ext)
}

func (w *world) writeImageryExport(out string, batch int, s kit.Date, ps []patchAsOf) (string, error) {
	rel := w.imageryPath(batch, s)
	name := strings.TrimSuffix(path.Base(rel), path.Ext(rel))
	if batch == 2 {
		rows := [][]string{{"图斑编号", "批次", "影像日期", "乡镇", "村", "变化类型", "前地类", "后地类", "面积亩", "核查结果", "核查日期", "WKT"}}
		for _, p := range ps {
			rows = append(rows, []string{p.id, w.batchName(batch), p.imaged.String(), p.town.name, p.village, p.change, p.before, p.after,
				strconv.FormatFloat(p.areaMu, 'f', 2, 64), p.verdict, p.checked.String(), wkt(p.polys)})
		}
		return rel, kit.WriteCSV(filepath.Join(out, filepath.FromSlash(rel)), rows, true)
	}
	return rel, kit.WriteFile(filepath.Join(out, filepath.FromSlash(rel)), []byte(w.imageryGeoJSON(name, w.batchName(batch), ps)))
}

// imageryGeoJSON is an imagery export as a FeatureCollection named name, every patch of batch.
func (w *world) imageryGeoJSON(name, batch string, ps []patchAsOf) string {
	var b strings.Builder
	b.WriteString(`{"type":"FeatureCollection","name":`)
	writeJSONString(&b, name)
	b.WriteString(`,"features":[`)
	for i, p := range ps {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n")
		props := []struct{ k, v string }{{"图斑编号", p.id}, {"批次", batch}, {"影像日期", p.imaged.String()},
			{"乡镇", p.town.name}, {"村", p.village}, {"变化类型", p.change}, {"前地类", p.before}, {"后地类", p.after}}
		b.WriteString(`{"type":"Feature","properties":{`)
		for j, kv := range props {
			if j > 0 {
				b.WriteString(",")
			}
			writeJSONString(&b, kv.k)
			b.WriteString(":")
			writeJSONString(&b, kv.v)
		}
		b.WriteString(`,"面积亩":` + strconv.FormatFloat(p.areaMu, 'f', 2, 64))
		b.WriteString(`,"核查结果":`)
		writeJSONString(&b, p.verdict)
		b.WriteString(`,"核查日期":`)
		if p.checked == 0 {
			b.WriteString("null")
		} else {
			writeJSONString(&b, p.checked.String())
		}
		b.WriteString(`},"geometry":`)
		b.WriteString(geometryJSON(p.polys))
		b.WriteString("}")
	}
	b.WriteString("\n]}\n")
	return b.String()
}

func (w *world) batchName(n int) string { return fmt.Sprintf("%d年第%d批", w.cfg.Campaign.Year, n) }

func writeJSONString(b *strings.Builder, s string) {
	data, _ := json.Marshal(s)
	b.Write(data)
}

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
