package campaign

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/planar"
)

// Boundary is one township's boundary read from a boundary file.
type Boundary struct {
	Township string
	GeoJSON  []byte  // a GeoJSON Feature: the geometry, properties {"name": township}
	AreaKm2  float64 // on the sphere
	Lon, Lat float64 // planar area centroid (degrees)
}

// BoundariesPath is the configured boundary file (county.boundaries) resolved against the
// directory of the configuration file; "" when none is configured.
func (c *Config) BoundariesPath() string {
	p := strings.TrimSpace(c.County.Boundaries)
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(c.Dir, p)
}

// maxBoundaryErrors caps the refusals listed for one file.
const maxBoundaryErrors = 20

// LoadBoundaries reads a GeoJSON FeatureCollection of township boundaries (Polygon or
// MultiPolygon, WGS84; the township in property "name" or "乡镇") and checks it against the
// configuration: every feature names a configured township, no township twice, rings closed
// with at least four positions, not self-intersecting and of non-zero area, every coordinate
// inside county.bbox. Every refusal is returned (errors.Join of *Error naming the feature).
func LoadBoundaries(path string, c *Config) ([]Boundary, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("读取乡镇边界：%w", err)
	}
	return ParseBoundaries(filepath.Base(path), data, c)
}

// ParseBoundaries is LoadBoundaries on the file's bytes; name is used in the errors.
func ParseBoundaries(name string, data []byte, c *Config) ([]Boundary, error) {
	var fc struct {
		Type     string            `json:"type"`
		Features []json.RawMessage `json:"features"`
	}
	if err := json.Unmarshal(data, &fc); err != nil {
		return nil, &Error{File: name, Key: "(file)", Msg: fmt.Sprintf("not GeoJSON: %v (不是有效的GeoJSON)", err)}
	}
	if fc.Type != "FeatureCollection" {
		return nil, &Error{File: name, Key: "type", Msg: fmt.Sprintf("%q, want FeatureCollection (应为FeatureCollection)", fc.Type)}
	}
	if len(fc.Features) == 0 {
		return nil, &Error{File: name, Key: "features", Msg: "no features (没有乡镇边界)"}
	}
	towns := map[string]bool{}
	for _, t := range c.Townships {
		towns[t.Name] = true
	}
	var errs []error
	seen := map[string]int{}
	var out []Boundary
	for i, raw := range fc.Features {
		n := i + 1
		bad := func(key, format string, args ...any) {
			errs = append(errs, &Error{File: name, Key: fmt.Sprintf("第%d个要素 %s", n, key), Msg: fmt.Sprintf(format, args...)})
		}
		f, err := geojson.UnmarshalFeature(raw)
		if err != nil {
			bad("geometry", "几何图形无效：%v", err)
			continue
		}
		town, key := "", ""
		for _, k := range []string{"name", "乡镇"} {
			if v, ok := f.Properties[k].(string); ok && strings.TrimSpace(v) != "" {
				town, key = strings.TrimSpace(v), "properties."+k
				break
			}
		}
		switch {
		case key == "":
			bad("properties.name", "属性 name 或 乡镇 中缺少乡镇名称")
		case !towns[town]:
			bad(key, "%q 不是配置中的乡镇", town)
		case seen[town] > 0:
			bad(key, "乡镇 %q 的边界重复，第 %d 个要素已有其边界", town, seen[town])
		default:
			seen[town] = n
		}
		var geom orb.Geometry
		switch g := f.Geometry.(type) {
		case orb.Polygon:
			geom = g
		case orb.MultiPolygon:
			geom = g
		case nil:
			bad("geometry", "缺少几何图形")
			continue
		default:
			bad("geometry", "几何类型为 %s，应为面（Polygon 或 MultiPolygon）", f.Geometry.GeoJSONType())
			continue
		}
		if msg := checkGeometry(geom, c.County.BBox); msg != "" {
			bad("geometry", "%s", msg)
			continue
		}
		if key == "" || seen[town] != n {
			continue
		}
		feat := geojson.NewFeature(geom)
		feat.Properties["name"] = town
		js, err := feat.MarshalJSON()
		if err != nil {
			bad("geometry", "%v", err)
			continue
		}
		ctr, _ := planar.CentroidArea(geom)
		out = append(out, Boundary{Township: town, GeoJSON: js, AreaKm2: geo.Area(geom) / 1e6, Lon: ctr[0], Lat: ctr[1]})
	}
	if len(errs) > maxBoundaryErrors {
		more := len(errs) - maxBoundaryErrors
		errs = append(errs[:maxBoundaryErrors], fmt.Errorf("%s：另有 %d 处错误", name, more))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// checkGeometry returns what is wrong with a polygon or multipolygon, or "".
func checkGeometry(g orb.Geometry, box BBox) string {
	polys, _ := Polygons(g)
	if len(polys) == 0 {
		return "没有面"
	}
	for pi, p := range polys {
		if len(p) == 0 {
			return fmt.Sprintf("第%d个面没有边界环", pi+1)
		}
		for ri, r := range p {
			where := fmt.Sprintf("第%d个面的第%d个环", pi+1, ri+1)
			if len(r) < 4 {
				return fmt.Sprintf("%s的点数不足：有 %d 个点，至少需要 4 个", where, len(r))
			}
			for k, q := range r {
				if math.IsNaN(q[0]) || math.IsNaN(q[1]) || !box.Contains(q[0], q[1]) {
					return fmt.Sprintf("%s的第%d个点 [%g, %g] 不在县域范围 county.bbox 内", where, k+1, q[0], q[1])
				}
			}
			if !r.Closed() {
				return fmt.Sprintf("%s未闭合：最后一个点与第一个点不同", where)
			}
			if planar.Area(r) == 0 {
				return fmt.Sprintf("%s的面积为零", where)
			}
			if a, b, ok := selfIntersection(r); ok {
				return fmt.Sprintf("%s自相交：第%d条边与第%d条边相交", where, a+1, b+1)
			}
		}
	}
	return ""
}

// selfIntersection finds two non-adjacent edges of a closed ring that touch or cross.
func selfIntersection(r orb.Ring) (int, int, bool) {
	n := len(r) - 1 // edges
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			if j == i+1 || (i == 0 && j == n-1) {
				continue // neighbours share a vertex
			}
			if segmentsTouch(r[i], r[i+1], r[j], r[j+1]) {
				return i, j, true
			}
		}
	}
	return 0, 0, false
}

