package synth

import (
	"slices"

	"landwatch/etl/synth/county"
	"landwatch/etl/synth/power"
)

// 终止供电 in the first 常态化 period: of the meters checked 非法采矿 whose cut-off the office ordered
// in the campaign but the power company left unconfirmed (the meter kept drawing power to the end of
// the data: cutoffs.go), the first is cut off for good in the period — the power company confirms it
// on the period's third Tuesday (a console entry, console.json, entered that afternoon) and the
// meter draws nothing from the next day on, so its readings of the period are 0 from then (no
// supply_after_cutoff, and the meter is not silent: it keeps reporting). truth.json
// console.period_cutoffs names it and console.period_open_confirmations the orders still
// unconfirmed as of the period's end. No random draw is spent; the campaign's files and figures stay
// as they were (the meter's readings change only after the end of the data).

// planPeriodCutoff plans the period's confirmation from the console entries as of the end of the
// data (console, from tr), before any reading is written.
func (w *world) planPeriodCutoff(tr *Truth) {
	if w.Per == nil {
		return
	}
	_, ct, err := w.console(tr)
	if err != nil || len(ct.OpenConfirmations) == 0 {
		return
	}
	id := ct.OpenConfirmations[0]
	i := slices.IndexFunc(w.Meters, func(m *power.Meter) bool { return m.ID == id })
	if i < 0 {
		return
	}
	done := w.Per.Span.Start
	for done.Time().Weekday() != 2 { // Tuesday
		done++
	}
	done += 14
	w.Meters[i].CutFrom = done + 1
	w.Per.Cutoffs = append(w.Per.Cutoffs, county.PeriodCutoff{Meter: id, Done: done})
}

// periodCutoffs adds the period's confirmations to the console entries and states them in ct: the
// meters cut off in the period and the confirmations still open as of its end.
func (w *world) periodCutoffs(con *Console, ct *ConsoleTruth) {
	ct.PeriodCutoffs, ct.PeriodOpenConfirmations = []string{}, []string{}
	if w.Per == nil {
		return
	}
	for _, c := range w.Per.Cutoffs {
		con.Cutoffs = append(con.Cutoffs, ConsoleCutoff{Meter: c.Meter, Kind: "done", On: c.Done.String(), RecordedAt: c.Done.String() + " 17:00", By: "供电公司"})
		ct.PeriodCutoffs = append(ct.PeriodCutoffs, c.Meter)
	}
	for _, id := range ct.OpenConfirmations {
		if !slices.Contains(ct.PeriodCutoffs, id) {
			ct.PeriodOpenConfirmations = append(ct.PeriodOpenConfirmations, id)
		}
	}
}
