package synth

import (
	"fmt"
	"math"

	"landwatch/campaign"
	"landwatch/etl/synth/kit"
	"landwatch/etl/synth/power"
)

type village struct {
	name string
	pt   kit.Point
}

type town struct {
	idx      int
	name     string
	kind     string
	center   kit.Point
	villages []village
	spec     tspec
	// forms of the township in manifest order
	villageForms []*form
	townForm     *form
	lateForms    []*form
	rects        []rectRow
	patrols      []patrolRow
	patrolFiles  []*weekFile
	rectFiles    []*weekFile
}

// world is the whole synthetic county while it is planned.
type world struct {
	cfg  *campaign.Config
	tl   timeline
	sc   scale
	seed int64
	r    kit.RNG
	pm   *power.Model

	towns   []*town
	meters  []*power.Meter
	sites   []kit.Point // violation sites; no two closer than minSiteM
	patches []*patch
	cases   []*caseRec
	clues   []*clue
	checks  []*check
	forms   []*form // all inspection forms in manifest order

	nextPatch [5]int  // per imagery batch
	names     kit.RNG // separate stream for names and free text, so wording never shifts the scenario
	arr       kit.RNG // separate stream for arrival days, so stamps never shift the scenario
	planted   []ArrivalCase
	chain     *chainPlan      // the register, the 责任分解表 and the re-inspections (chain.go)
	acc       *acceptancePlan // the acceptance records (acceptance.go); nil while planning: no acceptance rule
	licences  []*licence      // the licence register (period.go)
	channels  *channelPlan    // explosives flows and camera events (channels.go)
	per       *periodWork     // the first 常态化 period's findings (periodwork.go)
}

const minSiteM = 1200.0

func newWorld(cfg *campaign.Config, sc scale, seed int64) *world {
	w := &world{cfg: cfg, tl: newTimeline(cfg), sc: sc, seed: seed, r: kit.NewRNG(seed, 1), names: kit.NewRNG(seed, 2), arr: kit.NewRNG(seed, 4)}
	w.pm = power.NewModel(seed, cfg.Power, sc.readFrom, sc.readTo)
	geo := kit.NewRNG(seed, 3)
	for i, t := range cfg.Townships {
		tw := &town{idx: i, name: t.Name, kind: t.Kind, center: kit.Point{Lon: t.Center[0], Lat: t.Center[1]}, spec: specFor(i)}
		vs := t.Villages
		if sc.villages > 0 && len(vs) > sc.villages {
			vs = vs[:sc.villages]
		}
		for j, v := range vs {
			// Villages on a spiral around the seat, 1.5–7 km out.
			ang := float64(j)*2.39996 + geo.Float64()*0.5
			dist := 1500 + 5500*math.Sqrt(float64(j+1)/float64(len(vs)+1)) + geo.Float64()*300
			lon, lat := kit.Offset(tw.center.Lon, tw.center.Lat, dist*math.Cos(ang), dist*math.Sin(ang))
			lon, lat = w.clamp(lon, lat)
			tw.villages = append(tw.villages, village{name: v, pt: kit.Point{Lon: kit.Round6(lon), Lat: kit.Round6(lat)}})
		}
		w.towns = append(w.towns, tw)
	}
	return w
}

// clamp keeps a point 0.01° inside the county's box.
func (w *world) clamp(lon, lat float64) (float64, float64) {
	b := w.cfg.County.BBox
	return math.Min(math.Max(lon, b.MinLon+0.01), b.MaxLon-0.01), math.Min(math.Max(lat, b.MinLat+0.01), b.MaxLat-0.01)
}

func (w *world) villageCount() int {
	n := 0
	for _, t := range w.towns {
		n += len(t.villages)
	}
	return n
}

// near returns a point at a random bearing, between lo and hi metres from p, inside the box.
func (w *world) near(p kit.Point, lo, hi float64) kit.Point {
	ang := w.r.Float64() * 2 * math.Pi
	d := lo + w.r.Float64()*(hi-lo)
	lon, lat := kit.Offset(p.Lon, p.Lat, d*math.Cos(ang), d*math.Sin(ang))
	lon, lat = w.clamp(lon, lat)
	return kit.Point{Lon: kit.Round6(lon), Lat: kit.Round6(lat)}
}

