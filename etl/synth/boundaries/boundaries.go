// Package boundaries draws the township cells tiling the county box around every generated point
// of the synthetic county (etl/synth) and writes them as the boundary GeoJSON that `landwatch init
// --boundaries` reads.
package boundaries

import (
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"landwatch/etl/synth/county"
	"landwatch/etl/synth/kit"
)

// Path is where Generate writes the synthetic township boundaries (manifest key
// "boundaries"; not a load kind: `landwatch init --boundaries` reads it).
const Path = "boundaries/乡镇边界.geojson"

// Township cells: the county's box is cut into a grid; each grid cell goes to the township with
// most generated points in it, cells without points to the township whose points are nearest in
// grid steps (a breadth-first flood from all points at once). Two cells of a township touching
// only at a corner are joined, so that no ring touches itself. Each township's cells are traced
// into rings (outer counter-clockwise, holes clockwise). A point left in a cell of another
// township (points of two townships can lie metres apart) gets a small square island of its own
// township, cut as a hole out of the other. So the cells tile the box, never overlap and hold
// every point of their township. Interior grid lines lie half a unit of the 6th decimal off the
// 6-decimal grid of the points, so no point is ever on an edge.

const cellDeg = 0.005

type grid struct {
	nx, ny int
	xs, ys []float64 // grid lines; 7 decimals
	own    []int     // township index per cell (row-major, y up)
}

func gridLines(lo, hi, step float64) []float64 {
	n := int(math.Ceil((hi - lo) / step))
	xs := []float64{lo}
	for i := 1; i < n; i++ {
		xs = append(xs, kit.Round6(lo+(hi-lo)*float64(i)/float64(n))+5e-7)
	}
	return append(xs, hi)
}

// cellOf returns the index of the cell along lines that holds v strictly inside.
func cellOf(lines []float64, v float64) int {
	return sort.SearchFloat64s(lines, v) - 1
}

