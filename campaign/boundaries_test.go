package campaign

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// square is a closed ring of side d degrees at lon, lat.
func square(lon, lat, d float64) [][2]float64 {
	return [][2]float64{{lon, lat}, {lon + d, lat}, {lon + d, lat + d}, {lon, lat + d}, {lon, lat}}
}

func feature(props map[string]any, typ string, coords any) map[string]any {
	return map[string]any{"type": "Feature", "properties": props, "geometry": map[string]any{"type": typ, "coordinates": coords}}
}

func collection(t *testing.T, fs ...map[string]any) []byte {
	t.Helper()
	data, err := json.Marshal(map[string]any{"type": "FeatureCollection", "features": fs})
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestParseBoundaries(t *testing.T) {
	cfg := Default()
	data := collection(t,
		feature(map[string]any{"name": "沁河镇"}, "Polygon", [][][2]float64{square(112.3, 36.5, 0.1), square(112.32, 36.52, 0.02)}),
		feature(map[string]any{"乡镇": "郭道镇", "code": 2}, "MultiPolygon", [][][][2]float64{{square(112.1, 36.7, 0.1)}, {square(112.25, 36.7, 0.05)}}))
	bs, err := ParseBoundaries("b.geojson", data, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(bs) != 2 || bs[0].Township != "沁河镇" || bs[1].Township != "郭道镇" {
		t.Fatalf("boundaries: %+v", bs)
	}
	// 0.1° × 0.1° at 36.55°N less the 0.02° hole: about 89.4 × 111.2 × 0.96 km².
	if a := bs[0].AreaKm2; a < 93 || a > 98 {
		t.Errorf("沁河镇 area %.2f km²", a)
	}
	if bs[0].Lon < 112.34 || bs[0].Lon > 112.36 || bs[0].Lat < 36.54 || bs[0].Lat > 36.56 {
		t.Errorf("沁河镇 centroid %g, %g", bs[0].Lon, bs[0].Lat)
	}
	var f struct {
		Properties map[string]string `json:"properties"`
		Geometry   struct{ Type string }
	}
	if err := json.Unmarshal(bs[1].GeoJSON, &f); err != nil || f.Properties["name"] != "郭道镇" || f.Geometry.Type != "MultiPolygon" {
		t.Errorf("stored feature %s: %v", bs[1].GeoJSON, err)
	}
}

func TestBoundaryRefusals(t *testing.T) {
	cfg := Default()
	ok := feature(map[string]any{"name": "沁河镇"}, "Polygon", [][][2]float64{square(112.3, 36.5, 0.1)})
	for _, c := range []struct {
		name string
		data []byte
		want []string
	}{
		{"not json", []byte(`{"type":`), []string{"b.geojson", "not GeoJSON"}},
		{"not a collection", []byte(`{"type":"Feature"}`), []string{"want FeatureCollection"}},
		{"empty", collection(t), []string{"no features"}},
		{"unknown township", collection(t, ok, feature(map[string]any{"name": "太原市"}, "Polygon", [][][2]float64{square(112.1, 36.7, 0.1)})),
			[]string{"b.geojson 第2个要素 properties.name", `"太原市" 不是配置中的乡镇`}},
		{"no name", collection(t, feature(map[string]any{"id": 3}, "Polygon", [][][2]float64{square(112.1, 36.7, 0.1)})),
			[]string{"第1个要素 properties.name", "缺少乡镇名称"}},
		{"duplicate", collection(t, ok, feature(map[string]any{"乡镇": "沁河镇"}, "Polygon", [][][2]float64{square(112.1, 36.7, 0.1)})),
			[]string{"第2个要素 properties.乡镇", "第 1 个要素已有其边界"}},
		{"outside bbox", collection(t, feature(map[string]any{"name": "郭道镇"}, "Polygon", [][][2]float64{square(112.65, 36.5, 0.1)})),
			[]string{"第1个要素 geometry", "第1个面的第1个环的第2个点 [112.75, 36.5] 不在县域范围 county.bbox 内"}},
		{"open ring", collection(t, feature(map[string]any{"name": "郭道镇"}, "Polygon", [][][2]float64{square(112.3, 36.5, 0.1)[:4]})),
			[]string{"第1个要素 geometry", "未闭合"}},
		{"short ring", collection(t, feature(map[string]any{"name": "郭道镇"}, "Polygon", [][][2]float64{{{112.3, 36.5}, {112.4, 36.5}, {112.3, 36.5}}})),
			[]string{"点数不足：有 3 个点"}},
		{"bow tie", collection(t, feature(map[string]any{"name": "郭道镇"}, "Polygon", [][][2]float64{{{112.3, 36.5}, {112.4, 36.6}, {112.4, 36.5}, {112.3, 36.65}, {112.3, 36.5}}})),
			[]string{"自相交：第1条边与第3条边相交"}},
		{"flat", collection(t, feature(map[string]any{"name": "郭道镇"}, "Polygon", [][][2]float64{{{112.3, 36.5}, {112.4, 36.5}, {112.5, 36.5}, {112.3, 36.5}}})),
			[]string{"面积为零"}},
		{"point", collection(t, feature(map[string]any{"name": "郭道镇"}, "Point", [2]float64{112.3, 36.5})),
			[]string{"几何类型为 Point，应为面"}},
		{"bad coordinates", []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"郭道镇"},"geometry":{"type":"Polygon","coordinates":[1,2]}}]}`),
			[]string{"第1个要素 geometry"}},
	} {
		_, err := ParseBoundaries("b.geojson", c.data, cfg)
		if err == nil {
			t.Errorf("%s: accepted", c.name)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q lacks %q", c.name, err, w)
			}
		}
	}
}

func TestBoundariesPathRelativeToConfig(t *testing.T) {
	dir := t.TempDir()
	text := strings.Replace(string(DefaultTOML()), `boundaries = ""`, `boundaries = "maps/towns.geojson"`, 1)
	if err := os.WriteFile(filepath.Join(dir, "c.toml"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(filepath.Join(dir, "c.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := cfg.BoundariesPath(), filepath.Join(dir, "maps", "towns.geojson"); got != want {
		t.Errorf("BoundariesPath %q, want %q", got, want)
	}
	if Default().BoundariesPath() != "" {
		t.Error("the default configures boundaries")
	}
}
