package synth

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strings"

	"landwatch/etl/synth/kit"
	"landwatch/etl/synth/power"
)

// The member units' inputs and the regular work after the look-back:
//
//	licences/矿业权登记.geojson     the licence register (a Polygon or MultiPolygon a licence), received
//	                                the day before the first reading: one licence holding a lawful patch
//	                                (in_licence), one holding an illegal patch that expired the year
//	                                before its imaging (expired_licence), one of two polygons holding
//	                                another patch, one holding none; every other patch is outside
//	                                (no_licence); truth.json "imagery_triage" as of data_to
//	meters of the configured customer types (非煤矿山, 危化企业 …), ordinary loads but for the first,
//	                                which works three nights in the first week of the look-back (an alert
//	                                under its type's thresholds, never checked)
//	inspection/{乡镇}-常态化排查-{date}.xlsx   township forms of the first 常态化 period (periodwork.go)
//	(their readings in the periods, with every other meter's: ongoing.go)
//
// All of it is planned after the campaign's scenario from streams of its own, so the scenario, its
// figures and its files stay as they were; the period's files arrive after data_to and change no
// figure of truth.json.

// Customer types the default configuration adds, with their ordinary loads.
var typedProfiles = map[string]power.Profile{
	"非煤矿山": {DayMin: 40000, DayMax: 120000, NightPct: 40},
	"危化企业": {DayMin: 80000, DayMax: 160000, NightPct: 80},
}

// licence is one entry of the register.
type licence struct {
	id, holder, mineral string
	from, to            kit.Date
	polys               [][]kit.Point // one outer ring a polygon
}

// addTypedMeters registers meters of every configured customer type: two (tiny) or six of each,
// in the townships in turn, appended after the registry so every other meter keeps its id.
func (w *world) addTypedMeters() {
	r := kit.NewRNG(w.seed, 7)
	per := 2 * w.sc.repeat
	if w.sc.repeat > 1 {
		per = 6
	}
	n := 0
	for _, ct := range w.cfg.Power.CustomerTypes {
		pr, ok := typedProfiles[ct.Name]
		if !ok {
			pr = power.Profile{DayMin: 20000, DayMax: 60000, NightPct: 50}
		}
		for k := 0; k < per; k++ {
			t := w.towns[(n*5+3)%len(w.towns)]
			v := t.villages[n%len(t.villages)]
			n++
			ang, dist := r.Float64()*2*math.Pi, 400+r.Float64()*1000
			lon, lat := kit.Offset(v.pt.Lon, v.pt.Lat, dist*math.Cos(ang), dist*math.Sin(ang))
			lon, lat = w.clamp(lon, lat)
			i := len(w.meters)
			m := &power.Meter{Idx: i, ID: fmt.Sprintf("%d", 1430000001+i), Kind: ct.Name, Township: t.name, Village: v.name,
				Lon: kit.Round6(lon), Lat: kit.Round6(lat), DayRate: pr.DayMin + int64(r.IntN(int(pr.DayMax-pr.DayMin+1))), NightPct: pr.NightPct}
			suffix := "有限公司"
			switch ct.Name {
			case "非煤矿山":
				suffix = []string{"石料有限公司", "砂石有限公司", "石灰岩矿"}[k%3]
			case "危化企业":
				suffix = []string{"化工有限公司", "气体有限公司", "化工厂"}[k%3]
			}
			m.Account = w.cfg.County.Name + shortVillage(v.name) + []string{"鑫盛", "宏达", "聚源", "恒泰"}[k%4] + suffix
			m.Address = fmt.Sprintf("%s%s%s%d号", w.cfg.County.Name, t.name, v.name, 1+r.IntN(200))
			if n == 1 {
				// the first: a quarry working at night in the first week of the look-back (an unchecked
				// alert under its type's thresholds, after every figure as of the accountability phase)
				m.Anomalies = append(m.Anomalies, power.Anomaly{Rule: power.RuleNight, Start: w.tl.lookStart + 1, Days: []int{0, 2, 4}})
			}
			w.meters = append(w.meters, m)
		}
	}
}

