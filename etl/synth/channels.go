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

// ConsoleClueCheck is a field check of a clue of channel 民爆流向 or 视频监控 entered on the console.
type ConsoleClueCheck struct {
	Channel   string `json:"channel"`
	ItemID    string `json:"item_id"`
	CheckedOn string `json:"checked_on"`
	Result    string `json:"result"`
	Note      string `json:"note"`
	By        string `json:"by"`
	Unit      string `json:"unit"`
	EnteredAt string `json:"entered_at"` // YYYY-MM-DD HH:MM
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

type flowRec struct {
	id, buyer, licence, item, unit, site, township, village string
	qty, returned                                           float64
	drawn                                                   kit.Date
	pt                                                      kit.Point
}

type eventRec struct {
	id, camera, township, village, typ, shot, note string
	day                                            kit.Date
	hour, minute                                   int
	pt                                             kit.Point
}

type channelPlan struct {
	flows     []*flowRec
	events    []*eventRec
	flowsRecv kit.Date
	eventRecv kit.Date
	checked   []ConsoleClueCheck
	applied   bool // members include the console checks' records (evaluation for the console truth)
}

// insideRing is the even-odd test of a point against one ring (the models' rule, boundary aside).
func insideRing(p kit.Point, ring []kit.Point) bool {
	in := false
	for i, j := 0, len(ring)-1; i < len(ring); j, i = i, i+1 {
		a, b := ring[i], ring[j]
		if (a.Lat > p.Lat) != (b.Lat > p.Lat) && p.Lon < a.Lon+(p.Lat-a.Lat)*(b.Lon-a.Lon)/(b.Lat-a.Lat) {
			in = !in
		}
	}
	return in
}

func (l *licence) holds(p kit.Point) bool {
	for _, ring := range l.polys {
		if insideRing(p, ring) {
			return true
		}
	}
	return false
}

// planChannels plans the flows and the camera events (nothing when the register or the closed
// mines give no place for them).
func (w *world) planChannels() {
	cp := &channelPlan{}
	w.channels = cp
	d := w.tl.deadline
	var lic *licence
	for _, l := range w.licences {
		if l.from <= d-10 && d+12 <= l.to && len(l.polys) > 0 {
			lic = l
			break
		}
	}
	if lic == nil {
		return
	}
	// the area's inside point: the mean of its first ring, else a vertex pulled towards it
	ring := lic.polys[0]
	var c kit.Point
	for _, p := range ring {
		c.Lon += p.Lon / float64(len(ring))
		c.Lat += p.Lat / float64(len(ring))
	}
	for k := 1; !lic.holds(c) && k < 10; k++ {
		c = kit.Point{Lon: ring[0].Lon + (c.Lon-ring[0].Lon)*0.5, Lat: ring[0].Lat + (c.Lat-ring[0].Lat)*0.5}
	}
	c = kit.Point{Lon: kit.Round6(c.Lon), Lat: kit.Round6(c.Lat)}
	town, village := w.placeOf(c)
	if town == "" || !lic.holds(c) {
		return
	}
	buyer := "沁源县恒安爆破工程有限公司"
	site := town + village + "采区爆破点"
	for i, x := range []struct {
		off       int
		item      string
		qty, back float64
	}{{-9, "炸药", 180, 20}, {-9, "雷管", 300, 0}, {-4, "炸药", 200, 0}, {-2, "导爆索", 150, 10}, {2, "炸药", 240, 30}, {5, "雷管", 280, 0}} {
		cp.flows = append(cp.flows, &flowRec{id: fmt.Sprintf("MB-%04d", i+1), buyer: buyer, licence: lic.id, item: x.item,
			unit: explosiveUnit(x.item), site: site, township: town, village: village, qty: x.qty, returned: x.back, drawn: d + kit.Date(x.off), pt: c})
	}
	// an idle closed mine outside every licence area, far from every planned record
	final := w.members(w.sc.readTo)
	for _, m := range w.meters {
		if m.Kind != power.KindClosedMine || len(m.Anomalies) > 0 {
			continue
		}
		lon, lat := kit.Offset(m.Lon, m.Lat, 0, 120)
		p := kit.Point{Lon: kit.Round6(lon), Lat: kit.Round6(lat)}
		if w.licensed(p) || nearAny(p, final, 800) {
			continue
		}
		cp.flows = append(cp.flows, &flowRec{id: fmt.Sprintf("MB-%04d", len(cp.flows)+1), buyer: buyer, licence: lic.id, item: "炸药",
			unit: "千克", site: m.Township + m.Village + "关闭煤矿北侧", township: m.Township, village: m.Village, qty: 120, drawn: d - 5, pt: p})
		break
	}
	cp.flowsRecv = (d + 5).Sunday()

	// a site of night work no one listed: 2.5 km east of a village, far from everything
	probs := w.allProblems()
	for _, t := range w.towns {
		for _, v := range t.villages {
			lon, lat := kit.Offset(v.pt.Lon, v.pt.Lat, 2500, 300)
			lon, lat = w.clamp(lon, lat)
			p := kit.Point{Lon: kit.Round6(lon), Lat: kit.Round6(lat)}
			if nearAny(p, final, 1500) || w.nearMine(p, 1500) || slices.ContainsFunc(probs, func(q *problem) bool {
				return q.hasXY && kit.Haversine(p.Lon, p.Lat, q.pt.Lon, q.pt.Lat) < 1500
			}) || slices.ContainsFunc(cp.flows, func(f *flowRec) bool { return kit.Haversine(p.Lon, p.Lat, f.pt.Lon, f.pt.Lat) < 1500 }) {
				continue
			}
			cp.events = append(cp.events,
				&eventRec{id: "SP-0001", camera: "CAM-" + fmt.Sprint(t.idx+1) + "01", township: t.name, village: v.name, typ: "夜间作业",
					day: d - 6, hour: 23, minute: 40, pt: p, note: "山坡有挖掘机作业，车灯往返"},
				&eventRec{id: "SP-0002", camera: "CAM-" + fmt.Sprint(t.idx+1) + "02", township: t.name, village: v.name, typ: "车辆进出",
					day: d - 3, hour: 10, minute: 15, pt: kit.Point{Lon: kit.Round6(v.pt.Lon), Lat: kit.Round6(v.pt.Lat)}, note: "村口运煤车辆通过"},
				&eventRec{id: "SP-0003", camera: "CAM-" + fmt.Sprint(t.idx+1) + "02", township: t.name, village: v.name, typ: "车辆进出",
					day: d - 1, hour: 15, minute: 5, pt: kit.Point{Lon: kit.Round6(v.pt.Lon), Lat: kit.Round6(v.pt.Lat)}, note: "村口车辆通过"})
			break
		}
		if len(cp.events) > 0 {
			break
		}
	}
	for _, e := range cp.events {
		e.shot = e.id + ".png"
	}
	cp.eventRecv = (d - 1).Sunday()
}

func explosiveUnit(item string) string {
	return map[string]string{"炸药": "千克", "雷管": "发", "导爆索": "米"}[item]
}

// placeOf is the township and village whose village point lies nearest p.
func (w *world) placeOf(p kit.Point) (string, string) {
	best, bt, bv := math.Inf(1), "", ""
	for _, t := range w.towns {
		for _, v := range t.villages {
			if d := kit.Haversine(p.Lon, p.Lat, v.pt.Lon, v.pt.Lat); d < best {
				best, bt, bv = d, t.name, v.name
			}
		}
	}
	return bt, bv
}

func (w *world) licensed(p kit.Point) bool {
	return slices.ContainsFunc(w.licences, func(l *licence) bool { return l.holds(p) })
}

func (w *world) nearMine(p kit.Point, m float64) bool {
	return slices.ContainsFunc(w.meters, func(x *power.Meter) bool {
		return x.Kind == power.KindClosedMine && kit.Haversine(p.Lon, p.Lat, x.Lon, x.Lat) <= m
	})
}

func nearAny(p kit.Point, ms []*member, m float64) bool {
	return slices.ContainsFunc(ms, func(x *member) bool { return x.hasXY && kit.Haversine(p.Lon, p.Lat, x.pt.Lon, x.pt.Lat) <= m })
}

// channelMembers are the violation records of the console's checks known by the end of d (when
// the console is applied).
func (w *world) channelMembers(d kit.Date) []*member {
	cp := w.channels
	if cp == nil || !cp.applied {
		return nil
	}
	var out []*member
	for _, c := range cp.checked {
		on := parseDay(c.CheckedOn)
		if c.Result != "属实" || on > d {
			continue
		}
		if i := slices.IndexFunc(cp.flows, func(f *flowRec) bool { return f.id == c.ItemID }); i >= 0 && cp.flowsRecv <= d {
			f := cp.flows[i]
			out = append(out, &member{channel: "民爆流向", id: f.id, township: f.township, village: f.village, hasXY: true, pt: f.pt,
				first: f.drawn, cat: w.categoryOf(f.item)})
		}
		if i := slices.IndexFunc(cp.events, func(e *eventRec) bool { return e.id == c.ItemID }); i >= 0 && cp.eventRecv <= d {
			e := cp.events[i]
			out = append(out, &member{channel: "视频监控", id: e.id, township: e.township, village: e.village, hasXY: true, pt: e.pt,
				first: e.day, cat: w.categoryOf(e.note)})
		}
	}
	return out
}

// categoryOf is the category a keyword of which the text holds (configuration order), as the
// models infer it from a flow's kind or an event's note.
func (w *world) categoryOf(text string) string {
	for _, c := range w.cfg.Categories {
		for _, k := range c.Keywords {
			if strings.Contains(text, k) {
				return c.Code
			}
		}
	}
	return ""
}

// channelTruth states every flow's and event's reasons as of the end of the data, from the files.
func (w *world) channelTruth(tr *Truth) {
	cp := w.channels
	ct := &ChannelTruth{Flows: []ClueTruth{}, Events: []ClueTruth{}}
	tr.Channels = ct
	if cp == nil {
		return
	}
	end := w.sc.readTo
	e := w.evaluate(end)
	rectified := map[string]bool{}
	for _, it := range e.ledger {
		if it.status == "已整改" {
			rectified[it.id] = true
		}
	}
	ex := w.cfg.Explosives
	week := map[string]float64{}
	flows := slices.Clone(cp.flows)
	slices.SortStableFunc(flows, func(a, b *flowRec) int {
		if a.drawn != b.drawn {
			return int(a.drawn - b.drawn)
		}
		return strings.Compare(a.id, b.id)
	})
	for _, f := range flows {
		var rs []string
		inValid := slices.ContainsFunc(w.licences, func(l *licence) bool { return l.from <= f.drawn && f.drawn <= l.to && l.holds(f.pt) })
		if !inValid {
			rs = append(rs, "outside_licence")
		}
		if i := slices.IndexFunc(w.licences, func(l *licence) bool { return l.id == f.licence }); i < 0 {
			rs = append(rs, "unknown_licence")
		} else if l := w.licences[i]; f.drawn < l.from || f.drawn > l.to {
			rs = append(rs, "expired_licence")
		}
		k := fmt.Sprintf("%s|%s|%d", f.site, f.item, f.drawn.Monday())
		week[k] += f.qty - f.returned
		if week[k] > ex.CeilingOf(f.item) {
			rs = append(rs, "over_ceiling")
		}
		if w.nearMine(f.pt, ex.Near()) {
			rs = append(rs, "near_closed_mine")
		}
		if slices.ContainsFunc(e.violations, func(v *violation) bool {
			pv := v.primary()
			return pv.hasXY && !rectified[pv.id] && !(v.by != "" && rectified[v.by]) &&
				kit.Haversine(f.pt.Lon, f.pt.Lat, pv.pt.Lon, pv.pt.Lat) <= ex.Near()
		}) {
			rs = append(rs, "near_violation")
		}
		ct.Flows = append(ct.Flows, ClueTruth{ID: f.id, Reasons: strings.Join(rs, ",")})
	}
	vi := w.cfg.Video
	ns, ne := vi.Night()
	rd, rc := vi.Repeat()
	for _, ev := range cp.events {
		var rs []string
		if ns > ne && (ev.hour >= ns || ev.hour < ne) || ns < ne && ev.hour >= ns && ev.hour < ne {
			rs = append(rs, "night")
		}
		if w.nearMine(ev.pt, vi.ClosedMine()) {
			rs = append(rs, "closed_mine")
		}
		at := func(x *eventRec) float64 { return float64(x.day) + float64(x.hour*60+x.minute)/1440 }
		n := 0
		for _, o := range cp.events {
			if o.camera == ev.camera && at(o) <= at(ev) && at(o) > at(ev)-float64(rd) {
				n++
			}
		}
		if n >= rc {
			rs = append(rs, "repeated")
		}
		ct.Events = append(ct.Events, ClueTruth{ID: ev.id, Reasons: strings.Join(rs, ",")})
	}
}

// channelConsole adds the checks of the off-licence flow (公安) and the night event (its township),
// each 属实 two days after it (or on the day its list arrived, if later), and states the violations
// they join as of details_as_of; a county with neither planned gets no checks.
func (w *world) channelConsole(tr *Truth, con *Console, ct *ConsoleTruth) {
	cp := w.channels
	con.ClueChecks = []ConsoleClueCheck{}
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
	for _, f := range cp.flows {
		if f.id == ch.FlowID {
			on := max(f.drawn+2, cp.flowsRecv)
			con.ClueChecks = append(con.ClueChecks, ConsoleClueCheck{Channel: "民爆流向", ItemID: f.id, CheckedOn: on.String(), Result: "属实",
				Note: "现场见新爆破痕迹，不在任何采矿许可范围内", By: "公安", Unit: w.cfg.Explosives.Police(), EnteredAt: on.String() + " 16:30"})
			ch.FlowTownship = f.township
		}
	}
	for _, e := range cp.events {
		if e.id == ch.EventID {
			on := max(e.day+2, cp.eventRecv)
			con.ClueChecks = append(con.ClueChecks, ConsoleClueCheck{Channel: "视频监控", ItemID: e.id, CheckedOn: on.String(), Result: "属实",
				Note: "现场有新开挖采坑，夜间盗采", By: e.township, Unit: e.township, EnteredAt: on.String() + " 17:00"})
			ch.EventTownship = e.township
		}
	}
	cp.checked = con.ClueChecks
	cp.applied = true
	ev := w.evaluate(parseDay(tr.DetailsAsOf))
	cp.applied = false
	for _, v := range ev.violations {
		for _, m := range v.members {
			switch m.id {
			case ch.FlowID:
				ch.FlowViolation, ch.FlowStatus = v.primary().id, v.status
			case ch.EventID:
				ch.EventViolation, ch.EventStatus = v.primary().id, v.status
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
	cp := w.channels
	if cp == nil || len(cp.flows) == 0 {
		return nil, nil
	}
	rel := filepath.Join("explosives", "民爆物品流向.csv")
	rows := [][]string{{"流向编号", "购买单位", "许可证号", "品种", "数量", "单位", "领用日期", "作业地点", "经度", "纬度", "退库数量"}}
	for _, f := range cp.flows {
		back := ""
		if f.returned > 0 {
			back = fmt.Sprint(f.returned)
		}
		rows = append(rows, []string{f.id, f.buyer, f.licence, f.item, fmt.Sprint(f.qty), f.unit, f.drawn.String(), f.site,
			fmt.Sprintf("%.6f", f.pt.Lon), fmt.Sprintf("%.6f", f.pt.Lat), back})
	}
	if err := kit.WriteCSV(filepath.Join(out, rel), rows, true); err != nil {
		return nil, err
	}
	return []File{{Path: rel, Rows: int64(len(cp.flows)), ReceivedOn: cp.flowsRecv.String()}}, nil
}

// writeVideo writes the camera events with their screenshots beside the list.
func (w *world) writeVideo(out string) ([]File, error) {
	cp := w.channels
	if cp == nil || len(cp.events) == 0 {
		return nil, nil
	}
	rel := filepath.Join("video", "视频监控事件.csv")
	rows := [][]string{{"事件编号", "摄像头编号", "乡镇", "村", "经度", "纬度", "时间", "事件类型", "截图文件名", "说明"}}
	for i, e := range cp.events {
		rows = append(rows, []string{e.id, e.camera, e.township, e.village, fmt.Sprintf("%.6f", e.pt.Lon), fmt.Sprintf("%.6f", e.pt.Lat),
			fmt.Sprintf("%s %02d:%02d", e.day, e.hour, e.minute), e.typ, e.shot, e.note})
		if err := kit.WriteFile(filepath.Join(out, "video", e.shot), screenshot(i)); err != nil {
			return nil, err
		}
	}
	if err := kit.WriteCSV(filepath.Join(out, rel), rows, true); err != nil {
		return nil, err
	}
	return []File{{Path: rel, Rows: int64(len(cp.events)), ReceivedOn: cp.eventRecv.String()}}, nil
}
