// Package county is the synthetic county while it is planned (etl/synth): the townships and
// villages, the scenario planted in them (plan.go, plant.go) with its forms, patches, cases, clues,
// ledgers and patrols and their arrival stamps (arrival.go), the accountability chain's registers
// and duties (chain.go, duty.go), acceptances, the licence register and the typed meters
// (period.go), and the rules of queries/README.md evaluated as of a day (truth.go, Evaluate), which
// the planning itself consults. etl/synth adds the channels and the 常态化 period's work, writes the
// files from World and computes truth.json; the meters and readings are etl/synth/power's.
package county

import (
	"fmt"
	"math"

	"landwatch/campaign"
	"landwatch/etl/synth/kit"
	"landwatch/etl/synth/power"
)

type Village struct {
	Name string
	Pt   kit.Point
}

type Town struct {
	Idx      int
	Name     string
	Kind     string
	center   kit.Point
	Villages []Village
	spec     tspec
	// forms of the township in manifest order
	villageForms []*Form
	townForm     *Form
	lateForms    []*Form
	Rects        []RectRow
	Patrols      []PatrolRow
	PatrolFiles  []*weekFile
	RectFiles    []*weekFile
}

// World is the whole synthetic county while it is planned.
type World struct {
	Cfg      *campaign.Config
	Timeline Timeline
	Scale    Scale
	Seed     int64
	r        kit.RNG
	Power    *power.Model

	Towns   []*Town
	Meters  []*power.Meter
	Sites   []kit.Point // violation sites; no two closer than minSiteM
	Patches []*Patch
	Cases   []*CaseRec
	Clues   []*clue
	Checks  []*check
	Forms   []*Form // all inspection forms in manifest order

	nextPatch [5]int  // per imagery batch
	Names     kit.RNG // separate stream for names and free text, so wording never shifts the scenario
	arr       kit.RNG // separate stream for arrival days, so stamps never shift the scenario
	Planted   []ArrivalCase
	Chain     *chainPlan      // the register, the 责任分解表 and the re-inspections (chain.go)
	Acc       *acceptancePlan // the acceptance records (acceptance.go); nil while planning: no acceptance rule
	Licences  []*Licence      // the licence register (period.go)
	Channels  *ChannelPlan    // explosives flows and camera events (channels.go)
	Per       *PeriodWork     // the first 常态化 period's findings (periodwork.go)
}

const MinSiteM = 1200.0

func NewWorld(cfg *campaign.Config, sc Scale, seed int64) *World {
	w := &World{Cfg: cfg, Timeline: NewTimeline(cfg), Scale: sc, Seed: seed, r: kit.NewRNG(seed, 1), Names: kit.NewRNG(seed, 2), arr: kit.NewRNG(seed, 4)}
	w.Power = power.NewModel(seed, cfg.Power, sc.ReadFrom, sc.ReadTo)
	geo := kit.NewRNG(seed, 3)
	for i, t := range cfg.Townships {
		tw := &Town{Idx: i, Name: t.Name, Kind: t.Kind, center: kit.Point{Lon: t.Center[0], Lat: t.Center[1]}, spec: specFor(i)}
		vs := t.Villages
		if sc.Villages > 0 && len(vs) > sc.Villages {
			vs = vs[:sc.Villages]
		}
		for j, v := range vs {
			// Villages on a spiral around the seat, 1.5–7 km out.
			ang := float64(j)*2.39996 + geo.Float64()*0.5
			dist := 1500 + 5500*math.Sqrt(float64(j+1)/float64(len(vs)+1)) + geo.Float64()*300
			lon, lat := kit.Offset(tw.center.Lon, tw.center.Lat, dist*math.Cos(ang), dist*math.Sin(ang))
			lon, lat = w.Clamp(lon, lat)
			tw.Villages = append(tw.Villages, Village{Name: v, Pt: kit.Point{Lon: kit.Round6(lon), Lat: kit.Round6(lat)}})
		}
		w.Towns = append(w.Towns, tw)
	}
	return w
}

// Clamp keeps a point 0.01° inside the county's box.
func (w *World) Clamp(lon, lat float64) (float64, float64) {
	b := w.Cfg.County.BBox
	return math.Min(math.Max(lon, b.MinLon+0.01), b.MaxLon-0.01), math.Min(math.Max(lat, b.MinLat+0.01), b.MaxLat-0.01)
}

// near returns a point at a random bearing, between lo and hi metres from p, inside the box.
func (w *World) near(p kit.Point, lo, hi float64) kit.Point {
	ang := w.r.Float64() * 2 * math.Pi
	d := lo + w.r.Float64()*(hi-lo)
	lon, lat := kit.Offset(p.Lon, p.Lat, d*math.Cos(ang), d*math.Sin(ang))
	lon, lat = w.Clamp(lon, lat)
	return kit.Point{Lon: kit.Round6(lon), Lat: kit.Round6(lat)}
}

