package synth

import (
	"path/filepath"
	"slices"
	"strings"

	"landwatch/etl/synth/kit"
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
func (w *world) triage() []TriageTruth { return w.triageAsOf(w.Scale.ReadTo) }

// triageAsOf is every patch exported by the end of d (the 常态化 period's too) against the register.
func (w *world) triageAsOf(d kit.Date) []TriageTruth {
	var out []TriageTruth
	ps := w.Patches
	if w.Per != nil {
		ps = slices.Concat(ps, w.Per.Patches)
	}
	for _, p := range ps {
		if p.Imaged > d {
			continue
		}
		tt := TriageTruth{PatchID: p.ID, Status: "no_licence"}
		var validID, otherID string
		var otherTo kit.Date
		for _, l := range w.Licences {
			if !slices.ContainsFunc(l.Polys, func(r []kit.Point) bool { return inLicenceRing(p.Pt, r) }) {
				continue
			}
			if l.From <= p.Imaged && p.Imaged <= l.To {
				if validID == "" || l.ID < validID {
					validID = l.ID
				}
			} else if otherID == "" || l.To > otherTo || (l.To == otherTo && l.ID > otherID) {
				otherID, otherTo = l.ID, l.To
			}
		}
		switch {
		case validID != "":
			tt.Status, tt.LicenceID = "in_licence", &validID
		case otherID != "":
			tt.Status, tt.LicenceID = "expired_licence", &otherID
		case p.Checked <= d && p.Verdict == "合法":
			tt.Status = "verified_lawful"
		case p.Change != "挖损" && p.After != "采矿用地":
			tt.Status = "not_mining"
		}
		out = append(out, tt)
	}
	slices.SortFunc(out, func(a, b TriageTruth) int { return strings.Compare(a.PatchID, b.PatchID) })
	return out
}

func (w *world) writeLicences(out string) ([]File, error) {
	if len(w.Licences) == 0 {
		return nil, nil
	}
	rel := filepath.Join("licences", "矿业权登记.geojson")
	var b strings.Builder
	b.WriteString(`{"type":"FeatureCollection","name":"矿业权登记","features":[`)
	for i, l := range w.Licences {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n{\"type\":\"Feature\",\"properties\":{")
		for j, kv := range [][2]string{{"许可证号", l.ID}, {"矿权人", l.Holder}, {"矿种", l.Mineral},
			{"有效期起", l.From.String()}, {"有效期止", l.To.String()}, {"登记机关", "长治市规划和自然资源局"}} {
			if j > 0 {
				b.WriteString(",")
			}
			kit.WriteJSONString(&b, kv[0])
			b.WriteString(":")
			kit.WriteJSONString(&b, kv[1])
		}
		b.WriteString(`},"geometry":`)
		b.WriteString(geometryJSON(l.Polys))
		b.WriteString("}")
	}
	b.WriteString("\n]}\n")
	if err := kit.WriteFile(filepath.Join(out, rel), []byte(b.String())); err != nil {
		return nil, err
	}
	return []File{{Path: rel, Rows: int64(len(w.Licences)), ReceivedOn: (w.Scale.ReadFrom - 1).String()}}, nil
}
