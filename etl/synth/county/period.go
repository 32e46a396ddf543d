package county

import (
	"fmt"
	"math"

	"landwatch/etl/synth/kit"
	"landwatch/etl/synth/power"
)

// What is planned here is written and described in etl/synth/period.go.

// Customer types the default configuration adds, with their ordinary loads.
var typedProfiles = map[string]power.Profile{
	"非煤矿山": {DayMin: 40000, DayMax: 120000, NightPct: 40},
	"危化企业": {DayMin: 80000, DayMax: 160000, NightPct: 80},
}

// Licence is one entry of the register.
type Licence struct {
	ID, Holder, Mineral string
	From, To            kit.Date
	Polys               [][]kit.Point // one outer ring a polygon
}

// addTypedMeters registers meters of every configured customer type: two (tiny) or six of each,
// in the townships in turn, appended after the registry so every other meter keeps its id.
func (w *World) addTypedMeters() {
	r := kit.NewRNG(w.Seed, 7)
	per := 2 * w.Scale.Repeat
	if w.Scale.Repeat > 1 {
		per = 6
	}
	n := 0
	for _, ct := range w.Cfg.Power.CustomerTypes {
		pr, ok := typedProfiles[ct.Name]
		if !ok {
			pr = power.Profile{DayMin: 20000, DayMax: 60000, NightPct: 50}
		}
		for k := 0; k < per; k++ {
			t := w.Towns[(n*5+3)%len(w.Towns)]
			v := t.Villages[n%len(t.Villages)]
			n++
			ang, dist := r.Float64()*2*math.Pi, 400+r.Float64()*1000
			lon, lat := kit.Offset(v.Pt.Lon, v.Pt.Lat, dist*math.Cos(ang), dist*math.Sin(ang))
			lon, lat = w.Clamp(lon, lat)
			i := len(w.Meters)
			m := &power.Meter{Idx: i, ID: fmt.Sprintf("%d", 1430000001+i), Kind: ct.Name, Township: t.Name, Village: v.Name,
				Lon: kit.Round6(lon), Lat: kit.Round6(lat), DayRate: pr.DayMin + int64(r.IntN(int(pr.DayMax-pr.DayMin+1))), NightPct: pr.NightPct}
			suffix := "有限公司"
			switch ct.Name {
			case "非煤矿山":
				suffix = []string{"石料有限公司", "砂石有限公司", "石灰岩矿"}[k%3]
			case "危化企业":
				suffix = []string{"化工有限公司", "气体有限公司", "化工厂"}[k%3]
			}
			m.Account = w.Cfg.County.Name + shortVillage(v.Name) + []string{"鑫盛", "宏达", "聚源", "恒泰"}[k%4] + suffix
			m.Address = fmt.Sprintf("%s%s%s%d号", w.Cfg.County.Name, t.Name, v.Name, 1+r.IntN(200))
			if n == 1 {
				// the first: a quarry working at night in the first week of the look-back (an unchecked
				// alert under its type's thresholds, after every figure as of the accountability phase)
				m.Anomalies = append(m.Anomalies, power.Anomaly{Rule: power.RuleNight, Start: w.Timeline.LookStart + 1, Days: []int{0, 2, 4}})
			}
			w.Meters = append(w.Meters, m)
		}
	}
}

// licenceHalfLon and licenceHalfLat are half the sides of a licensed box, in degrees (about 300 m
// and 280 m).
const licenceHalfLon, licenceHalfLat = 0.0033, 0.0025

// planLicences builds the register around chosen patches (see the top of this file).
func (w *World) planLicences() {
	if len(w.Patches) == 0 {
		return
	}
	used := map[*Patch]bool{}
	pick := func(ok func(p *Patch) bool) *Patch {
		for _, p := range w.Patches {
			if !used[p] && ok(p) {
				used[p] = true
				return p
			}
		}
		for _, p := range w.Patches {
			if !used[p] {
				used[p] = true
				return p
			}
		}
		return nil
	}
	lawful := pick(func(p *Patch) bool { return p.Verdict == "合法" })
	illegal := pick(func(p *Patch) bool { return p.Verdict == "违法" && p.Change == "挖损" })
	other := pick(func(p *Patch) bool { return p.Verdict != "违法" })
	y := w.Cfg.Campaign.Year
	add := func(id, holder, mineral string, from, to kit.Date, centres ...kit.Point) {
		l := &Licence{ID: id, Holder: holder, Mineral: mineral, From: from, To: to}
		for _, c := range centres {
			l.Polys = append(l.Polys, w.licenceBox(c))
		}
		w.Licences = append(w.Licences, l)
	}
	if lawful != nil {
		add(fmt.Sprintf("C1404312%d0%d1120%06d", y-4, 6, 131001), w.Cfg.County.Name+"鑫源煤业有限公司", "煤",
			kit.YMD(y-4, 6, 1), kit.YMD(y+6, 5, 31), lawful.Pt)
	}
	if illegal != nil {
		// expired at the end of the year before the campaign: the patch was imaged after it
		add(fmt.Sprintf("C1404312%d0%d1120%06d", y-11, 7, 120417), w.Cfg.County.Name+"宏远石料厂", "建筑用石料",
			kit.YMD(y-11, 7, 1), kit.YMD(y-1, 12, 31), illegal.Pt)
	}
	if other != nil {
		lon, lat := kit.Offset(other.Pt.Lon, other.Pt.Lat, 2500, 0)
		lon, lat = w.Clamp(lon, lat)
		add(fmt.Sprintf("C1404312%d0%d1120%06d", y-2, 3, 140210), w.Cfg.County.Name+"恒泰铁矿有限公司", "铁矿",
			kit.YMD(y-2, 3, 15), kit.YMD(y+3, 3, 14), other.Pt, kit.Point{Lon: lon, Lat: lat})
	}
	// one more, 3 km south of the first patch chosen
	c := w.Patches[0].Pt
	lon, lat := kit.Offset(c.Lon, c.Lat, 0, -3000)
	lon, lat = w.Clamp(lon, lat)
	add(fmt.Sprintf("C1404312%d0%d1120%06d", y-6, 9, 100233), w.Cfg.County.Name+"金达煤业有限公司", "煤",
		kit.YMD(y-6, 9, 1), kit.YMD(y+4, 8, 31), kit.Point{Lon: lon, Lat: lat})
}

// licenceBox is the ring of a box around c, grown until no patch point lies within 1e-5 degrees of
// its edges (so the loader's centroid from the written coordinates falls on the same side).
func (w *World) licenceBox(c kit.Point) []kit.Point {
	hx, hy := licenceHalfLon, licenceHalfLat
	for grow := 0; grow < 20; grow++ {
		x0, x1, y0, y1 := kit.Round6(c.Lon-hx), kit.Round6(c.Lon+hx), kit.Round6(c.Lat-hy), kit.Round6(c.Lat+hy)
		near := false
		for _, p := range w.Patches {
			inX, inY := p.Pt.Lon >= x0-1e-5 && p.Pt.Lon <= x1+1e-5, p.Pt.Lat >= y0-1e-5 && p.Pt.Lat <= y1+1e-5
			if (inY && (math.Abs(p.Pt.Lon-x0) < 1e-5 || math.Abs(p.Pt.Lon-x1) < 1e-5)) ||
				(inX && (math.Abs(p.Pt.Lat-y0) < 1e-5 || math.Abs(p.Pt.Lat-y1) < 1e-5)) {
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
