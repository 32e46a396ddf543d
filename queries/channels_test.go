package queries

import (
	"fmt"
	"math"
	"testing"
)

func init() {
	kindOf["raw_explosives"] = "explosives"
	kindOf["raw_video_events"] = "video"
}

// licence registers a licence whose area is the square of half-side d degrees around (lon, lat).
func (f *fixture) licence(id, from, to string, lon, lat, d float64) {
	f.t.Helper()
	b, ok := f.batches["licences"]
	if !ok {
		b = f.newBatch("licences")
	}
	f.rows[b]++
	f.exec(`INSERT INTO raw_licences VALUES (?, ?, ?, '沁源煤业', '煤', CAST(? AS DATE), CAST(? AS DATE), ?, ?, ?, ?, 'POLYGON EMPTY', NULL)`,
		b, f.rows[b], id, from, to, lon-d, lat-d, lon+d, lat+d)
	pts := [][2]float64{{lon - d, lat - d}, {lon + d, lat - d}, {lon + d, lat + d}, {lon - d, lat + d}, {lon - d, lat - d}}
	for i := 0; i+1 < len(pts); i++ {
		f.exec(`INSERT INTO raw_licence_edges VALUES (?, ?, ?, 1, 1, ?, ?, ?, ?, ?)`, b, f.rows[b], id, i+1,
			pts[i][0], pts[i][1], pts[i+1][0], pts[i+1][1])
	}
}

// flow registers an explosives flow in 沁河镇 沁河村 drawn under a licence.
func (f *fixture) flow(id, licence, item string, qty float64, drawn, site string, lon, lat float64) {
	f.t.Helper()
	unit := map[string]string{"炸药": "千克", "雷管": "发", "导爆索": "米"}[item]
	f.insert("raw_explosives", row{"flow_id": id, "buyer": "沁源爆破公司", "licence_id": licence, "item": item, "quantity": qty,
		"unit": unit, "drawn_on": drawn, "site": site, "township": t1, "village": v1, "lon": lon, "lat": lat, "returned": 0})
}

// check enters a field check of a clue of a channel, entered at noon of the check's day.
func (f *fixture) clueCheck(channel, id, on, result string) {
	f.t.Helper()
	f.insert("clue_check_entries", row{"channel": channel, "item_id": id, "checked_on": on, "result": result, "note": "现场核实",
		"entered_by": "test", "entered_at": on + " 12:00:00"})
}

// east moves a longitude d metres east at latitude lat.
func east(lon, lat, d float64) float64 {
	return lon + d/(6371008.8*math.Cos(lat*math.Pi/180))*180/math.Pi
}

