package etl

import (
	"math"
	"os"
	"strings"
	"testing"
	"time"

	"landwatch/etl/read"
)

// Fuzz targets for the parsers and readers; none may panic on any input. A short run:
//
//	go test ./etl -run '^$' -fuzz FuzzParseDate -fuzztime 30s
//
// and likewise FuzzParseNumber, FuzzReadCSV, FuzzReadXLSX, FuzzGeoJSON, FuzzWKT.

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2023-03-05", "2023.3.5", "2023/3/5", "2023年3月5日", "3月5日", "44990", "44990.5", "20230305",
		"2023-02-30", "２０２３－０３－０５", "2023-03-05 14:00:00", "", "0", "-1", "1e9", "NaN", "2023年13月1日", "0月0日"} {
		f.Add(s, 2023)
	}
	f.Fuzz(func(t *testing.T, s string, year int) {
		d, ok := ParseDate(s, year)
		if !ok {
			return
		}
		if d.Hour() != 0 || d.Minute() != 0 || d.Location() != time.UTC {
			t.Fatalf("%q: not a date at midnight UTC: %v", s, d)
		}
		back, ok := ParseDate(d.Format("2006-01-02"), 0)
		if !ok || !back.Equal(d) {
			t.Fatalf("%q → %v does not round-trip", s, d)
		}
	})
}

func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"1", "-3.5", "1,234.5", "12,345,678", "１２３", "3.2亩", "50000元", "1e3", "", ",", "1,23", "NaN", "Inf", "0x10", "--1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := ParseNumber(s)
		if ok && (math.IsNaN(v) || math.IsInf(v, 0)) {
			t.Fatalf("%q → %v", s, v)
		}
	})
}

func seedFile(f *testing.F, name string) {
	if b, err := os.ReadFile(fixture(name)); err == nil {
		f.Add(b)
	}
}

func FuzzReadCSV(f *testing.F) {
	for _, n := range []string{"沁河镇村级排查表.csv", "用电户档案.csv", "卫片图斑.csv", "整改台账.csv"} {
		seedFile(f, n)
	}
	f.Add([]byte("a,\"b\nc\",d\n\"unterminated"))
	f.Add([]byte{0xEF, 0xBB, 0xBF, 0xff, 0xfe})
	f.Fuzz(func(t *testing.T, data []byte) {
		g, _, err := read.ReadCSV(data)
		if err != nil {
			return
		}
		if len(g.Rows) != len(g.Nums) {
			t.Fatalf("%d rows, %d line numbers", len(g.Rows), len(g.Nums))
		}
		for i := 1; i < len(g.Nums); i++ {
			if g.Nums[i] <= g.Nums[i-1] {
				t.Fatalf("line numbers not increasing: %v", g.Nums)
			}
		}
		for _, k := range Kinds {
			if h := read.FindHeader(g, newMatcher(k)); h != nil {
				for _, r := range read.Records(g, h) {
					if r.Row <= g.Nums[h.Index] {
						t.Fatalf("record on line %d is above the header", r.Row)
					}
				}
			}
		}
	})
}

func FuzzReadXLSX(f *testing.F) {
	for _, n := range []string{"郭道镇排查表.xlsx", "案件.xlsx"} {
		seedFile(f, n)
	}
	f.Add([]byte("PK\x03\x04 not really a zip"))
	f.Fuzz(func(t *testing.T, data []byte) {
		gs, err := read.ReadXLSX("fuzz.xlsx", data)
		if err != nil {
			return
		}
		for _, g := range gs {
			if len(g.Rows) != len(g.Nums) {
				t.Fatalf("%d rows, %d row numbers", len(g.Rows), len(g.Nums))
			}
			if h := read.FindHeader(g, newMatcher(KindInspection)); h != nil {
				read.Records(g, h)
			}
		}
	})
}

func FuzzGeoJSON(f *testing.F) {
	seedFile(f, "卫片图斑.geojson")
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":null,"geometry":null}]}`))
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"图斑编号":1e400},"geometry":{"type":"Polygon","coordinates":[]}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, err := readGeoJSON(KindImagery, data)
		if err != nil {
			return
		}
		for i, r := range recs {
			if r.Row != i+1 {
				t.Fatalf("feature %d numbered %d", i+1, r.Row)
			}
			if w := r.Vals["wkt"]; w != "" {
				parsePatchGeometry(w)
			}
		}
	})
}

func FuzzWKT(f *testing.F) {
	for _, s := range []string{"POLYGON ((112.56 36.43, 112.561 36.43, 112.561 36.431, 112.56 36.43))",
		"MULTIPOLYGON (((1 1, 2 1, 2 2, 1 1)), ((3 3, 4 3, 4 4, 3 3)))", "POINT (1 2)", "POLYGON EMPTY", "POLYGON ((nan 1, 2 2, 3 3, nan 1))", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		g, err := parsePatchGeometry(s)
		if err == nil && g == nil {
			t.Fatal("nil geometry without an error")
		}
		if err == nil && !strings.Contains(g.GeoJSONType(), "Polygon") {
			t.Fatalf("%q accepted as %s", s, g.GeoJSONType())
		}
	})
}
