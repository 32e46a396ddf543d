package etl

import (
	"fmt"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkt"

	"landwatch/campaign"
	"landwatch/etl/read"
)

// convLicences reads the licence register (矿业权登记): one licence a row or feature with its
// licensed area. The validity dates are not checked against the campaign's timetable (a licence is
// issued years before and runs years after); only 有效期起 is an event date for the arrival stamp
// (etl/arrival.go), 有效期止 may lie in the future. The area's edges go to raw_licence_edges for
// the point-in-polygon test in SQL (queries/README.md "mart_imagery_triage").
func convLicences(l *loader, g *read.Grid, h *read.Header, recs []*read.Record) (*out, error) {
	o := &out{table: "raw_licences", cols: []string{"source_row", "licence_id", "holder", "mineral", "valid_from", "valid_to",
		"min_lon", "min_lat", "max_lon", "max_lat", "geometry", "extra"},
		idTable: "raw_licences", idField: "licence_id", idCol: "许可证号", versions: true}
	edges := table{name: "raw_licence_edges", cols: []string{"source_row", "licence_id", "part", "ring", "seq", "x1", "y1", "x2", "y2"}}
	geoCol, ok := l.geometryColumn(g, h)
	if !ok {
		return o, nil
	}
	for _, r := range recs {
		if fromGeoJSON(r) {
			geoCol = "geometry"
		}
		id := l.required(r, "licence_id", "许可证号")
		holder := l.required(r, "holder", "矿权人")
		from := l.anyDate(r, "valid_from", "有效期起")
		to := l.anyDate(r, "valid_to", "有效期止")
		if f, ok := from.(time.Time); ok {
			if t, ok := to.(time.Time); ok && t.Before(f) {
				l.p.Add(r.Row, "有效期止", r.Get("valid_to"), "早于有效期起")
			}
		}
		var bbox [4]any
		var geom any
		if s := r.Get("wkt"); s == "" {
			l.p.Add(r.Row, geoCol, "", "没有图形")
		} else if gm, err := parsePatchGeometry(s); err != nil {
			l.p.Add(r.Row, geoCol, read.Clip(s), err.Error())
		} else {
			b := gm.Bound()
			okMin := l.inBox(r.Row, b.Min[0], b.Min[1], fmt.Sprint(b.Min[0]), fmt.Sprint(b.Min[1]))
			okMax := okMin && l.inBox(r.Row, b.Max[0], b.Max[1], fmt.Sprint(b.Max[0]), fmt.Sprint(b.Max[1]))
			if okMin && okMax {
				bbox = [4]any{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}
				geom = wkt.MarshalString(gm)
				if idText, ok := id.(string); ok {
					edges.rows = append(edges.rows, licenceEdges(r.Row, idText, gm)...)
				}
			}
		}
		o.rows = append(o.rows, []any{r.Row, id, holder, optional(r, "mineral"), from, to,
			bbox[0], bbox[1], bbox[2], bbox[3], geom, extraJSON(r)})
		o.ids, o.idRows = append(o.ids, r.Get("licence_id")), append(o.idRows, r.Row)
	}
	o.more = append(o.more, edges)
	return o, nil
}

// licenceEdges lists the straight edges of every ring of a Polygon or MultiPolygon (the closing
// edge included when the ring is not closed; edges of length 0 left out).
func licenceEdges(row int, id string, g orb.Geometry) [][]any {
	polys, _ := campaign.Polygons(g)
	var out [][]any
	for pi, poly := range polys {
		for ri, ring := range poly {
			pts := []orb.Point(ring)
			if len(pts) > 1 && pts[0] != pts[len(pts)-1] {
				pts = append(pts[:len(pts):len(pts)], pts[0])
			}
			seq := 0
			for i := 0; i+1 < len(pts); i++ {
				a, b := pts[i], pts[i+1]
				if a == b {
					continue
				}
				seq++
				out = append(out, []any{row, id, pi + 1, ri + 1, seq, a[0], a[1], b[0], b[1]})
			}
		}
	}
	return out
}

// anyDate parses a required date of any year (a register's dates are not campaign events).
func (l *loader) anyDate(r *read.Record, key, col string) any {
	s := r.Get(key)
	if s == "" {
		l.p.Add(r.Row, col, "", "不能为空")
		return nil
	}
	d, ok := ParseDate(s, 0)
	if !ok {
		l.p.Add(r.Row, col, s, "不是有效日期（应写明年份）")
		return nil
	}
	return d
}