// TestExplosivesFlowRules: each rule of mart_explosives_flows with a case that must not fire. A flow
// inside a valid licence, under the ceiling, far from mines and violations is no clue; a flow
// outside every licence area, one under an expired licence (its area no longer valid either), one
// naming a licence not registered, the flow that takes its site's week over the ceiling (not the one
// before it nor next week's), one near a closed mine (not one 900 m off) and one near an open
// violation (not one near a rectified violation) are, with a check deadline. Once 属实 the outside flow
// is a violation detected by the problem the township listed 200 m away; the expired one, with no
// problem listed, is missed (应排漏排).
func TestExplosivesFlowRules(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.licence("L-1", "2020-01-01", "2025-12-31", 112.30, 36.50, 0.01)
	f.licence("L-OLD", "2015-01-01", "2022-12-31", 112.40, 36.45, 0.01)
	f.licence("L-2", "2020-01-01", "2025-12-31", 112.20, 36.60, 0.01)
	f.meter("CM-1", "关闭矿井", 112.20, 36.60)
	f.patch("WP-1", t1, v1, "2023-03-02", 112.305, 36.505, nil)
	f.patch("WP-2", t1, v1, "2023-03-02", 112.295, 36.505, nil)
	f.rectified("WP-2", "2023-03-10")
	f.flow("MB-OK", "L-1", "炸药", 100, "2023-03-06", "沁河镇沁河村一号采区", 112.295, 36.495)
	f.flow("MB-OUT", "L-1", "炸药", 50, "2023-03-07", "沁河镇沁河村北山", 112.35, 36.55)
	f.flow("MB-EXP", "L-OLD", "雷管", 100, "2023-03-07", "沁河镇沁河村南沟", 112.40, 36.45)
	f.flow("MB-UNK", "C-404", "导爆索", 100, "2023-03-07", "沁河镇沁河村一号采区", 112.296, 36.494)
	f.flow("MB-W1", "L-1", "炸药", 300, "2023-03-06", "沁河镇沁河村二号采区", 112.292, 36.492)
	f.flow("MB-W2", "L-1", "炸药", 300, "2023-03-08", "沁河镇沁河村二号采区", 112.292, 36.492)
	f.flow("MB-W3", "L-1", "炸药", 300, "2023-03-13", "沁河镇沁河村二号采区", 112.292, 36.492)
	f.flow("MB-MINE", "L-2", "炸药", 10, "2023-03-07", "沁河镇沁河村老窑", 112.20, north(36.60, 100))
	f.flow("MB-FAR", "L-2", "炸药", 10, "2023-03-07", "沁河镇沁河村新窑", 112.20, north(36.60, 900))
	f.flow("MB-NV", "L-1", "炸药", 10, "2023-03-07", "沁河镇沁河村三号采区", 112.305, north(36.505, 100))
	f.flow("MB-NR", "L-1", "炸药", 10, "2023-03-07", "沁河镇沁河村四号采区", 112.295, north(36.505, 100))
	f.problem("P-1", t1, v1, "2023-03-08", row{"lon": 112.35, "lat": north(36.55, 200), "inspected_on": "2023-03-08"})
	f.clueCheck("民爆流向", "MB-OUT", "2023-03-10", "属实")
	f.clueCheck("民爆流向", "MB-EXP", "2023-03-10", "属实")
	f.clueCheck("民爆流向", "MB-MINE", "2023-03-10", "不属实")
	f.run("2023-03-31")
	want := map[string]string{
		"MB-OK": "", "MB-OUT": "outside_licence", "MB-EXP": "outside_licence,expired_licence", "MB-UNK": "unknown_licence",
		"MB-W1": "", "MB-W2": "over_ceiling", "MB-W3": "", "MB-MINE": "near_closed_mine", "MB-FAR": "",
		"MB-NV": "near_violation", "MB-NR": "",
	}
	got := map[string]string{}
	for _, r := range f.query(`SELECT flow_id, reasons, is_clue FROM mart_explosives_flows`) {
		got[r["flow_id"].(string)] = r["reasons"].(string)
		if r["is_clue"].(bool) != (r["reasons"] != "") {
			t.Errorf("%s: is_clue %v with reasons %q", r["flow_id"], r["is_clue"], r["reasons"])
		}
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("%s: reasons %q, want %q", id, got[id], w)
		}
	}
	expect(t, "MB-OUT check", f.one(`SELECT * FROM mart_explosives_flows WHERE flow_id = 'MB-OUT'`),
		row{"check_result": "属实", "checked_on": "2023-03-10", "check_due_on": "2023-03-10", "check_late": false})
	expect(t, "MB-UNK unchecked", f.one(`SELECT * FROM mart_explosives_flows WHERE flow_id = 'MB-UNK'`),
		row{"check_result": nil, "check_due_on": "2023-03-10", "check_late": true})
	expect(t, "MB-W2 week", f.one(`SELECT * FROM mart_explosives_flows WHERE flow_id = 'MB-W2'`), row{"week_net": 600.0, "ceiling": 500.0})

	out := f.one(`SELECT * FROM mart_violations WHERE source_refs LIKE '%MB-OUT%'`)
	expect(t, "MB-OUT violation", out, row{"violation_id": "MB-OUT", "sources": "民爆流向", "township": t1, "detected_by": "P-1",
		"detection_status": "detected", "category": "M5"})
	expect(t, "MB-EXP violation", f.one(`SELECT * FROM mart_violations WHERE source_refs LIKE '%MB-EXP%'`),
		row{"detection_status": "missed", "detected_by": nil})
	if n := len(f.query(`SELECT * FROM mart_violations WHERE source_refs LIKE '%MB-MINE%'`)); n != 0 {
		t.Errorf("MB-MINE checked 不属实 is no violation: %d", n)
	}
	// before its check the outside flow is a clue but no violation
	f.run("2023-03-09")
	if n := len(f.query(`SELECT * FROM mart_violations WHERE source_refs LIKE '%MB-OUT%'`)); n != 0 {
		t.Errorf("MB-OUT unchecked as of 03-09 is no violation yet: %d", n)
	}
}

