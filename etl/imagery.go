package etl

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"

	"landwatch/campaign"
	"landwatch/etl/read"
)

// readGeoJSON reads a FeatureCollection; each feature becomes a record numbered from 1, its
// properties matched to the kind's contract (imagery, licences) and its geometry (as WKT) under the
// key "wkt".
func readGeoJSON(kind Kind, data []byte) (out []*read.Record, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("不是有效的GeoJSON: %v", r)
		}
	}()
	if b, ok := strings.CutPrefix(string(data), "\uFEFF"); ok {
		data = []byte(b)
	}
	fc, err := geojson.UnmarshalFeatureCollection(data)
	if err != nil {
		return nil, fmt.Errorf("不是有效的GeoJSON FeatureCollection: %v", err)
	}
	m := newMatcher(kind)
	for i, ft := range fc.Features {
		r := &read.Record{Row: i + 1, Vals: map[string]string{}, Extra: map[string]string{}}
		for k, v := range ft.Properties {
			s := propText(v)
			if fd := m.Match(k); fd != nil && fd.Key != "wkt" {
				if s != "" {
					r.Vals[fd.Key] = s
				}
			} else if s != "" {
				r.Extra[k] = s
				r.Order = append(r.Order, k)
			}
		}
		if ft.Geometry != nil {
			r.Vals["wkt"] = wkt.MarshalString(ft.Geometry)
			r.Vals["_geomtype"] = ft.Geometry.GeoJSONType()
		} else {
			r.Vals["_geomtype"] = "null"
		}
		out = append(out, r)
	}
	return out, nil
}

// propText renders a GeoJSON property as text: numbers without exponent, null as "".
func propText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return strings.TrimSpace(x)
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e15 {
			return strconv.FormatInt(int64(x), 10)
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}

// parsePatchGeometry reads a patch's WKT: a Polygon or MultiPolygon with finite coordinates.
func parsePatchGeometry(s string) (g orb.Geometry, err error) {
	defer func() {
		if r := recover(); r != nil {
			g, err = nil, fmt.Errorf("不是有效的WKT: %v", r)
		}
	}()
	g, err = wkt.Unmarshal(s)
	if err != nil {
		return nil, fmt.Errorf("不是有效的WKT: %v", err)
	}
	polys, ok := campaign.Polygons(g)
	switch {
	case !ok:
		return nil, fmt.Errorf("应为Polygon或MultiPolygon，不是%s", g.GeoJSONType())
	case len(polys) == 0:
		return nil, errors.New("多多边形为空")
	}
	for _, p := range polys {
		if len(p) == 0 || len(p[0]) < 4 {
			return nil, errors.New("多边形至少需要4个点（首尾相同）")
		}
	}
	b := g.Bound()
	for _, v := range []float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, errors.New("坐标不是有限数值")
		}
	}
	return g, nil
}

func convImageryTable(l *loader, g *read.Grid, h *read.Header, recs []*read.Record) (*out, error) {
	o := &out{table: "raw_imagery_patches", cols: []string{"source_row", "patch_id", "imaging_batch", "imaged_on", "township", "village",
		"change_type", "land_before", "land_after", "area_mu", "verdict", "checked_on", "lon", "lat", "geometry", "extra"},
		idTable: "raw_imagery_patches", idField: "patch_id", idCol: "图斑编号", versions: true}
	geoCol, ok := l.geometryColumn(g, h)
	if !ok {
		return o, nil
	}
	for _, r := range recs {
		if fromGeoJSON(r) {
			geoCol = "geometry"
		}
		id := l.required(r, "patch_id", "图斑编号")
		t := l.township(r.Row, "乡镇", r.Get("township"))
		v := l.village(r.Row, "村", t, r.Get("village"))
		var lon, lat, geom any
		if s := r.Get("wkt"); s == "" {
			l.p.Add(r.Row, geoCol, "", "没有图形")
		} else if gm, err := parsePatchGeometry(s); err != nil {
			l.p.Add(r.Row, geoCol, read.Clip(s), err.Error())
		} else {
			b := gm.Bound()
			okMin := l.inBox(r.Row, b.Min[0], b.Min[1], fmt.Sprint(b.Min[0]), fmt.Sprint(b.Min[1]))
			okMax := okMin && l.inBox(r.Row, b.Max[0], b.Max[1], fmt.Sprint(b.Max[0]), fmt.Sprint(b.Max[1]))
			if okMin && okMax {
				c, _ := planar.CentroidArea(gm)
				lon, lat, geom = c[0], c[1], wkt.MarshalString(gm)
			}
		}
		o.rows = append(o.rows, []any{r.Row, id, optional(r, "batch"), l.date(r, "imaged_on", "影像日期", true), t, v,
			l.oneOf(r, "change_type", "变化类型", false, "挖损", "新增建设", "堆放", "其他"),
			optional(r, "land_before"), optional(r, "land_after"), l.number(r, "area_mu", "面积亩", true),
			l.oneOf(r, "verdict", "核查结果", true, "合法", "违法", "其他", "未核查"), l.date(r, "checked_on", "核查日期", false),
			lon, lat, geom, extraJSON(r)})
		o.ids, o.idRows = append(o.ids, r.Get("patch_id")), append(o.idRows, r.Row)
	}
	return o, nil
}

// geometryColumn is the name errors give the geometry of a table with a WKT column (the header's
// own name for it, else "WKT"); false, with the error recorded, when a csv or sheet lacks it.
func (l *loader) geometryColumn(g *read.Grid, h *read.Header) (string, bool) {
	col := "WKT"
	if h == nil {
		return col, true
	}
	for j, fd := range h.Cols {
		if fd != nil && fd.Key == "wkt" && j < len(h.Names) {
			col = h.Names[j]
		}
	}
	if g != nil && len(h.Cols) > 0 && !h.Present["wkt"] {
		l.p.Add(g.Nums[h.Index], "WKT", "", "缺少几何列（WKT）")
		return col, false
	}
	return col, true
}

// fromGeoJSON reports whether the record came from a GeoJSON feature (its geometry is the
// feature's, named "geometry" in errors) and drops the marker the reader left.
func fromGeoJSON(r *read.Record) bool {
	if r.Vals["_geomtype"] == "" {
		return false
	}
	delete(r.Vals, "_geomtype")
	return true
}
