package reports

import (
	"context"
	"fmt"
	"html/template"
	"math"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"landwatch/campaign"
	"landwatch/warehouse"
)

// The public map (公开统计 → 各村违法问题及整改情况): the rectification ledger's items — every
// problem found and every verified violation no problem matched (mart_ledger, as of the last
// run) — counted by village with their status (已整改, 整改中, 未整改), published with the rest
// of the statistics after the media role's review, and drawn over the county's township
// boundaries (dim_township_boundaries) as an SVG made here: no map tiles, nothing fetched.
//
// No one is located by it: a village is the finest place shown; counts from 1 to small-1 show as
// "<small", and when one status of a village is so hidden its other statuses are hidden too ("*"),
// so that they cannot be subtracted from the village's total. A village gets a dot only when it
// has at least small items with coordinates, at their mean rounded to 0.01° (about a kilometre);
// the others are in the table only.

// PublicVillage is one village of the public map.
type PublicVillage struct {
	Township  string   `json:"township"`
	Village   string   `json:"village"`
	Items     Value    `json:"items"`
	Rectified Value    `json:"rectified"`
	Underway  Value    `json:"underway"`
	Open      Value    `json:"open"`
	Lon       *float64 `json:"lon,omitempty"`
	Lat       *float64 `json:"lat,omitempty"`
}

// unknownVillage names the items whose village the files did not give.
const unknownVillage = "村未详"