// townCells returns each township's cell as polygons of rings (closed, WGS84).
func (w *world) townCells() ([][][][]kit.Point, int, error) {
	b := w.Cfg.County.BBox
	g := &grid{xs: gridLines(b.MinLon, b.MaxLon, cellDeg), ys: gridLines(b.MinLat, b.MaxLat, cellDeg)}
	g.nx, g.ny = len(g.xs)-1, len(g.ys)-1
	pts := w.townPoints()
	n := len(w.Towns)
	count := make([]int, g.nx*g.ny*n)
	cellIdx := func(p kit.Point) int { return cellOf(g.ys, p.Lat)*g.nx + cellOf(g.xs, p.Lon) }
	for ti := range pts {
		for _, p := range pts[ti] {
			if !b.Contains(p.Lon, p.Lat) || p.Lon == b.MinLon || p.Lon == b.MaxLon || p.Lat == b.MinLat || p.Lat == b.MaxLat {
				return nil, 0, fmt.Errorf("township cells: %s point %v is not inside the county box", w.Towns[ti].Name, p)
			}
			count[cellIdx(p)*n+ti]++
		}
	}
	g.own = make([]int, g.nx*g.ny)
	var queue []int
	for k := range g.own {
		g.own[k] = -1
		best := 0
		for ti := 0; ti < n; ti++ {
			if c := count[k*n+ti]; c > best {
				best, g.own[k] = c, ti
			}
		}
		if g.own[k] >= 0 {
			queue = append(queue, k)
		}
	}
	// Flood from every cell with points at once.
	for len(queue) > 0 {
		k := queue[0]
		queue = queue[1:]
		x, y := k%g.nx, k/g.nx
		for _, d := range [4][2]int{{1, 0}, {0, 1}, {-1, 0}, {0, -1}} {
			nx, ny := x+d[0], y+d[1]
			if nx < 0 || ny < 0 || nx >= g.nx || ny >= g.ny || g.own[ny*g.nx+nx] >= 0 {
				continue
			}
			g.own[ny*g.nx+nx] = g.own[k]
			queue = append(queue, ny*g.nx+nx)
		}
	}
	if err := g.unpinch(count, n); err != nil {
		return nil, 0, err
	}
	cells := make([][][][]kit.Point, n)
	for ti := range w.Towns {
		cells[ti] = g.trace(ti)
		if len(cells[ti]) == 0 {
			return nil, 0, fmt.Errorf("township cells: %s has no cell", w.Towns[ti].Name)
		}
	}
	// Islands for the points left in another township's cell.
	islands := 0
	byCell := map[int][]kit.Point{}
	for ti := range pts {
		for _, p := range pts[ti] {
			byCell[cellIdx(p)] = append(byCell[cellIdx(p)], p)
		}
	}
	kx := kit.EarthRadiusM * math.Pi / 180 * math.Cos((b.MinLat+b.MaxLat)/2*math.Pi/180)
	ky := kit.EarthRadiusM * math.Pi / 180
	for ti := range pts {
		done := map[kit.Point]bool{}
		for _, p := range pts[ti] {
			k := cellIdx(p)
			o := g.own[k]
			if o == ti || done[p] {
				continue
			}
			done[p] = true
			x, y := k%g.nx, k/g.nx
			// Half-size in metres: within the cell, and 0.3 of the distance to every other point of
			// the cell (so neither another township's point nor another island is touched).
			h := 50.0
			h = math.Min(h, 0.9*math.Min(p.Lon-g.xs[x], g.xs[x+1]-p.Lon)*kx)
			h = math.Min(h, 0.9*math.Min(p.Lat-g.ys[y], g.ys[y+1]-p.Lat)*ky)
			for _, q := range byCell[k] {
				if q != p {
					h = math.Min(h, 0.3*math.Hypot((q.Lon-p.Lon)*kx, (q.Lat-p.Lat)*ky))
				}
			}
			if h < 0.05 {
				return nil, 0, fmt.Errorf("township cells: %s point %v lies too close to a point of another township to be given an island", w.Towns[ti].Name, p)
			}
			dx, dy := round7(h/kx), round7(h/ky)
			sq := []kit.Point{{Lon: p.Lon - dx, Lat: p.Lat - dy}, {Lon: p.Lon + dx, Lat: p.Lat - dy}, {Lon: p.Lon + dx, Lat: p.Lat + dy}, {Lon: p.Lon - dx, Lat: p.Lat + dy}, {Lon: p.Lon - dx, Lat: p.Lat - dy}}
			cells[ti] = append(cells[ti], [][]kit.Point{sq})
			islands++
			best := -1
			for i, poly := range cells[o] {
				if inRing(p, poly[0]) && (best < 0 || math.Abs(signedArea(poly[0])) < math.Abs(signedArea(cells[o][best][0]))) {
					best = i
				}
			}
			if best < 0 {
				return nil, 0, fmt.Errorf("township cells: no polygon of %s holds %v", w.Towns[o].Name, p)
			}
			hole := []kit.Point{sq[0], sq[3], sq[2], sq[1], sq[0]}
			cells[o][best] = append(cells[o][best], hole)
		}
	}
	return cells, islands, nil
}

func round7(v float64) float64 { return math.Round(v*1e7) / 1e7 }

func (g *grid) at(x, y int) int {
	if x < 0 || y < 0 || x >= g.nx || y >= g.ny {
		return -1
	}
	return g.own[y*g.nx+x]
}

// unpinch gives one of the other two cells of every 2×2 block whose diagonal cells belong to one
// township (and the other two not) to that township, so that no ring touches itself: the one
// with fewer points of its owner (their points then get islands).
func (g *grid) unpinch(count []int, n int) error {
	for pass := 0; pass < 200; pass++ {
		changed := false
		for y := 0; y+1 < g.ny; y++ {
			for x := 0; x+1 < g.nx; x++ {
				a, b, c, d := g.at(x, y), g.at(x+1, y), g.at(x, y+1), g.at(x+1, y+1)
				var t, k1, k2 int
				switch {
				case a == d && b != a && c != a:
					t, k1, k2 = a, y*g.nx+x+1, (y+1)*g.nx+x
				case b == c && a != b && d != b:
					t, k1, k2 = b, y*g.nx+x, (y+1)*g.nx+x+1
				default:
					continue
				}
				if count[k2*n+g.own[k2]] < count[k1*n+g.own[k1]] {
					k1 = k2
				}
				g.own[k1] = t
				changed = true
			}
		}
		if !changed {
			return nil
		}
	}
	return fmt.Errorf("township cells: corner-touching cells remain after 200 passes")
}

