package boundaries

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"landwatch/campaign"
	"landwatch/etl/synth/county"
	"landwatch/etl/synth/kit"
)

func planned(t *testing.T, scaleName string, seed int64) *world {
	t.Helper()
	sc, err := county.ScaleByName(scaleName, campaign.Default())
	if err != nil {
		t.Fatal(err)
	}
	w := &world{county.NewWorld(campaign.Default(), sc, seed)}
	if err := w.Plan(); err != nil {
		t.Fatal(err)
	}
	return w
}

// inArea reports whether p lies in the polygons (inside an outer ring and in none of its holes).
func inArea(p kit.Point, polys [][][]kit.Point) bool {
	for _, poly := range polys {
		if !inRing(p, poly[0]) {
			continue
		}
		hole := false
		for _, h := range poly[1:] {
			if inRing(p, h) {
				hole = true
				break
			}
		}
		if !hole {
			return true
		}
	}
	return false
}

func areaOf(polys [][][]kit.Point) float64 {
	var a float64
	for _, poly := range polys {
		for _, r := range poly {
			a += signedArea(r) // holes are clockwise: negative
		}
	}
	return a
}

// Every generated point of every scale lies in its own township's cell and in no other; the
// cells tile the county box; the file passes the checks of `landwatch init --boundaries`.
func TestTownCellsHoldEveryPoint(t *testing.T) {
	cfg := campaign.Default()
	b := cfg.County.BBox
	for _, name := range []string{"tiny", "county", "large"} {
		if name == "large" && testing.Short() {
			continue
		}
		w := planned(t, name, 7)
		cells, islands, err := w.townCells()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(cells) != len(cfg.Townships) {
			t.Fatalf("%s: %d cells for %d townships", name, len(cells), len(cfg.Townships))
		}
		var total float64
		for ti, polys := range cells {
			if a := areaOf(polys); a <= 0 {
				t.Errorf("%s: %s has area %g", name, w.Towns[ti].Name, a)
			}
			total += areaOf(polys)
		}
		box := (b.MaxLon - b.MinLon) * (b.MaxLat - b.MinLat)
		if math.Abs(total-box) > 1e-9*box {
			t.Errorf("%s: cells cover %.9f square degrees, the box %.9f (gaps or overlaps)", name, total, box)
		}
		bad := 0
		for ti, ps := range w.townPoints() {
			for _, p := range ps {
				for tj := range cells {
					if in := inArea(p, cells[tj]); in != (ti == tj) && bad < 10 {
						bad++
						t.Errorf("%s: %s point %v inside %s's cell: %v", name, w.Towns[ti].Name, p, w.Towns[tj].Name, in)
					}
				}
			}
		}
		// A lattice of probes lies in exactly one cell each.
		for i := 1; i < 80; i++ {
			for j := 1; j < 80; j++ {
				p := kit.Point{Lon: b.MinLon + (b.MaxLon-b.MinLon)*(float64(i)+0.37)/80, Lat: b.MinLat + (b.MaxLat-b.MinLat)*(float64(j)+0.61)/80}
				n := 0
				for tj := range cells {
					if inArea(p, cells[tj]) {
						n++
					}
				}
				if n != 1 && bad < 10 {
					bad++
					t.Errorf("%s: probe %v lies in %d cells", name, p, n)
				}
			}
		}
		dir := t.TempDir()
		if _, err := w.writeBoundaries(dir); err != nil {
			t.Fatal(err)
		}
		bs, err := campaign.LoadBoundaries(filepath.Join(dir, filepath.FromSlash(Path)), cfg)
		if err != nil {
			t.Fatalf("%s: init would refuse the boundaries: %v", name, err)
		}
		var km2 float64
		for _, x := range bs {
			km2 += x.AreaKm2
		}
		t.Logf("%s: %d townships, %d islands, %.0f km²", name, len(bs), islands, km2)
		if len(bs) != len(cfg.Townships) {
			t.Errorf("%s: %d boundaries read back", name, len(bs))
		}
	}
}

func TestCommittedBoundaries(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "testdata", "tiny", filepath.FromSlash(Path)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := campaign.ParseBoundaries("乡镇边界.geojson", data, campaign.Default()); err != nil {
		t.Fatal(err)
	}
}
