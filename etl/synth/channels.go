package synth

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"path/filepath"
	"slices"
	"strings"

	"landwatch/etl/synth/county"
	"landwatch/etl/synth/kit"
	"landwatch/etl/synth/power"
)

// The clue channels 民爆流向 and 视频监控 (kinds explosives and video). A licensed blasting unit
// draws explosives for the first valid licence of the register: normal flows inside its area, each
// week under the ceilings, and one flow used beside an idle closed mine outside every licence area
// (民爆流向 clue: outside_licence, near_closed_mine). A camera sees night work (夜间作业, 23:40) at a
// site of a township's village that no problem, record or mine lies near (视频监控 clue: night);
// another camera sees daytime traffic (no clue). Both lists reach the county on the Sunday after
// their last day; each screenshot is a small PNG beside the list. The police check the off-licence
// flow and the township the night event 属实 on the console (console.json, clue_checks), so they
// become violations only with the console entries; the files, and every other figure of
// truth.json, do not depend on them. Truth states the reasons of every flow and event as of the end
// of the data (Truth.Channels, computed here by the definitions of mart_explosives_flows and
// mart_video_events) and, for the console, the violations the two checked clues join and their
// detection status (evaluated with the checks' records added). No random draw is spent: positions
// follow from the register, the meters and the sites already planned.

// ChannelTruth is what mart_explosives_flows and mart_video_events show as of data_to.
type ChannelTruth struct {
	Flows  []ClueTruth `json:"explosives_flows"`
	Events []ClueTruth `json:"video_events"`
}

// ClueTruth is one flow or event with its reasons (codes, comma-joined as the mart writes them).
type ClueTruth struct {
	ID      string `json:"id"`
	Reasons string `json:"reasons"`
}

// ChannelConsoleTruth: the violations the checked flow and event join as of details_as_of.
type ChannelConsoleTruth struct {
	FlowID         string `json:"flow_id"`
	FlowViolation  string `json:"flow_violation"`
	FlowStatus     string `json:"flow_detection_status"`
	EventID        string `json:"event_id"`
	EventViolation string `json:"event_violation"`
	EventStatus    string `json:"event_detection_status"`
	EventTownship  string `json:"event_township"`
	FlowTownship   string `json:"flow_township"`
	FlowReasons    string `json:"flow_reasons"`
	EventReasons   string `json:"event_reasons"`
}

