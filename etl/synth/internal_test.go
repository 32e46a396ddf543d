package synth

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"landwatch/campaign"
	"landwatch/etl/synth/chain"
	"landwatch/etl/synth/county"
	"landwatch/etl/synth/kit"
	"landwatch/etl/synth/power"
)

func planned(t *testing.T, scaleName string, seed int64) *world {
	t.Helper()
	sc, err := county.ScaleByName(scaleName, campaign.Default())
	if err != nil {
		t.Fatal(err)
	}
	w := &world{&chain.World{World: county.NewWorld(campaign.Default(), sc, seed)}}
	if err := w.Plan(); err != nil {
		t.Fatal(err)
	}
	return w
}

// Every coordinate of every scale lies inside the county's box.
func TestCoordinatesInsideBBox(t *testing.T) {
	cfg := campaign.Default()
	in := func(what string, p kit.Point) {
		if !cfg.County.BBox.Contains(p.Lon, p.Lat) {
			t.Errorf("%s at %v is outside the county box", what, p)
		}
	}
	for _, name := range []string{"tiny", "county", "large"} {
		w := planned(t, name, 1)
		for _, m := range w.Meters {
			in(name+" meter "+m.ID, kit.Point{Lon: m.Lon, Lat: m.Lat})
		}
		for _, p := range w.Patches {
			for _, ring := range p.Polys {
				for _, q := range ring {
					in(name+" patch "+p.ID, q)
				}
			}
		}
		for _, c := range w.Cases {
			in(name+" case "+c.ID, c.Pt)
		}
		for _, c := range w.Clues {
			in(name+" clue "+c.ID, c.Pt)
		}
		for _, f := range w.Forms {
			for _, r := range f.Rows {
				if r.HasXY {
					in(name+" form "+f.FileName(), r.Pt)
				}
			}
		}
		for _, t := range w.Towns {
			for _, v := range t.Villages {
				in(name+" village "+v.Name, v.Pt)
			}
		}
	}
}

// Sites of different violations are more than 1 km apart (merges are planted within 300 m of
// their own site only).
func TestSitesApart(t *testing.T) {
	w := planned(t, "county", 1)
	for i, a := range w.Sites {
		for _, b := range w.Sites[i+1:] {
			if d := kit.Haversine(a.Lon, a.Lat, b.Lon, b.Lat); d < 1000 {
				t.Fatalf("sites %v and %v are %.0f m apart", a, b, d)
			}
		}
	}
}

func TestScales(t *testing.T) {
	want := map[string][2]int{"tiny": {36, 30}, "county": {252, 4900}, "large": {252, 44000}}
	for name, n := range want {
		w := planned(t, name, 1)
		if w.villageCount() != n[0] {
			t.Errorf("%s: %d villages, want %d", name, w.villageCount(), n[0])
		}
		if len(w.Meters) < n[1] {
			t.Errorf("%s: %d meters, want at least %d", name, len(w.Meters), n[1])
		}
		rows := int64(len(w.Meters)) * int64(w.Power.To-w.Power.From+1) * 24
		switch name {
		case "county":
			if rows < 10_000_000 || w.Power.To-w.Power.From+1 < 90 {
				t.Errorf("county: %d readings over %d days", rows, w.Power.To-w.Power.From+1)
			}
		case "large":
			if rows < 100_000_000 {
				t.Errorf("large: %d readings, want ≥ 100 M", rows)
			}
		case "tiny":
			if w.Power.To-w.Power.From+1 < 40 {
				t.Errorf("tiny: %d days of readings, want ≥ 40", w.Power.To-w.Power.From+1)
			}
		}
	}
}

// The readings writer gives the same bytes every time, the split files of the large scale hold
// exactly the rows of one file, and a meter's readings do not depend on the scale it is part of
// beyond its own position in the registry.
func TestReadingsWriterDeterministic(t *testing.T) {
	for _, name := range []string{"tiny", "county", "large"} {
		w1, w2 := planned(t, name, 3), planned(t, name, 3)
		k := min(30, len(w1.Meters))
		ms1, ms2 := w1.Meters[:k], w2.Meters[:k]
		var a, b bytes.Buffer
		n1, err := w1.Power.WriteReadings(context.Background(), &a, ms1, w1.Power.From, w1.Power.To)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w2.Power.WriteReadings(context.Background(), &b, ms2, w2.Power.From, w2.Power.To); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Fatalf("%s: two runs write different readings", name)
		}
		if lines := int64(bytes.Count(a.Bytes(), []byte("\n"))) - 1; lines != n1 {
			t.Fatalf("%s: %d lines, writer says %d", name, lines, n1)
		}
		// Split in two: the concatenated bodies equal the single file.
		var p1, p2 bytes.Buffer
		w1.Power.WriteReadings(context.Background(), &p1, ms1[:17], w1.Power.From, w1.Power.To)
		w1.Power.WriteReadings(context.Background(), &p2, ms1[17:], w1.Power.From, w1.Power.To)
		joined := p1.String() + strings.TrimPrefix(p2.String(), "户号,时间,电量\n")
		if joined != a.String() {
			t.Fatalf("%s: split files differ from one file", name)
		}
	}
	parts := power.ReadingFiles(45000, 9000)
	if len(parts) != 5 || parts[4] != [2]int{36000, 45000} {
		t.Fatalf("readingFiles(45000, 9000) = %v", parts)
	}
}