// trace returns the polygons (outer ring counter-clockwise, then its holes clockwise) of the
// cells of township t, with collinear vertices dropped.
func (g *grid) trace(t int) [][][]kit.Point {
	type v struct{ x, y int }
	next := map[v]v{} // directed boundary edges with t's cell on the left
	in := func(x, y int) bool { return g.at(x, y) == t }
	for y := 0; y < g.ny; y++ {
		for x := 0; x < g.nx; x++ {
			if !in(x, y) {
				continue
			}
			if !in(x, y-1) {
				next[v{x, y}] = v{x + 1, y}
			}
			if !in(x+1, y) {
				next[v{x + 1, y}] = v{x + 1, y + 1}
			}
			if !in(x, y+1) {
				next[v{x + 1, y + 1}] = v{x, y + 1}
			}
			if !in(x-1, y) {
				next[v{x, y + 1}] = v{x, y}
			}
		}
	}
	// Start rings at the lowest-leftmost unused vertex, for a deterministic order.
	starts := make([]v, 0, len(next))
	for s := range next {
		starts = append(starts, s)
	}
	sort.Slice(starts, func(i, j int) bool {
		if starts[i].y != starts[j].y {
			return starts[i].y < starts[j].y
		}
		return starts[i].x < starts[j].x
	})
	used := map[v]bool{}
	var outers, holes [][]kit.Point
	for _, s := range starts {
		if used[s] {
			continue
		}
		var ring []v
		for c := s; !used[c]; c = next[c] {
			used[c] = true
			ring = append(ring, c)
		}
		// Drop vertices in the middle of straight runs.
		var pts []kit.Point
		n := len(ring)
		for i, c := range ring {
			p, q := ring[(i+n-1)%n], ring[(i+1)%n]
			if (p.x == c.x && c.x == q.x) || (p.y == c.y && c.y == q.y) {
				continue
			}
			pts = append(pts, kit.Point{Lon: g.xs[c.x], Lat: g.ys[c.y]})
		}
		pts = append(pts, pts[0])
		if signedArea(pts) > 0 {
			outers = append(outers, pts)
		} else {
			holes = append(holes, pts)
		}
	}
	polys := make([][][]kit.Point, len(outers))
	for i, o := range outers {
		polys[i] = [][]kit.Point{o}
	}
	for _, h := range holes {
		best := -1
		for i, o := range outers {
			if inRing(h[0], o) && (best < 0 || math.Abs(signedArea(o)) < math.Abs(signedArea(outers[best]))) {
				best = i
			}
		}
		if best >= 0 {
			polys[best] = append(polys[best], h)
		}
	}
	return polys
}

func signedArea(r []kit.Point) float64 {
	var s float64
	for i := 0; i+1 < len(r); i++ {
		s += r[i].Lon*r[i+1].Lat - r[i+1].Lon*r[i].Lat
	}
	return s / 2
}

// inRing reports whether p lies inside the closed ring (even-odd rule; p not on an edge).
func inRing(p kit.Point, r []kit.Point) bool {
	in := false
	for i := 0; i+1 < len(r); i++ {
		a, b := r[i], r[i+1]
		if (a.Lat > p.Lat) != (b.Lat > p.Lat) && p.Lon < a.Lon+(p.Lat-a.Lat)*(b.Lon-a.Lon)/(b.Lat-a.Lat) {
			in = !in
		}
	}
	return in
}