// planChannels plans the flows and the camera events (nothing when the register or the closed
// mines give no place for them).
func (w *world) planChannels() {
	cp := &county.ChannelPlan{}
	w.Channels = cp
	d := w.Timeline.Deadline
	var lic *county.Licence
	for _, l := range w.Licences {
		if l.From <= d-10 && d+12 <= l.To && len(l.Polys) > 0 {
			lic = l
			break
		}
	}
	if lic == nil {
		return
	}
	// the area's inside point: the mean of its first ring, else a vertex pulled towards it
	ring := lic.Polys[0]
	var c kit.Point
	for _, p := range ring {
		c.Lon += p.Lon / float64(len(ring))
		c.Lat += p.Lat / float64(len(ring))
	}
	for k := 1; !lic.Holds(c) && k < 10; k++ {
		c = kit.Point{Lon: ring[0].Lon + (c.Lon-ring[0].Lon)*0.5, Lat: ring[0].Lat + (c.Lat-ring[0].Lat)*0.5}
	}
	c = kit.Point{Lon: kit.Round6(c.Lon), Lat: kit.Round6(c.Lat)}
	town, village := w.placeOf(c)
	if town == "" || !lic.Holds(c) {
		return
	}
	buyer := "沁源县恒安爆破工程有限公司"
	site := town + village + "采区爆破点"
	for i, x := range []struct {
		off       int
		item      string
		qty, back float64
	}{{-9, "炸药", 180, 20}, {-9, "雷管", 300, 0}, {-4, "炸药", 200, 0}, {-2, "导爆索", 150, 10}, {2, "炸药", 240, 30}, {5, "雷管", 280, 0}} {
		cp.Flows = append(cp.Flows, &county.FlowRec{ID: fmt.Sprintf("MB-%04d", i+1), Buyer: buyer, Licence: lic.ID, Item: x.item,
			Unit: explosiveUnit(x.item), Site: site, Township: town, Village: village, Qty: x.qty, Returned: x.back, Drawn: d + kit.Date(x.off), Pt: c})
	}
	// an idle closed mine outside every licence area, far from every planned record
	final := w.Members(w.Scale.ReadTo)
	for _, m := range w.Meters {
		if m.Kind != power.KindClosedMine || len(m.Anomalies) > 0 {
			continue
		}
		lon, lat := kit.Offset(m.Lon, m.Lat, 0, 120)
		p := kit.Point{Lon: kit.Round6(lon), Lat: kit.Round6(lat)}
		if w.licensed(p) || nearAny(p, final, 800) {
			continue
		}
		cp.Flows = append(cp.Flows, &county.FlowRec{ID: fmt.Sprintf("MB-%04d", len(cp.Flows)+1), Buyer: buyer, Licence: lic.ID, Item: "炸药",
			Unit: "千克", Site: m.Township + m.Village + "关闭煤矿北侧", Township: m.Township, Village: m.Village, Qty: 120, Drawn: d - 5, Pt: p})
		break
	}
	cp.FlowsRecv = (d + 5).Sunday()

	// a site of night work no one listed: 2.5 km east of a village, far from everything
	probs := w.allProblems()
	for _, t := range w.Towns {
		for _, v := range t.Villages {
			lon, lat := kit.Offset(v.Pt.Lon, v.Pt.Lat, 2500, 300)
			lon, lat = w.Clamp(lon, lat)
			p := kit.Point{Lon: kit.Round6(lon), Lat: kit.Round6(lat)}
			if nearAny(p, final, 1500) || w.nearMine(p, 1500) || slices.ContainsFunc(probs, func(q *county.Problem) bool {
				return q.HasXY && kit.Haversine(p.Lon, p.Lat, q.Pt.Lon, q.Pt.Lat) < 1500
			}) || slices.ContainsFunc(cp.Flows, func(f *county.FlowRec) bool { return kit.Haversine(p.Lon, p.Lat, f.Pt.Lon, f.Pt.Lat) < 1500 }) {
				continue
			}
			cp.Events = append(cp.Events,
				&county.EventRec{ID: "SP-0001", Camera: "CAM-" + fmt.Sprint(t.Idx+1) + "01", Township: t.Name, Village: v.Name, Typ: "夜间作业",
					Day: d - 6, Hour: 23, Minute: 40, Pt: p, Note: "山坡有挖掘机作业，车灯往返"},
				&county.EventRec{ID: "SP-0002", Camera: "CAM-" + fmt.Sprint(t.Idx+1) + "02", Township: t.Name, Village: v.Name, Typ: "车辆进出",
					Day: d - 3, Hour: 10, Minute: 15, Pt: kit.Point{Lon: kit.Round6(v.Pt.Lon), Lat: kit.Round6(v.Pt.Lat)}, Note: "村口运煤车辆通过"},
				&county.EventRec{ID: "SP-0003", Camera: "CAM-" + fmt.Sprint(t.Idx+1) + "02", Township: t.Name, Village: v.Name, Typ: "车辆进出",
					Day: d - 1, Hour: 15, Minute: 5, Pt: kit.Point{Lon: kit.Round6(v.Pt.Lon), Lat: kit.Round6(v.Pt.Lat)}, Note: "村口车辆通过"})
			break
		}
		if len(cp.Events) > 0 {
			break
		}
	}
	for _, e := range cp.Events {
		e.Shot = e.ID + ".png"
	}
	cp.EventRecv = (d - 1).Sunday()
}

func explosiveUnit(item string) string {
	return map[string]string{"炸药": "千克", "雷管": "发", "导爆索": "米"}[item]
}

// placeOf is the township and village whose village point lies nearest p.
func (w *world) placeOf(p kit.Point) (string, string) {
	best, bt, bv := math.Inf(1), "", ""
	for _, t := range w.Towns {
		for _, v := range t.Villages {
			if d := kit.Haversine(p.Lon, p.Lat, v.Pt.Lon, v.Pt.Lat); d < best {
				best, bt, bv = d, t.Name, v.Name
			}
		}
	}
	return bt, bv
}

func (w *world) licensed(p kit.Point) bool {
	return slices.ContainsFunc(w.Licences, func(l *county.Licence) bool { return l.Holds(p) })
}

func (w *world) nearMine(p kit.Point, m float64) bool {
	return slices.ContainsFunc(w.Meters, func(x *power.Meter) bool {
		return x.Kind == power.KindClosedMine && kit.Haversine(p.Lon, p.Lat, x.Lon, x.Lat) <= m
	})
}

func nearAny(p kit.Point, ms []*county.Member, m float64) bool {
	return slices.ContainsFunc(ms, func(x *county.Member) bool { return x.HasXY && kit.Haversine(p.Lon, p.Lat, x.Pt.Lon, x.Pt.Lat) <= m })
}