// TestVideoEventsBecomeViolations: a night event at a closed mine is a clue (night, closed_mine); a
// day event far from mines at a quiet camera is not; the third event of one camera within the
// window is repeated, the first two are not. Once its township checks it 属实 the night event is a
// violation merged with a patch 100 m away and detected by the problem the township listed 200 m
// away; a night event in 郭道镇, checked 属实, where the township listed nothing is missed (应排漏排).
func TestVideoEventsBecomeViolations(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.meter("CM-1", "关闭矿井", 112.30, 36.50)
	ev := func(id, camera, town, village, at string, lon, lat float64) {
		f.insert("raw_video_events", row{"event_id": id, "camera_id": camera, "township": town, "village": village, "lon": lon, "lat": lat,
			"seen_at": at, "event_type": "其他", "screenshot": id + ".jpg"})
	}
	ev("SP-1", "CAM-1", t1, v1, "2023-03-08 23:30:00", 112.30, north(36.50, 50))
	ev("SP-DAY", "CAM-2", t1, v1, "2023-03-08 14:00:00", 112.40, 36.40)
	ev("SP-R1", "CAM-3", t1, v1, "2023-03-01 10:00:00", 112.45, 36.40)
	ev("SP-R2", "CAM-3", t1, v1, "2023-03-04 10:00:00", 112.45, 36.40)
	ev("SP-R3", "CAM-3", t1, v1, "2023-03-07 10:00:00", 112.45, 36.40)
	ev("SP-R4", "CAM-3", t1, v1, "2023-03-15 10:00:00", 112.45, 36.40)
	ev("SP-2", "CAM-4", t2, v2, "2023-03-09 02:10:00", 112.18, 36.79)
	f.patch("WP-V", t1, v1, "2023-03-09", east(112.30, 36.50, 100), north(36.50, 50), nil)
	f.problem("P-V", t1, v1, "2023-03-10", row{"lon": 112.30, "lat": north(36.50, 250), "inspected_on": "2023-03-10"})
	f.clueCheck("视频监控", "SP-1", "2023-03-10", "属实")
	f.clueCheck("视频监控", "SP-2", "2023-03-11", "属实")
	f.run("2023-03-31")
	want := map[string]string{"SP-1": "night,closed_mine", "SP-DAY": "", "SP-R1": "", "SP-R2": "", "SP-R3": "repeated", "SP-R4": "",
		"SP-2": "night"}
	for _, r := range f.query(`SELECT event_id, reasons FROM mart_video_events`) {
		if w := want[r["event_id"].(string)]; r["reasons"] != w {
			t.Errorf("%s: reasons %q, want %q", r["event_id"], r["reasons"], w)
		}
	}
	expect(t, "SP-1 check", f.one(`SELECT * FROM mart_video_events WHERE event_id = 'SP-1'`),
		row{"is_clue": true, "check_result": "属实", "check_due_on": "2023-03-11", "check_late": false, "closed_mine_meter": "CM-1"})
	expect(t, "SP-1 violation", f.one(`SELECT * FROM mart_violations WHERE source_refs LIKE '%SP-1%'`),
		row{"violation_id": "SP-1", "sources": "视频监控,卫片", "source_refs": "SP-1,WP-V", "detected_by": "P-V", "detection_status": "detected"})
	expect(t, "SP-2 violation", f.one(`SELECT * FROM mart_violations WHERE source_refs LIKE '%SP-2%'`),
		row{"township": t2, "sources": "视频监控", "detection_status": "missed", "detected_by": nil})
	card := f.card("2023-03-31", t2)
	if fmt.Sprint(card["missed"]) == "0" {
		t.Errorf("郭道镇's scorecard counts no missed violation: %v", card)
	}
}