// writeBoundaries writes the township cells as a GeoJSON FeatureCollection (property name).
// It returns how many points got an island in a neighbour's cell.
func (w *world) writeBoundaries(out string) (int, error) {
	cells, islands, err := w.townCells()
	if err != nil {
		return 0, err
	}
	var b strings.Builder
	b.WriteString(`{"type":"FeatureCollection","name":"乡镇边界（合成）","features":[`)
	for i, t := range w.Towns {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n")
		b.WriteString(`{"type":"Feature","properties":{"name":`)
		kit.WriteJSONString(&b, t.Name)
		b.WriteString(`,"kind":`)
		kit.WriteJSONString(&b, t.Kind)
		b.WriteString(`},"geometry":`)
		b.WriteString(polygonsJSON(cells[i]))
		b.WriteString("}")
	}
	b.WriteString("\n]}\n")
	return islands, kit.WriteFile(filepath.Join(out, filepath.FromSlash(Path)), []byte(b.String()))
}

// polygonsJSON writes polygons with holes as a GeoJSON Polygon or MultiPolygon.
func polygonsJSON(polys [][][]kit.Point) string {
	poly := func(rings [][]kit.Point) string {
		parts := make([]string, len(rings))
		for i, r := range rings {
			parts[i] = ringCoords7(r)
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	if len(polys) == 1 {
		return `{"type":"Polygon","coordinates":` + poly(polys[0]) + `}`
	}
	parts := make([]string, len(polys))
	for i, p := range polys {
		parts[i] = poly(p)
	}
	return `{"type":"MultiPolygon","coordinates":[` + strings.Join(parts, ",") + `]}`
}

// townPoints lists every generated coordinate of each township (by town index): villages,
// meters, patch vertices, cases and clues with coordinates, inspection-form rows with
// coordinates.
func (w *world) townPoints() [][]kit.Point {
	out := make([][]kit.Point, len(w.Towns))
	byName := map[string]int{}
	for i, t := range w.Towns {
		byName[t.Name] = i
		for _, v := range t.Villages {
			out[i] = append(out[i], v.Pt)
		}
	}
	for _, m := range w.Meters {
		i := byName[m.Township]
		out[i] = append(out[i], kit.Point{Lon: m.Lon, Lat: m.Lat})
	}
	for _, p := range w.Patches {
		for _, ring := range p.Polys {
			out[p.Town.Idx] = append(out[p.Town.Idx], ring...)
		}
	}
	for _, c := range w.Cases {
		if c.HasXY {
			out[c.Town.Idx] = append(out[c.Town.Idx], c.Pt)
		}
	}
	for _, c := range w.Clues {
		if c.HasXY {
			out[c.Town.Idx] = append(out[c.Town.Idx], c.Pt)
		}
	}
	for _, f := range w.Forms {
		for _, r := range f.Rows {
			if r.HasXY {
				out[f.Town.Idx] = append(out[f.Town.Idx], r.Pt)
			}
		}
	}
	w.periodTownPoints(out)
	return out
}

// ringCoords7 writes a ring with up to 7 decimals (grid lines lie between the points' 6).
func ringCoords7(ring []kit.Point) string {
	parts := make([]string, len(ring))
	for i, p := range ring {
		parts[i] = "[" + strconv.FormatFloat(round7(p.Lon), 'f', -1, 64) + "," + strconv.FormatFloat(round7(p.Lat), 'f', -1, 64) + "]"
	}
	return "[" + strings.Join(parts, ",") + "]"
}

// periodTownPoints are the coordinates of the period's records by town index (for the boundaries).
func (w *world) periodTownPoints(out [][]kit.Point) {
	if w.Per == nil {
		return
	}
	for _, p := range w.Per.Patches {
		for _, ring := range p.Polys {
			out[p.Town.Idx] = append(out[p.Town.Idx], ring...)
		}
	}
	for _, c := range w.Per.Cases {
		out[c.Town.Idx] = append(out[c.Town.Idx], c.Pt)
	}
	for _, f := range w.Per.Forms {
		for _, r := range f.Rows {
			if r.HasXY {
				out[f.Town.Idx] = append(out[f.Town.Idx], r.Pt)
			}
		}
	}
}

// world is the planned county with the methods that draw its cells.
type world struct{ *county.World }

// Write writes the cells of the planned county w to Path under out and returns how many points
// were given a small island inside a neighbour's cell.
func Write(w *county.World, out string) (int, error) { return (&world{w}).writeBoundaries(out) }
