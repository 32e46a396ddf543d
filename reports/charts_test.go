package reports

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"landwatch/campaign"
)

func TestMapBoundaries(t *testing.T) {
	cfg := campaign.Default()
	// Without boundaries the map is the county's bounding box.
	geo, err := boundaryGeoJSON(cfg)
	if err != nil || !strings.Contains(string(geo), `"name":"沁源县"`) || !strings.Contains(string(geo), "111.9") {
		t.Fatalf("bbox map: %s %v", geo, err)
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "towns.geojson")
	os.WriteFile(good, []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"沁河镇"},
		"geometry":{"type":"Polygon","coordinates":[[[112.2,36.6],[112.4,36.6],[112.4,36.8],[112.2,36.6]]]}}]}`), 0o644)
	cfg.County.Boundaries = good
	if geo, err = boundaryGeoJSON(cfg); err != nil || !strings.Contains(string(geo), "沁河镇") {
		t.Fatalf("boundaries: %v", err)
	}
	bad := filepath.Join(dir, "bad.geojson")
	os.WriteFile(bad, []byte(`{"type":"Feature"}`), 0o644)
	cfg.County.Boundaries = bad
	if _, err := boundaryGeoJSON(cfg); err == nil || !strings.Contains(err.Error(), "want FeatureCollection") {
		t.Errorf("bad boundaries: %v", err)
	}
	cfg.County.Boundaries = filepath.Join(dir, "missing.geojson")
	if _, err := boundaryGeoJSON(cfg); err == nil || !strings.Contains(err.Error(), "county.boundaries") {
		t.Errorf("missing boundaries: %v", err)
	}
}

func TestDashboardMapPoints(t *testing.T) {
	db := fixtureDB(t)
	var buf bytes.Buffer
	if err := Dashboard(context.Background(), db, &buf, PageOptions{Nonce: "abc"}); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, want := range []string{`echarts.registerMap("landwatch_county"`, "违法点位·应排漏排", "违法点位·已排查发现",
		`<script nonce="abc">`, `<style nonce="abc">`, "WP202304001"} {
		if !strings.Contains(page, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	if strings.Contains(page, ` style="`) {
		t.Error("dashboard has an inline style attribute (refused by the portal's CSP)")
	}
	// The township role sees its own township only.
	buf.Reset()
	if err := Dashboard(context.Background(), db, &buf, PageOptions{Township: "郭道镇"}); err != nil {
		t.Fatal(err)
	}
	if p := buf.String(); !strings.Contains(p, "WP202302001") || strings.Contains(p, "WP202304001") || strings.Contains(p, "韩洪乡") {
		t.Error("township dashboard shows other townships")
	}
}