// channelTruth states every flow's and event's reasons as of the end of the data, from the files.
func (w *world) channelTruth(tr *Truth) {
	cp := w.Channels
	ct := &ChannelTruth{Flows: []ClueTruth{}, Events: []ClueTruth{}}
	tr.Channels = ct
	if cp == nil {
		return
	}
	end := w.Scale.ReadTo
	e := w.Evaluate(end)
	rectified := map[string]bool{}
	for _, it := range e.Ledger {
		if it.Status == "已整改" {
			rectified[it.ID] = true
		}
	}
	ex := w.Cfg.Explosives
	week := map[string]float64{}
	flows := slices.Clone(cp.Flows)
	slices.SortStableFunc(flows, func(a, b *county.FlowRec) int {
		if a.Drawn != b.Drawn {
			return int(a.Drawn - b.Drawn)
		}
		return strings.Compare(a.ID, b.ID)
	})
	for _, f := range flows {
		var rs []string
		inValid := slices.ContainsFunc(w.Licences, func(l *county.Licence) bool { return l.From <= f.Drawn && f.Drawn <= l.To && l.Holds(f.Pt) })
		if !inValid {
			rs = append(rs, "outside_licence")
		}
		if i := slices.IndexFunc(w.Licences, func(l *county.Licence) bool { return l.ID == f.Licence }); i < 0 {
			rs = append(rs, "unknown_licence")
		} else if l := w.Licences[i]; f.Drawn < l.From || f.Drawn > l.To {
			rs = append(rs, "expired_licence")
		}
		k := fmt.Sprintf("%s|%s|%d", f.Site, f.Item, f.Drawn.Monday())
		week[k] += f.Qty - f.Returned
		if week[k] > ex.CeilingOf(f.Item) {
			rs = append(rs, "over_ceiling")
		}
		if w.nearMine(f.Pt, ex.Near()) {
			rs = append(rs, "near_closed_mine")
		}
		if slices.ContainsFunc(e.Violations, func(v *county.Violation) bool {
			pv := v.Primary()
			return pv.HasXY && !rectified[pv.ID] && !(v.By != "" && rectified[v.By]) &&
				kit.Haversine(f.Pt.Lon, f.Pt.Lat, pv.Pt.Lon, pv.Pt.Lat) <= ex.Near()
		}) {
			rs = append(rs, "near_violation")
		}
		ct.Flows = append(ct.Flows, ClueTruth{ID: f.ID, Reasons: strings.Join(rs, ",")})
	}
	vi := w.Cfg.Video
	ns, ne := vi.Night()
	rd, rc := vi.Repeat()
	for _, ev := range cp.Events {
		var rs []string
		if ns > ne && (ev.Hour >= ns || ev.Hour < ne) || ns < ne && ev.Hour >= ns && ev.Hour < ne {
			rs = append(rs, "night")
		}
		if w.nearMine(ev.Pt, vi.ClosedMine()) {
			rs = append(rs, "closed_mine")
		}
		at := func(x *county.EventRec) float64 { return float64(x.Day) + float64(x.Hour*60+x.Minute)/1440 }
		n := 0
		for _, o := range cp.Events {
			if o.Camera == ev.Camera && at(o) <= at(ev) && at(o) > at(ev)-float64(rd) {
				n++
			}
		}
		if n >= rc {
			rs = append(rs, "repeated")
		}
		ct.Events = append(ct.Events, ClueTruth{ID: ev.ID, Reasons: strings.Join(rs, ",")})
	}
}