// newSite picks a violation site in a random village of t, at least minSiteM from every other
// violation site of the county.
func (w *world) newSite(t *town) (village, kit.Point) {
	for try := 0; ; try++ {
		v := t.villages[w.r.IntN(len(t.villages))]
		p := w.near(v.pt, 100, 2000+float64(try)*20)
		if w.farFromSites(p, minSiteM) {
			w.sites = append(w.sites, p)
			return v, p
		}
	}
}

// freePoint is a point near village v at least minSiteM from every violation site, for problems
// that must not match anything.
func (w *world) freePoint(v village) kit.Point {
	for try := 0; ; try++ {
		p := w.near(v.pt, 0, 2500+float64(try)*20)
		if w.farFromSites(p, minSiteM) {
			return p
		}
	}
}

func (w *world) farFromSites(p kit.Point, m float64) bool {
	for _, s := range w.sites {
		if kit.Haversine(p.Lon, p.Lat, s.Lon, s.Lat) < m {
			return false
		}
	}
	return true
}

// addMeter registers a meter of kind in village v of t at p.
func (w *world) addMeter(t *town, v village, p kit.Point, kind string) *power.Meter {
	i := len(w.meters)
	m := &power.Meter{Idx: i, ID: fmt.Sprintf("%d", 1430000001+i), Kind: kind, Township: t.name, Village: v.name,
		Lon: p.Lon, Lat: p.Lat}
	pr := power.Profiles[kind]
	if pr.DayMax > 0 {
		m.DayRate = pr.DayMin + int64(w.r.IntN(int(pr.DayMax-pr.DayMin+1)))
		m.NightPct = pr.NightPct
	}
	m.Account = w.accountName(t, v, kind)
	m.Address = fmt.Sprintf("%s%s%s%d号", w.cfg.County.Name, t.name, v.name, 1+w.names.IntN(200))
	w.meters = append(w.meters, m)
	return m
}

var ordinaryKinds = []struct {
	kind string
	pct  int
}{{power.KindResident, 70}, {power.KindFactory, 6}, {power.KindFarm, 8}, {power.KindWasher, 3}, {power.KindCoking, 2}, {power.KindMine, 2}, {power.KindClosedMine, 4}, {power.KindOther, 5}}

// addOrdinaryMeters fills township t up to n meters with ordinary customers.
func (w *world) addOrdinaryMeters(t *town, n int) {
	for k := 0; k < n; k++ {
		v := t.villages[k%len(t.villages)]
		x := w.r.IntN(100)
		kind := power.KindResident
		for _, ok := range ordinaryKinds {
			if x < ok.pct {
				kind = ok.kind
				break
			}
			x -= ok.pct
		}
		w.addMeter(t, v, w.near(v.pt, 0, 1500), kind)
	}
}

func (w *world) plantedMeters() int {
	n := 0
	for _, m := range w.meters {
		if len(m.Anomalies) > 0 {
			n++
		}
	}
	return n
}

func (w *world) recordCount() int {
	return len(w.patches) + len(w.cases) + len(w.clues) + len(w.checks)
}

func (w *world) formRowCount() int {
	n := 0
	for _, f := range w.forms {
		n += len(f.rows)
	}
	return n
}

// timeline holds the campaign's dates as the scenario uses them; every planted date is an offset
// from one of these, so another timetable in the configuration moves the whole scenario.
type timeline struct {
	dataFrom, selfStart, selfEnd, reviewStart, deadline, verifEnd kit.Date
	rectStart, rectEnd, accStart, accEnd, lookStart               kit.Date
}

func newTimeline(cfg *campaign.Config) timeline {
	ph := func(code string) (kit.Date, kit.Date) {
		p, _ := cfg.PhaseByCode(code)
		return kit.MkDate(campaign.Day(p.Start)), kit.MkDate(campaign.Day(p.End))
	}
	var tl timeline
	tl.dataFrom = kit.MkDate(cfg.DataFrom())
	tl.selfStart, tl.selfEnd = ph(campaign.PhaseSelfCheck)
	tl.reviewStart, tl.deadline = ph(campaign.PhaseReview)
	_, tl.verifEnd = ph(campaign.PhaseVerification)
	tl.rectStart, tl.rectEnd = ph(campaign.PhaseRectification)
	tl.accStart, tl.accEnd = ph(campaign.PhaseAccountability)
	tl.lookStart, _ = ph(campaign.PhaseLookback)
	return tl
}

// dueFound is a day in the self-check or review, a few days before the detection deadline.
func (tl timeline) dueFound(r kit.RNG) kit.Date {
	return tl.selfStart + 1 + kit.Date(r.IntN(max(1, int(tl.deadline-tl.selfStart)-3)))
}
