package queries

import (
	"path/filepath"
	"testing"
	"time"

	"landwatch/etl"
)

// TestImageryTriage loads the licence register fixtures and patches around them through the
// loaders and checks every licence status: inside a valid licence, inside an expired one, in the
// second polygon of a MultiPolygon, outside every licence, exactly on a licence's boundary (inside)
// and in a licence's hole (outside). A later register export renewing the expired licence counts
// from its arrival on.
func TestImageryTriage(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	cfg, err := f.db.Config(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	load := func(kind etl.Kind, name, received string) {
		t.Helper()
		at, err := etl.ParseReceived(received, cfg.Location())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := etl.LoadFile(f.ctx, f.db, cfg, kind, filepath.Join("..", "testdata", "etl", name),
			etl.Options{LoadedBy: "test", ReceivedAt: at, Now: func() time.Time { return time.Date(2023, 12, 1, 0, 0, 0, 0, time.UTC) }}); err != nil {
			t.Fatalf("load %s: %v", name, err)
		}
	}
	load(etl.KindLicences, "矿业权登记.geojson", "2023-03-01")
	load(etl.KindImagery, "卫片图斑-矿区.geojson", "2023-03-20")
	load(etl.KindLicences, "矿业权登记-延续.csv", "2023-05-10")

	const valid, expired = "C1404002018011120000001", "C1404002015011120000002"
	want := map[string]row{
		"WP-LIC-IN":          {"licence_status": "in_licence", "licence_id": valid},
		"WP-LIC-EDGE":        {"licence_status": "in_licence", "licence_id": valid},
		"WP-LIC-EXPIRED":     {"licence_status": "expired_licence", "licence_id": expired},
		"WP-LIC-SECOND-PART": {"licence_status": "expired_licence", "licence_id": expired},
		"WP-LIC-NONE":        {"licence_status": "no_licence", "licence_id": nil},
		"WP-LIC-HOLE":        {"licence_status": "no_licence", "licence_id": nil},
	}
	check := func(asOf string, want map[string]row) {
		t.Helper()
		f.run(asOf)
		got := map[string]row{}
		for _, r := range f.query(`SELECT patch_id, licence_id, licence_status, township, imaged_on FROM mart_imagery_triage`) {
			got[r["patch_id"].(string)] = r
		}
		if len(got) != len(want) {
			t.Errorf("as of %s: %d patches, want %d", asOf, len(got), len(want))
		}
		for id, w := range want {
			expect(t, asOf+" "+id, got[id], w)
		}
	}
	check("2023-04-30", want)
	edge := f.one(`SELECT on_boundary FROM int_patch_licences WHERE patch_id = 'WP-LIC-EDGE'`)
	if edge["on_boundary"] != true {
		t.Errorf("WP-LIC-EDGE: on_boundary %v, want true", edge["on_boundary"])
	}

	// the renewal (有效期止 2027-12-31) arrived 2023-05-10: from then on the patch was licensed
	want["WP-LIC-EXPIRED"] = row{"licence_status": "in_licence", "licence_id": expired}
	want["WP-LIC-SECOND-PART"] = row{"licence_status": "in_licence", "licence_id": expired}
	check("2023-05-31", want)
}