// channelConsole adds the checks of the off-licence flow (公安) and the night event (its township),
// each 属实 two days after it (or on the day its list arrived, if later), and states the violations
// they join as of details_as_of; a county with neither planned gets no checks.
func (w *world) channelConsole(tr *Truth, con *Console, ct *ConsoleTruth) {
	cp := w.Channels
	con.ClueChecks = []county.ConsoleClueCheck{}
	if cp == nil {
		return
	}
	ch := &ChannelConsoleTruth{}
	for _, f := range tr.Channels.Flows {
		if strings.Contains(f.Reasons, "outside_licence") {
			ch.FlowID, ch.FlowReasons = f.ID, f.Reasons
		}
	}
	for _, e := range tr.Channels.Events {
		if strings.Contains(e.Reasons, "night") {
			ch.EventID, ch.EventReasons = e.ID, e.Reasons
		}
	}
	if ch.FlowID == "" && ch.EventID == "" {
		return // a county whose register, mines and sites leave no place for them
	}
	for _, f := range cp.Flows {
		if f.ID == ch.FlowID {
			on := max(f.Drawn+2, cp.FlowsRecv)
			con.ClueChecks = append(con.ClueChecks, county.ConsoleClueCheck{Channel: "民爆流向", ItemID: f.ID, CheckedOn: on.String(), Result: "属实",
				Note: "现场见新爆破痕迹，不在任何采矿许可范围内", By: "公安", Unit: w.Cfg.Explosives.Police(), EnteredAt: on.String() + " 16:30"})
			ch.FlowTownship = f.Township
		}
	}
	for _, e := range cp.Events {
		if e.ID == ch.EventID {
			on := max(e.Day+2, cp.EventRecv)
			con.ClueChecks = append(con.ClueChecks, county.ConsoleClueCheck{Channel: "视频监控", ItemID: e.ID, CheckedOn: on.String(), Result: "属实",
				Note: "现场有新开挖采坑，夜间盗采", By: e.Township, Unit: e.Township, EnteredAt: on.String() + " 17:00"})
			ch.EventTownship = e.Township
		}
	}
	cp.Checked = con.ClueChecks
	cp.Applied = true
	ev := w.Evaluate(county.ParseDay(tr.DetailsAsOf))
	cp.Applied = false
	for _, v := range ev.Violations {
		for _, m := range v.Members {
			switch m.ID {
			case ch.FlowID:
				ch.FlowViolation, ch.FlowStatus = v.Primary().ID, v.Status
			case ch.EventID:
				ch.EventViolation, ch.EventStatus = v.Primary().ID, v.Status
			}
		}
	}
	ct.Channels = ch
}

// screenshot is a small dark PNG with a light spot, like a night frame.
func screenshot(seed int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 64, 36))
	for y := 0; y < 36; y++ {
		for x := 0; x < 64; x++ {
			v := uint8(10 + (x*y+seed)%12)
			if (x-40)*(x-40)+(y-20)*(y-20) < 16 {
				v = 230
			}
			img.Set(x, y, color.RGBA{v, v, v / 2, 255})
		}
	}
	var b bytes.Buffer
	_ = png.Encode(&b, img)
	return b.Bytes()
}

// writeExplosives writes the police's flow register.
func (w *world) writeExplosives(out string) ([]File, error) {
	cp := w.Channels
	if cp == nil || len(cp.Flows) == 0 {
		return nil, nil
	}
	rel := filepath.Join("explosives", "民爆物品流向.csv")
	rows := [][]string{{"流向编号", "购买单位", "许可证号", "品种", "数量", "单位", "领用日期", "作业地点", "经度", "纬度", "退库数量"}}
	for _, f := range cp.Flows {
		back := ""
		if f.Returned > 0 {
			back = fmt.Sprint(f.Returned)
		}
		rows = append(rows, []string{f.ID, f.Buyer, f.Licence, f.Item, fmt.Sprint(f.Qty), f.Unit, f.Drawn.String(), f.Site,
			fmt.Sprintf("%.6f", f.Pt.Lon), fmt.Sprintf("%.6f", f.Pt.Lat), back})
	}
	if err := kit.WriteCSV(filepath.Join(out, rel), rows, true); err != nil {
		return nil, err
	}
	return []File{{Path: rel, Rows: int64(len(cp.Flows)), ReceivedOn: cp.FlowsRecv.String()}}, nil
}

// writeVideo writes the camera events with their screenshots beside the list.
func (w *world) writeVideo(out string) ([]File, error) {
	cp := w.Channels
	if cp == nil || len(cp.Events) == 0 {
		return nil, nil
	}
	rel := filepath.Join("video", "视频监控事件.csv")
	rows := [][]string{{"事件编号", "摄像头编号", "乡镇", "村", "经度", "纬度", "时间", "事件类型", "截图文件名", "说明"}}
	for i, e := range cp.Events {
		rows = append(rows, []string{e.ID, e.Camera, e.Township, e.Village, fmt.Sprintf("%.6f", e.Pt.Lon), fmt.Sprintf("%.6f", e.Pt.Lat),
			fmt.Sprintf("%s %02d:%02d", e.Day, e.Hour, e.Minute), e.Typ, e.Shot, e.Note})
		if err := kit.WriteFile(filepath.Join(out, "video", e.Shot), screenshot(i)); err != nil {
			return nil, err
		}
	}
	if err := kit.WriteCSV(filepath.Join(out, rel), rows, true); err != nil {
		return nil, err
	}
	return []File{{Path: rel, Rows: int64(len(cp.Events)), ReceivedOn: cp.EventRecv.String()}}, nil
}