// licenceHalfLon and licenceHalfLat are half the sides of a licensed box, in degrees (about 300 m
// and 280 m).
const licenceHalfLon, licenceHalfLat = 0.0033, 0.0025

// planLicences builds the register around chosen patches (see the top of this file).
func (w *world) planLicences() {
	if len(w.patches) == 0 {
		return
	}
	used := map[*patch]bool{}
	pick := func(ok func(p *patch) bool) *patch {
		for _, p := range w.patches {
			if !used[p] && ok(p) {
				used[p] = true
				return p
			}
		}
		for _, p := range w.patches {
			if !used[p] {
				used[p] = true
				return p
			}
		}
		return nil
	}
	lawful := pick(func(p *patch) bool { return p.verdict == "合法" })
	illegal := pick(func(p *patch) bool { return p.verdict == "违法" && p.change == "挖损" })
	other := pick(func(p *patch) bool { return p.verdict != "违法" })
	y := w.cfg.Campaign.Year
	add := func(id, holder, mineral string, from, to kit.Date, centres ...kit.Point) {
		l := &licence{id: id, holder: holder, mineral: mineral, from: from, to: to}
		for _, c := range centres {
			l.polys = append(l.polys, w.licenceBox(c))
		}
		w.licences = append(w.licences, l)
	}
	if lawful != nil {
		add(fmt.Sprintf("C1404312%d0%d1120%06d", y-4, 6, 131001), w.cfg.County.Name+"鑫源煤业有限公司", "煤",
			kit.YMD(y-4, 6, 1), kit.YMD(y+6, 5, 31), lawful.pt)
	}
	if illegal != nil {
		// expired at the end of the year before the campaign: the patch was imaged after it
		add(fmt.Sprintf("C1404312%d0%d1120%06d", y-11, 7, 120417), w.cfg.County.Name+"宏远石料厂", "建筑用石料",
			kit.YMD(y-11, 7, 1), kit.YMD(y-1, 12, 31), illegal.pt)
	}
	if other != nil {
		lon, lat := kit.Offset(other.pt.Lon, other.pt.Lat, 2500, 0)
		lon, lat = w.clamp(lon, lat)
		add(fmt.Sprintf("C1404312%d0%d1120%06d", y-2, 3, 140210), w.cfg.County.Name+"恒泰铁矿有限公司", "铁矿",
			kit.YMD(y-2, 3, 15), kit.YMD(y+3, 3, 14), other.pt, kit.Point{Lon: lon, Lat: lat})
	}
	// one more, 3 km south of the first patch chosen
	c := w.patches[0].pt
	lon, lat := kit.Offset(c.Lon, c.Lat, 0, -3000)
	lon, lat = w.clamp(lon, lat)
	add(fmt.Sprintf("C1404312%d0%d1120%06d", y-6, 9, 100233), w.cfg.County.Name+"金达煤业有限公司", "煤",
		kit.YMD(y-6, 9, 1), kit.YMD(y+4, 8, 31), kit.Point{Lon: lon, Lat: lat})
}

// licenceBox is the ring of a box around c, grown until no patch point lies within 1e-5 degrees of
// its edges (so the loader's centroid from the written coordinates falls on the same side).
func (w *world) licenceBox(c kit.Point) []kit.Point {
	hx, hy := licenceHalfLon, licenceHalfLat
	for grow := 0; grow < 20; grow++ {
		x0, x1, y0, y1 := kit.Round6(c.Lon-hx), kit.Round6(c.Lon+hx), kit.Round6(c.Lat-hy), kit.Round6(c.Lat+hy)
		near := false
		for _, p := range w.patches {
			inX, inY := p.pt.Lon >= x0-1e-5 && p.pt.Lon <= x1+1e-5, p.pt.Lat >= y0-1e-5 && p.pt.Lat <= y1+1e-5
			if (inY && (math.Abs(p.pt.Lon-x0) < 1e-5 || math.Abs(p.pt.Lon-x1) < 1e-5)) ||
				(inX && (math.Abs(p.pt.Lat-y0) < 1e-5 || math.Abs(p.pt.Lat-y1) < 1e-5)) {
				near = true
			}
		}
		if !near {
			return []kit.Point{{Lon: x0, Lat: y0}, {Lon: x1, Lat: y0}, {Lon: x1, Lat: y1}, {Lon: x0, Lat: y1}, {Lon: x0, Lat: y0}}
		}
		hx, hy = hx+1e-4, hy+1e-4
	}
	panic("synth: no licence box clear of the patches") // cannot happen with finitely many patches
}