// Ordinary meters of every kind never meet a rule, whatever their draw.
func TestOrdinaryMetersQuiet(t *testing.T) {
	cfg := campaign.Default()
	pm := power.NewModel(99, cfg.Power, kit.YMD(2023, 2, 1), kit.YMD(2023, 5, 7))
	i := 0
	for kind, pr := range power.Profiles {
		for _, rate := range []int64{pr.DayMin, pr.DayMax} {
			for k := 0; k < 20; k++ {
				m := &power.Meter{Idx: i, ID: "14300" + strings.Repeat("0", 5), Kind: kind, DayRate: rate, NightPct: pr.NightPct}
				i++
				if as := pm.Alerts(m, cfg.Power.For(m.Kind), pm.To); len(as) > 0 {
					t.Fatalf("ordinary %s meter (rate %d) raises %s", kind, rate, as[0].ID)
				}
			}
		}
	}
}

// Each planted pattern raises exactly its own rule, starting on its first day.
func TestPlantsRaiseOnlyTheirRule(t *testing.T) {
	cfg := campaign.Default()
	pm := power.NewModel(5, cfg.Power, kit.YMD(2023, 2, 1), kit.YMD(2023, 5, 7))
	for i, c := range []struct {
		kind string
		rate int64
		an   power.Anomaly
	}{
		{power.KindFactory, 5000, power.Anomaly{Rule: power.RuleNight, Start: kit.YMD(2023, 3, 3), Days: power.Consecutive(8)}},
		{power.KindWasher, 80000, power.Anomaly{Rule: power.RuleNight, Start: kit.YMD(2023, 3, 3), Days: power.Consecutive(8)}},
		{power.KindFarm, 2000, power.Anomaly{Rule: power.RuleSurge, Start: kit.YMD(2023, 3, 10), Days: power.Consecutive(8)}},
		{power.KindFarm, 6000, power.Anomaly{Rule: power.RuleSurge, Start: kit.YMD(2023, 4, 17), Days: power.Consecutive(10)}},
		{power.KindClosedMine, 0, power.Anomaly{Rule: power.RuleClosed, Start: kit.YMD(2023, 3, 1), Days: []int{0, 1, 2, 4, 5, 8, 9}}},
	} {
		pr := power.Profiles[c.kind]
		m := &power.Meter{Idx: 1000 + i, ID: "1430009999", Kind: c.kind, DayRate: c.rate, NightPct: pr.NightPct, Anomalies: []power.Anomaly{c.an}}
		as := pm.Alerts(m, cfg.Power.For(m.Kind), pm.To)
		if len(as) != 1 || as[0].Rule != c.an.Rule || as[0].FirstDay != c.an.Start ||
			as[0].LastDay != c.an.Start+kit.Date(c.an.Days[len(c.an.Days)-1]) {
			t.Errorf("%s %s: alerts %+v", c.kind, c.an.Rule, as)
		}
	}
}

// Weekly readings files hold every reading once: their rows add up to the whole range, and the
// days of the data arrive by the Sunday closing their week (the last, partial week on its last day).
func TestWeeklyReadings(t *testing.T) {
	w := planned(t, "tiny", 3)
	ms := w.Meters[:5]
	var all bytes.Buffer
	total, err := w.Power.WriteReadings(context.Background(), &all, ms, w.Power.From, w.Power.To)
	if err != nil {
		t.Fatal(err)
	}
	var sum int64
	for wk := w.Scale.ReadFrom.Monday(); wk <= w.Scale.ReadTo; wk += 7 {
		var b bytes.Buffer
		n, err := w.Power.WriteReadings(context.Background(), &b, ms, max(wk, w.Scale.ReadFrom), min(wk+6, w.Scale.ReadTo))
		if err != nil {
			t.Fatal(err)
		}
		sum += n
	}
	if sum != total {
		t.Fatalf("weekly files hold %d readings, the whole range %d", sum, total)
	}
	for d := w.Scale.ReadFrom; d <= w.Scale.ReadTo; d++ {
		if e := w.WeekEnd(d); e < d || e-d > 6 || (e != w.Scale.ReadTo && e.Time().Weekday() != 0) {
			t.Fatalf("%s: sent %s", d, e)
		}
		if k := w.ReadingsKnown(d); k > d || k < d-6 || (k != w.Scale.ReadTo && k.Time().Weekday() != 0) {
			t.Fatalf("as of %s readings known to %s", d, k)
		}
	}
}
