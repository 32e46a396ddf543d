package county

import (
	"slices"
	"strings"

	"landwatch/etl/synth/kit"
)

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

type FlowRec struct {
	ID, Buyer, Licence, Item, Unit, Site, Township, Village string
	Qty, Returned                                           float64
	Drawn                                                   kit.Date
	Pt                                                      kit.Point
}

type EventRec struct {
	ID, Camera, Township, Village, Typ, Shot, Note string
	Day                                            kit.Date
	Hour, Minute                                   int
	Pt                                             kit.Point
}

type ChannelPlan struct {
	Flows     []*FlowRec
	Events    []*EventRec
	FlowsRecv kit.Date
	EventRecv kit.Date
	Checked   []ConsoleClueCheck
	Applied   bool // members include the console checks' records (evaluation for the console truth)
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

func (l *Licence) Holds(p kit.Point) bool {
	for _, ring := range l.Polys {
		if insideRing(p, ring) {
			return true
		}
	}
	return false
}

// channelMembers are the violation records of the console's checks known by the end of d (when
// the console is applied).
func (w *World) channelMembers(d kit.Date) []*Member {
	cp := w.Channels
	if cp == nil || !cp.Applied {
		return nil
	}
	var out []*Member
	for _, c := range cp.Checked {
		on := ParseDay(c.CheckedOn)
		if c.Result != "属实" || on > d {
			continue
		}
		if i := slices.IndexFunc(cp.Flows, func(f *FlowRec) bool { return f.ID == c.ItemID }); i >= 0 && cp.FlowsRecv <= d {
			f := cp.Flows[i]
			out = append(out, &Member{Channel: "民爆流向", ID: f.ID, Township: f.Township, Village: f.Village, HasXY: true, Pt: f.Pt,
				First: f.Drawn, Cat: w.categoryOf(f.Item)})
		}
		if i := slices.IndexFunc(cp.Events, func(e *EventRec) bool { return e.ID == c.ItemID }); i >= 0 && cp.EventRecv <= d {
			e := cp.Events[i]
			out = append(out, &Member{Channel: "视频监控", ID: e.ID, Township: e.Township, Village: e.Village, HasXY: true, Pt: e.Pt,
				First: e.Day, Cat: w.categoryOf(e.Note)})
		}
	}
	return out
}

// categoryOf is the category a keyword of which the text holds (configuration order), as the
// models infer it from a flow's kind or an event's note.
func (w *World) categoryOf(text string) string {
	for _, c := range w.Cfg.Categories {
		for _, k := range c.Keywords {
			if strings.Contains(text, k) {
				return c.Code
			}
		}
	}
	return ""
}