// inLicenceRing is the even-odd test of a point against a closed ring (the truth's own, independent of the
// models' SQL).
func inLicenceRing(p kit.Point, ring []kit.Point) bool {
	in := false
	for i := 0; i+1 < len(ring); i++ {
		a, b := ring[i], ring[i+1]
		if (a.Lat > p.Lat) != (b.Lat > p.Lat) && p.Lon < a.Lon+(p.Lat-a.Lat)*(b.Lon-a.Lon)/(b.Lat-a.Lat) {
			in = !in
		}
	}
	return in
}

// triage is truth.json "imagery_triage": every patch exported by the end of the data against the
// register (queries/README.md "mart_imagery_triage").
func (w *world) triage() []TriageTruth { return w.triageAsOf(w.sc.readTo) }

// triageAsOf is every patch exported by the end of d (the 常态化 period's too) against the register.
func (w *world) triageAsOf(d kit.Date) []TriageTruth {
	var out []TriageTruth
	ps := w.patches
	if w.per != nil {
		ps = slices.Concat(ps, w.per.patches)
	}
	for _, p := range ps {
		if p.imaged > d {
			continue
		}
		tt := TriageTruth{PatchID: p.id, Status: "no_licence"}
		var validID, otherID string
		var otherTo kit.Date
		for _, l := range w.licences {
			if !slices.ContainsFunc(l.polys, func(r []kit.Point) bool { return inLicenceRing(p.pt, r) }) {
				continue
			}
			if l.from <= p.imaged && p.imaged <= l.to {
				if validID == "" || l.id < validID {
					validID = l.id
				}
			} else if otherID == "" || l.to > otherTo || (l.to == otherTo && l.id > otherID) {
				otherID, otherTo = l.id, l.to
			}
		}
		switch {
		case validID != "":
			tt.Status, tt.LicenceID = "in_licence", &validID
		case otherID != "":
			tt.Status, tt.LicenceID = "expired_licence", &otherID
		case p.checked <= d && p.verdict == "合法":
			tt.Status = "verified_lawful"
		case p.change != "挖损" && p.after != "采矿用地":
			tt.Status = "not_mining"
		}
		out = append(out, tt)
	}
	slices.SortFunc(out, func(a, b TriageTruth) int { return strings.Compare(a.PatchID, b.PatchID) })
	return out
}

func (w *world) writeLicences(out string) ([]File, error) {
	if len(w.licences) == 0 {
		return nil, nil
	}
	rel := filepath.Join("licences", "矿业权登记.geojson")
	var b strings.Builder
	b.WriteString(`{"type":"FeatureCollection","name":"矿业权登记","features":[`)
	for i, l := range w.licences {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n{\"type\":\"Feature\",\"properties\":{")
		for j, kv := range [][2]string{{"许可证号", l.id}, {"矿权人", l.holder}, {"矿种", l.mineral},
			{"有效期起", l.from.String()}, {"有效期止", l.to.String()}, {"登记机关", "长治市规划和自然资源局"}} {
			if j > 0 {
				b.WriteString(",")
			}
			writeJSONString(&b, kv[0])
			b.WriteString(":")
			writeJSONString(&b, kv[1])
		}
		b.WriteString(`},"geometry":`)
		b.WriteString(geometryJSON(l.polys))
		b.WriteString("}")
	}
	b.WriteString("\n]}\n")
	if err := kit.WriteFile(filepath.Join(out, rel), []byte(b.String())); err != nil {
		return nil, err
	}
	return []File{{Path: rel, Rows: int64(len(w.licences)), ReceivedOn: (w.sc.readFrom - 1).String()}}, nil
}
