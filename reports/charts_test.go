package reports

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"landwatch/campaign"
)

func TestMapBoundaries(t *testing.T) {
	ctx := context.Background()
	db := fixtureDB(t)
	cfg := campaign.Default()
	// Without boundaries the map is the county's bounding box.
	geo, bs, err := boundaryGeoJSON(ctx, db, cfg, "")
	if err != nil || len(bs) != 0 || !strings.Contains(string(geo), `"name":"沁源县"`) || !strings.Contains(string(geo), "111.9") {
		t.Fatalf("bbox map: %s %v", geo, err)
	}
	bounds, err := campaign.LoadBoundaries(filepath.Join("..", "testdata", "tiny", "boundaries", "乡镇边界.geojson"), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetBoundaries(ctx, bounds); err != nil {
		t.Fatal(err)
	}
	geo, bs, err = boundaryGeoJSON(ctx, db, cfg, "")
	if err != nil || len(bs) != len(cfg.Townships) {
		t.Fatalf("boundaries: %d, %v", len(bs), err)
	}
	var fc struct {
		Type     string
		Features []struct {
			Properties struct{ Name string }
			Geometry   struct{ Type string }
		}
	}
	if err := json.Unmarshal(geo, &fc); err != nil || fc.Type != "FeatureCollection" || len(fc.Features) != len(cfg.Townships) {
		t.Fatalf("map GeoJSON: %v %+v", err, fc)
	}
	for i, tw := range cfg.Townships {
		if fc.Features[i].Properties.Name != tw.Name {
			t.Errorf("feature %d is %q, want %s", i+1, fc.Features[i].Properties.Name, tw.Name)
		}
	}
	// The township role's map holds its own boundary only.
	if _, bs, err = boundaryGeoJSON(ctx, db, cfg, "郭道镇"); err != nil || len(bs) != 1 || bs[0].Township != "郭道镇" {
		t.Errorf("township map: %+v %v", bs, err)
	}
	// The dashboard registers every polygon and labels every township.
	var buf bytes.Buffer
	if err := Dashboard(ctx, db, &buf, PageOptions{}); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, b := range bounds {
		if !strings.Contains(page, string(jsSafe(b.GeoJSON))) {
			t.Errorf("dashboard lacks the polygon of %s", b.Township)
		}
	}
	if !strings.Contains(page, `"name":"`+townshipSeries+`"`) {
		t.Error("dashboard lacks the township labels")
	}
}

func TestDashboardMapPoints(t *testing.T) {
	db := fixtureDB(t)
	var buf bytes.Buffer
	if err := Dashboard(context.Background(), db, &buf, PageOptions{Nonce: "abc"}); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	var own, other string
	db.QueryRow(`SELECT violation_id FROM mart_violations WHERE township = '郭道镇' AND lon IS NOT NULL LIMIT 1`).Scan(&own)
	db.QueryRow(`SELECT violation_id FROM mart_violations WHERE township = '韩洪乡' AND lon IS NOT NULL LIMIT 1`).Scan(&other)
	if own == "" || other == "" {
		t.Fatal("the tiny county lacks violations with points in 郭道镇 and 韩洪乡")
	}
	for _, want := range []string{`echarts.registerMap("landwatch_county"`, "违法点位·应排漏排", "违法点位·已排查发现",
		`<script nonce="abc">`, `<style nonce="abc">`, own, other} {
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
	if p := buf.String(); !strings.Contains(p, own) || strings.Contains(p, other) || strings.Contains(p, "韩洪乡") {
		t.Error("township dashboard shows other townships")
	}
}