// publicVillages counts the ledger's items by village, suppressed for publishing.
func publicVillages(ctx context.Context, db *warehouse.DB, small int) ([]PublicVillage, error) {
	rows, err := db.QueryContext(ctx, `SELECT township, coalesce(nullif(trim(village), ''), ?), count(*),
			count(*) FILTER (WHERE status_as_of = '已整改'), count(*) FILTER (WHERE status_as_of = '整改中'),
			count(*) FILTER (WHERE status_as_of = '未整改'), count(lon) FILTER (WHERE lat IS NOT NULL),
			round(avg(lon) FILTER (WHERE lat IS NOT NULL), 2), round(avg(lat) FILTER (WHERE lon IS NOT NULL), 2)
		FROM mart_ledger GROUP BY ALL ORDER BY 1, 2`, unknownVillage)
	if err != nil {
		return nil, fmt.Errorf("public map: %w", err)
	}
	defer rows.Close()
	count := publicMetric{count: true, unit: "处"}
	var out []PublicVillage
	for rows.Next() {
		var v PublicVillage
		var items, done, underway, open, located float64
		var lon, lat *float64
		if err := rows.Scan(&v.Township, &v.Village, &items, &done, &underway, &open, &located, &lon, &lat); err != nil {
			return nil, err
		}
		hidden := false
		for _, n := range []float64{done, underway, open} {
			hidden = hidden || (n > 0 && n < float64(small))
		}
		v.Items = suppress(count, items, small, false)
		v.Rectified, v.Underway, v.Open = suppress(count, done, small, hidden), suppress(count, underway, small, hidden), suppress(count, open, small, hidden)
		if located >= float64(small) && v.Village != unknownVillage && lon != nil && lat != nil {
			v.Lon, v.Lat = lon, lat
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// villageTable is the public map's table: every village with its figures.
func villageTable(vs []PublicVillage) htmlTable {
	t := htmlTable{Title: "各村违法问题及整改情况", Head: []string{"乡镇", "村", "问题（处）", "已整改", "整改中", "未整改"}}
	for _, v := range vs {
		t.Rows = append(t.Rows, []string{v.Township, v.Village, v.Items.Text, v.Rectified.Text, v.Underway.Text, v.Open.Text})
	}
	return t
}

// mapSVG draws the township boundaries and the villages' dots: a dot's area grows with the
// village's items, green when all are rectified, orange when some are under way, red when some
// are not begun; its title (shown on hover or long press) gives the figures. No boundaries stored:
// no map (the table stands alone).
func mapSVG(bs []campaign.Boundary, vs []PublicVillage) (template.HTML, error) {
	if len(bs) == 0 {
		return "", nil
	}
	type shape struct {
		name string
		geom orb.Geometry
		at   orb.Point
	}
	var shapes []shape
	box := orb.Bound{Min: orb.Point{math.Inf(1), math.Inf(1)}, Max: orb.Point{math.Inf(-1), math.Inf(-1)}}
	for _, b := range bs {
		f, err := geojson.UnmarshalFeature(b.GeoJSON)
		if err != nil {
			return "", fmt.Errorf("the boundary of %s: %w", b.Township, err)
		}
		box = box.Union(f.Geometry.Bound())
		shapes = append(shapes, shape{b.Township, f.Geometry, orb.Point{b.Lon, b.Lat}})
	}
	const width = 600.0
	kx := math.Cos((box.Min[1] + box.Max[1]) / 2 * math.Pi / 180)
	scale := width / ((box.Max[0] - box.Min[0]) * kx)
	height := (box.Max[1] - box.Min[1]) * scale
	xy := func(p orb.Point) (float64, float64) {
		return (p[0] - box.Min[0]) * kx * scale, (box.Max[1] - p[1]) * scale
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="pubmap" xmlns="http://www.w3.org/2000/svg" viewBox="-10 -10 %.0f %.0f" role="img" aria-label="各村违法问题及整改情况分布图">`, width+20, height+20)
	ring := func(r orb.Ring) {
		for i, p := range r {
			x, y := xy(p)
			if i == 0 {
				fmt.Fprintf(&b, "M%.1f %.1f", x, y)
			} else {
				fmt.Fprintf(&b, "L%.1f %.1f", x, y)
			}
		}
		b.WriteString("Z")
	}
	for _, s := range shapes {
		b.WriteString(`<path fill="#eef2f6" stroke="#8a99ad" stroke-width="1" d="`)
		polys, _ := campaign.Polygons(s.geom)
		for _, p := range polys {
			for _, r := range p {
				ring(r)
			}
		}
		fmt.Fprintf(&b, `"><title>%s</title></path>`, template.HTMLEscapeString(s.name))
	}
	for _, v := range vs {
		if v.Lon == nil || v.Lat == nil {
			continue
		}
		x, y := xy(orb.Point{*v.Lon, *v.Lat})
		n := 1.0
		if v.Items.Num != nil {
			n = *v.Items.Num
		}
		color := "#2e7d32" // all rectified
		switch {
		case v.Rectified.Num == nil: // the statuses are hidden
			color = "#78909c"
		case *v.Open.Num > 0:
			color = "#c62828"
		case *v.Underway.Num > 0:
			color = "#ef6c00"
		}
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="%.1f" fill="%s" fill-opacity=".75" stroke="#fff"><title>%s %s：问题 %s 处，已整改 %s，整改中 %s，未整改 %s</title></circle>`,
			x, y, 3+2.5*math.Sqrt(n), color, template.HTMLEscapeString(v.Township), template.HTMLEscapeString(v.Village),
			v.Items.Text, v.Rectified.Text, v.Underway.Text, v.Open.Text)
	}
	for _, s := range shapes {
		x, y := xy(s.at)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="13" text-anchor="middle" fill="#51606f">%s</text>`, x, y, template.HTMLEscapeString(s.name))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()), nil
}

// addMap puts the public map and its table on the page (nothing for a snapshot published before
// the map existed).
func (p *pageData) addMap(ctx context.Context, db *warehouse.DB, vs []PublicVillage) error {
	if len(vs) == 0 {
		return nil
	}
	bs, err := db.Boundaries(ctx)
	if err != nil {
		return err
	}
	if p.Map, err = mapSVG(bs, vs); err != nil {
		return err
	}
	p.MapNote = "按村汇总，不显示具体位置；问题不少于规定数目的村以圆点标在其问题的平均位置（约一公里精度），圆点越大问题越多：绿色全部整改，橙色有整改中的，红色有未整改的，灰色为防止推算而未公开分项。"
	p.Tables = append(p.Tables, villageTable(vs))
	return nil
}
