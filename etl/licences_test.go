package etl

import (
	"fmt"
	"testing"
)

// TestLicencesLoad loads the licence register as GeoJSON (a Polygon with a hole and a MultiPolygon)
// and as csv with WKT, and checks the rows and the edges written for the point-in-polygon test.
func TestLicencesLoad(t *testing.T) {
	db, cfg := openDB(t)
	r := load(t, db, cfg, KindLicences, fixture("矿业权登记.geojson"))
	if r.Rows != 2 {
		t.Fatalf("rows %d, want 2", r.Rows)
	}
	got := fmt.Sprint(rowsOf(t, db, `SELECT licence_id, holder, mineral, CAST(valid_from AS VARCHAR), CAST(valid_to AS VARCHAR),
		min_lon, min_lat, max_lon, max_lat, geometry LIKE 'POLYGON%' FROM raw_licences ORDER BY licence_id`))
	want := `[[C1404002015011120000002 沁源县某某石料厂 建筑用石料 2015-01-01 2022-12-31 112.34 36.5 112.38 36.52 false] ` +
		`[C1404002018011120000001 沁源县某某煤业有限公司 煤 2018-01-01 2026-12-31 112.3 36.5 112.32 36.52 true]]`
	if got != want {
		t.Errorf("licences\n got  %s\n want %s", got, want)
	}
	// a square with a square hole: 4 + 4 edges; two squares of a MultiPolygon: 4 + 4
	edges := fmt.Sprint(rowsOf(t, db, `SELECT licence_id, part, ring, count(*) FROM raw_licence_edges GROUP BY ALL ORDER BY ALL`))
	if want := `[[C1404002015011120000002 1 1 4] [C1404002015011120000002 2 1 4] [C1404002018011120000001 1 1 4] [C1404002018011120000001 1 2 4]]`; edges != want {
		t.Errorf("edges\n got  %s\n want %s", edges, want)
	}
	// the csv export of a renewal: a new version of a known licence is accepted (registers are versions)
	r2 := load(t, db, cfg, KindLicences, fixture("矿业权登记-延续.csv"))
	if r2.Rows != 1 {
		t.Errorf("renewal rows %d, want 1", r2.Rows)
	}
	if n := count(t, db, `SELECT count(*) FROM raw_licence_edges WHERE batch_id = ?`, r2.BatchID); n != 8 {
		t.Errorf("renewal edges %d, want 8", n)
	}
	if n := count(t, db, `SELECT count(*) FROM raw_licences WHERE extra IS NOT NULL AND batch_id = ?`, r2.BatchID); n != 1 {
		t.Errorf("the extra column 登记机关 was not kept")
	}
}

// TestLicencesRefused: bad registers are refused with file, row and column, nothing loaded.
func TestLicencesRefused(t *testing.T) {
	db, cfg := openDB(t)
	const head = "许可证号,矿权人,矿种,有效期起,有效期止,WKT\n"
	const sq = `"POLYGON ((112.30 36.50, 112.32 36.50, 112.32 36.52, 112.30 36.52, 112.30 36.50))"`
	for _, c := range []struct {
		name, body string
		want       []string
	}{
		{"outside.csv", head + `C1,某公司,煤,2018-01-01,2026-12-31,"POLYGON ((113.30 36.50, 113.32 36.50, 113.32 36.52, 113.30 36.52, 113.30 36.50))"` + "\n",
			[]string{"第2行", "经度", "超出县域范围"}},
		{"order.csv", head + "C1,某公司,煤,2020-01-01,2019-12-31," + sq + "\n", []string{"第2行", "有效期止", "早于有效期起"}},
		{"nodate.csv", head + "C1,某公司,煤,3月5日,2026-12-31," + sq + "\n", []string{"第2行", "有效期起", "不是有效日期"}},
		{"point.csv", head + `C1,某公司,煤,2018-01-01,2026-12-31,"POINT (112.3 36.5)"` + "\n", []string{"第2行", "WKT", "应为Polygon或MultiPolygon"}},
		{"dup.csv", head + "C1,某公司,煤,2018-01-01,2026-12-31," + sq + "\nC1,某公司,煤,2018-01-01,2026-12-31," + sq + "\n",
			[]string{"第3行", "许可证号", "编号重复"}},
		{"nogeom.csv", "许可证号,矿权人,矿种,有效期起,有效期止\nC1,某公司,煤,2018-01-01,2026-12-31\n", []string{"WKT", "缺少几何列"}},
		{"lookalike.csv", "许可证号,矿权人,矿种,有效期起,有效期截止,WKT\nC1,某公司,煤,2018-01-01,2026-12-31," + sq + "\n",
			[]string{"列“有效期截止”是不是“有效期止”？"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			refused(t, db, cfg, KindLicences, writeFile(t, c.name, c.body), c.want...)
			if n := count(t, db, `SELECT count(*) FROM raw_licences`) + count(t, db, `SELECT count(*) FROM raw_licence_edges`); n != 0 {
				t.Errorf("%d licence rows left", n)
			}
		})
	}
}

// TestLicenceArrival: a register cannot arrive before a licence in it was issued (有效期起), but its
// 有效期止 lies in the future as a matter of course.
func TestLicenceArrival(t *testing.T) {
	_, err := loadAt(t, KindLicences, fixture("矿业权登记.geojson"), "2017-12-31")
	mustRefuse(t, err, "有效期起", "2018-01-01", "晚于送达时间")
	if _, err := loadAt(t, KindLicences, fixture("矿业权登记.geojson"), "2023-03-01"); err != nil {
		t.Fatalf("a register received after issue, valid until 2026: %v", err)
	}
}