// newSite picks a violation site in a random village of t, at least minSiteM from every other
// violation site of the county.
func (w *World) newSite(t *Town) (Village, kit.Point) {
	for try := 0; ; try++ {
		v := t.Villages[w.r.IntN(len(t.Villages))]
		p := w.near(v.Pt, 100, 2000+float64(try)*20)
		if w.FarFromSites(p, MinSiteM) {
			w.Sites = append(w.Sites, p)
			return v, p
		}
	}
}

// freePoint is a point near village v at least minSiteM from every violation site, for problems
// that must not match anything.
func (w *World) freePoint(v Village) kit.Point {
	for try := 0; ; try++ {
		p := w.near(v.Pt, 0, 2500+float64(try)*20)
		if w.FarFromSites(p, MinSiteM) {
			return p
		}
	}
}

func (w *World) FarFromSites(p kit.Point, m float64) bool {
	for _, s := range w.Sites {
		if kit.Haversine(p.Lon, p.Lat, s.Lon, s.Lat) < m {
			return false
		}
	}
	return true
}

// addMeter registers a meter of kind in village v of t at p.
func (w *World) addMeter(t *Town, v Village, p kit.Point, kind string) *power.Meter {
	i := len(w.Meters)
	m := &power.Meter{Idx: i, ID: fmt.Sprintf("%d", 1430000001+i), Kind: kind, Township: t.Name, Village: v.Name,
		Lon: p.Lon, Lat: p.Lat}
	pr := power.Profiles[kind]
	if pr.DayMax > 0 {
		m.DayRate = pr.DayMin + int64(w.r.IntN(int(pr.DayMax-pr.DayMin+1)))
		m.NightPct = pr.NightPct
	}
	m.Account = w.accountName(t, v, kind)
	m.Address = fmt.Sprintf("%s%s%s%d号", w.Cfg.County.Name, t.Name, v.Name, 1+w.Names.IntN(200))
	w.Meters = append(w.Meters, m)
	return m
}

var ordinaryKinds = []struct {
	kind string
	pct  int
}{{power.KindResident, 70}, {power.KindFactory, 6}, {power.KindFarm, 8}, {power.KindWasher, 3}, {power.KindCoking, 2}, {power.KindMine, 2}, {power.KindClosedMine, 4}, {power.KindOther, 5}}

// addOrdinaryMeters fills township t up to n meters with ordinary customers.
func (w *World) addOrdinaryMeters(t *Town, n int) {
	for k := 0; k < n; k++ {
		v := t.Villages[k%len(t.Villages)]
		x := w.r.IntN(100)
		kind := power.KindResident
		for _, ok := range ordinaryKinds {
			if x < ok.pct {
				kind = ok.kind
				break
			}
			x -= ok.pct
		}
		w.addMeter(t, v, w.near(v.Pt, 0, 1500), kind)
	}
}

// Timeline holds the campaign's dates as the scenario uses them; every planted date is an offset
// from one of these, so another timetable in the configuration moves the whole scenario.
type Timeline struct {
	dataFrom, SelfStart, selfEnd, reviewStart, Deadline, verifEnd kit.Date
	rectStart, rectEnd, accStart, accEnd, LookStart               kit.Date
}

func NewTimeline(cfg *campaign.Config) Timeline {
	ph := func(code string) (kit.Date, kit.Date) {
		p, _ := cfg.PhaseByCode(code)
		return kit.MkDate(campaign.Day(p.Start)), kit.MkDate(campaign.Day(p.End))
	}
	var tl Timeline
	tl.dataFrom = kit.MkDate(cfg.DataFrom())
	tl.SelfStart, tl.selfEnd = ph(campaign.PhaseSelfCheck)
	tl.reviewStart, tl.Deadline = ph(campaign.PhaseReview)
	_, tl.verifEnd = ph(campaign.PhaseVerification)
	tl.rectStart, tl.rectEnd = ph(campaign.PhaseRectification)
	tl.accStart, tl.accEnd = ph(campaign.PhaseAccountability)
	tl.LookStart, _ = ph(campaign.PhaseLookback)
	return tl
}

// dueFound is a day in the self-check or review, a few days before the detection deadline.
func (tl Timeline) dueFound(r kit.RNG) kit.Date {
	return tl.SelfStart + 1 + kit.Date(r.IntN(max(1, int(tl.Deadline-tl.SelfStart)-3)))
}
