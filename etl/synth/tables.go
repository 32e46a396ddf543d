package synth

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
)

func dstr(d date) any { return d.String() }

func (w *world) writeRectifications(out string) ([]File, error) {
	var files []File
	for _, t := range w.towns {
		rel := filepath.Join("rectification", t.name+"-整改台账.xlsx")
		var rows [][]any
		for _, r := range t.rects {
			rows = append(rows, []any{r.item, r.status, dstr(r.day), r.verifier, r.note})
		}
		if err := writeTable(filepath.Join(out, rel), "整改台账", []string{"问题编号", "整改状态", "完成日期", "验收人", "说明"}, rows); err != nil {
			return nil, err
		}
		files = append(files, File{Path: rel, Rows: int64(len(rows))})
	}
	return files, nil
}

func (w *world) writePatrols(out string) ([]File, error) {
	var files []File
	for _, t := range w.towns {
		rel := filepath.Join("patrol", t.name+"-巡查记录.xlsx")
		var rows [][]any
		for _, p := range t.patrols {
			rows = append(rows, []any{t.name, dstr(p.day), p.team, p.villages, p.findings})
		}
		if err := writeTable(filepath.Join(out, rel), "巡查记录", []string{"乡镇", "巡查日期", "巡查人员", "巡查村", "发现问题"}, rows); err != nil {
			return nil, err
		}
		files = append(files, File{Path: rel, Rows: int64(len(rows))})
	}
	return files, nil
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

func (w *world) writeCases(out string) ([]File, error) {
	rel := filepath.Join("cases", "案件台账.xlsx")
	header := []string{"案件编号", "线索来源", "来源编号", "乡镇", "村", "经度", "纬度", "违法类型", "发现日期", "立案日期",
		"价格认定申请日期", "价格认定完成日期", "移送公安日期", "移送检察日期", "判决日期", "罚款金额", "没收金额", "状态"}
	var rows [][]any
	for _, c := range w.cases {
		rows = append(rows, []any{c.id, c.source, c.ref, c.town.name, c.village, xy(c.hasXY, c.pt.lon), xy(c.hasXY, c.pt.lat),
			w.categoryName(c.cat), dstr(c.found), dstr(c.filed), dstr(c.priceReq), dstr(c.priceDone), dstr(c.police),
			dstr(c.proc), dstr(c.judged), money(c.fine), money(c.confisc), c.status})
	}
	if err := writeTable(filepath.Join(out, rel), "案件台账", header, rows); err != nil {
		return nil, err
	}
	return []File{{Path: rel, Rows: int64(len(rows))}}, nil
}

func (w *world) writeClues(out string) ([]File, error) {
	rel := filepath.Join("clues", "其他线索.xlsx")
	header := []string{"线索编号", "来源", "乡镇", "村", "经度", "纬度", "类别", "发现日期", "核查结果"}
	var rows [][]any
	for _, c := range w.clues {
		rows = append(rows, []any{c.id, c.source, c.town.name, c.village, xy(c.hasXY, c.pt.lon), xy(c.hasXY, c.pt.lat),
			w.categoryName(c.cat), dstr(c.found), c.verdict})
	}
	if err := writeTable(filepath.Join(out, rel), "其他线索", header, rows); err != nil {
		return nil, err
	}
	return []File{{Path: rel, Rows: int64(len(rows))}}, nil
}

func (w *world) writeChecks(out string) ([]File, error) {
	rel := filepath.Join("power-checks", "用电核查.xlsx")
	var rows [][]any
	for _, c := range w.checks {
		rows = append(rows, []any{c.meter.id, c.alertID, dstr(c.checked), c.result})
	}
	if err := writeTable(filepath.Join(out, rel), "用电核查", []string{"户号", "预警编号", "核查日期", "核查结果"}, rows); err != nil {
		return nil, err
	}
	return []File{{Path: rel, Rows: int64(len(rows))}}, nil
}

// writeImagery writes one GeoJSON FeatureCollection per imaging batch, and batch 2 as csv with WKT.
func (w *world) writeImagery(out string) ([]File, error) {
	var files []File
	for batch := 1; batch <= 4; batch++ {
		var ps []*patch
		for _, p := range w.patches {
			if p.batchNo == batch {
				ps = append(ps, p)
			}
		}
		if len(ps) == 0 {
			continue
		}
		name := fmt.Sprintf("卫片图斑-%d第%d批", w.cfg.Campaign.Year, batch)
		if batch == 2 {
			rel := filepath.Join("imagery", name+".csv")
			rows := [][]string{{"图斑编号", "批次", "影像日期", "乡镇", "村", "变化类型", "前地类", "后地类", "面积亩", "核查结果", "核查日期", "WKT"}}
			for _, p := range ps {
				rows = append(rows, []string{p.id, w.batchName(batch), p.imaged.String(), p.town.name, p.village, p.change, p.before, p.after,
					strconv.FormatFloat(p.areaMu, 'f', 2, 64), p.verdict, p.checked.String(), wkt(p.polys)})
			}
			if err := writeCSV(filepath.Join(out, rel), rows, true); err != nil {
				return nil, err
			}
			files = append(files, File{Path: rel, Rows: int64(len(ps))})
			continue
		}
		rel := filepath.Join("imagery", name+".geojson")
		var b strings.Builder
		b.WriteString(`{"type":"FeatureCollection","name":`)
		writeJSONString(&b, name)
		b.WriteString(`,"features":[`)
		for i, p := range ps {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString("\n")
			props := []struct{ k, v string }{{"图斑编号", p.id}, {"批次", w.batchName(batch)}, {"影像日期", p.imaged.String()},
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
		if err := writeFile(filepath.Join(out, rel), []byte(b.String())); err != nil {
			return nil, err
		}
		files = append(files, File{Path: rel, Rows: int64(len(ps))})
	}
	return files, nil
}

func (w *world) batchName(n int) string { return fmt.Sprintf("%d年第%d批", w.cfg.Campaign.Year, n) }

func writeJSONString(b *strings.Builder, s string) {
	data, _ := json.Marshal(s)
	b.Write(data)
}

func ringCoords(ring []point) string {
	parts := make([]string, len(ring))
	for i, p := range ring {
		parts[i] = "[" + fmtCoord(p.lon) + "," + fmtCoord(p.lat) + "]"
	}
	return "[" + strings.Join(parts, ",") + "]"
}

func geometryJSON(polys [][]point) string {
	if len(polys) == 1 {
		return `{"type":"Polygon","coordinates":[` + ringCoords(polys[0]) + `]}`
	}
	parts := make([]string, len(polys))
	for i, r := range polys {
		parts[i] = "[" + ringCoords(r) + "]"
	}
	return `{"type":"MultiPolygon","coordinates":[` + strings.Join(parts, ",") + `]}`
}

func wktRing(ring []point) string {
	parts := make([]string, len(ring))
	for i, p := range ring {
		parts[i] = fmtCoord(p.lon) + " " + fmtCoord(p.lat)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func wkt(polys [][]point) string {
	if len(polys) == 1 {
		return "POLYGON (" + wktRing(polys[0]) + ")"
	}
	parts := make([]string, len(polys))
	for i, r := range polys {
		parts[i] = "(" + wktRing(r) + ")"
	}
	return "MULTIPOLYGON (" + strings.Join(parts, ", ") + ")"
}
