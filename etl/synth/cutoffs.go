package synth

import (
	"slices"
	"sort"

	"landwatch/etl/synth/county"
	"landwatch/etl/synth/kit"
	"landwatch/etl/synth/power"
)

// The 终止供电 the plan requires once a meter's alert was checked 非法采矿 (mart_violation_actions,
// queries/README.md "Required actions"): besides console.go's cut-off of a meter that keeps drawing
// power, the office orders a cut-off for every other meter checked 非法采矿 — on the check day, or
// for every fourth meter three working days later (past the order's deadline, a day after the
// check); the power company confirms two days after the order when the meter draws nothing from
// then to the end of the data (so no supply_after_cutoff fires and no other figure changes), and
// leaves it unconfirmed otherwise, in its queue.

// moreCutoffs plans the orders and confirmations for the alerts checked 非法采矿 at meters other than
// skip, in the order of the check, and records the late orders and the open confirmations in ct.
func (w *world) moreCutoffs(alerts []AlertTruth, skip string, ct *ConsoleTruth) []ConsoleCutoff {
	checked := map[string]kit.Date{} // meter → its first check 非法采矿
	for _, a := range alerts {
		if a.CheckResult != "非法采矿" || a.CheckedOn == "" || a.MeterID == skip {
			continue
		}
		if d, ok := checked[a.MeterID]; !ok || county.ParseDay(a.CheckedOn) < d {
			checked[a.MeterID] = county.ParseDay(a.CheckedOn)
		}
	}
	ids := make([]string, 0, len(checked))
	for id := range checked {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		if checked[ids[i]] != checked[ids[j]] {
			return checked[ids[i]] < checked[ids[j]]
		}
		return ids[i] < ids[j]
	})
	var out []ConsoleCutoff
	n := 0
	for _, id := range ids {
		i := slices.IndexFunc(w.Meters, func(m *power.Meter) bool { return m.ID == id })
		if i < 0 {
			continue
		}
		m, on := w.Meters[i], checked[id]
		n++
		late := n%4 == 0
		if late {
			on = kit.MkDate(w.Cfg.AddWorkdays(on.Time(), 3))
		}
		if on > w.Scale.ReadTo {
			continue
		}
		if late {
			ct.LateOrders = append(ct.LateOrders, id)
		}
		out = append(out, ConsoleCutoff{Meter: id, Kind: "ordered", On: on.String(), RecordedAt: on.String() + " 16:00", By: "办公室"})
		done := on + 2
		quiet := done <= w.Scale.ReadTo
		for d := done + 1; d <= w.Scale.ReadTo && quiet; d++ {
			for h := range 24 {
				if w.Power.Wh(m, d, h) > 0 {
					quiet = false
					break
				}
			}
		}
		if !quiet {
			ct.OpenConfirmations = append(ct.OpenConfirmations, id)
			continue
		}
		out = append(out, ConsoleCutoff{Meter: id, Kind: "done", On: done.String(), RecordedAt: done.String() + " 17:00", By: "供电公司"})
	}
	return out
}
