package warehouse

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"landwatch/campaign"
)

func TestBoundariesKeptAcrossConfigs(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "w.duckdb")
	db, err := Open(ctx, file, Options{})
	if err != nil {
		t.Fatal(err)
	}
	cfg := campaign.Default()
	bs, err := campaign.ParseBoundaries("b.geojson", []byte(`{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"name":"郭道镇"},"geometry":{"type":"Polygon","coordinates":[[[112.1,36.7],[112.2,36.7],[112.2,36.8],[112.1,36.8],[112.1,36.7]]]}},
{"type":"Feature","properties":{"name":"沁河镇"},"geometry":{"type":"Polygon","coordinates":[[[112.3,36.5],[112.4,36.5],[112.4,36.6],[112.3,36.6],[112.3,36.5]]]}}]}`), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetBoundaries(ctx, bs); err != nil {
		t.Fatal(err)
	}
	// Another configuration in force keeps the boundaries.
	other, err := campaign.Parse("other.toml", []byte(strings.Replace(string(campaign.DefaultTOML()), "patrols_per_week = 1", "patrols_per_week = 2", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.ApplyConfig(ctx, other); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if db, err = Open(ctx, file, Options{}); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	got, err := db.Boundaries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// In township order: 沁河镇 is the first configured township.
	if len(got) != 2 || got[0].Township != "沁河镇" || got[1].Township != "郭道镇" || !strings.Contains(string(got[0].GeoJSON), `"name":"沁河镇"`) {
		t.Fatalf("boundaries: %+v", got)
	}
	if got[0].AreaKm2 < 95 || got[0].AreaKm2 > 105 || got[0].Lon != bs[1].Lon {
		t.Errorf("沁河镇: %.2f km² at %g, %g", got[0].AreaKm2, got[0].Lon, got[0].Lat)
	}
	if err := db.SetBoundaries(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Boundaries(ctx); len(got) != 0 {
		t.Errorf("%d boundaries after clearing", len(got))
	}
}