func segmentsTouch(p1, p2, q1, q2 orb.Point) bool {
	d1, d2 := orient(q1, q2, p1), orient(q1, q2, p2)
	d3, d4 := orient(p1, p2, q1), orient(p1, p2, q2)
	if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) {
		return true
	}
	on := func(a, b, p orb.Point) bool {
		return math.Min(a[0], b[0]) <= p[0] && p[0] <= math.Max(a[0], b[0]) && math.Min(a[1], b[1]) <= p[1] && p[1] <= math.Max(a[1], b[1])
	}
	return (d1 == 0 && on(q1, q2, p1)) || (d2 == 0 && on(q1, q2, p2)) || (d3 == 0 && on(p1, p2, q1)) || (d4 == 0 && on(p1, p2, q2))
}

func orient(a, b, c orb.Point) float64 {
	return (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
}

// Polygons unwraps an area: a Polygon is one polygon, a MultiPolygon its polygons; false for any
// other geometry. The one place boundaries, licences, imagery patches and maps unwrap a shape.
func Polygons(g orb.Geometry) ([]orb.Polygon, bool) {
	switch x := g.(type) {
	case orb.Polygon:
		return []orb.Polygon{x}, true
	case orb.MultiPolygon:
		return x, true
	}
	return nil, false
}
