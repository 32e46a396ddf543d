package synth

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"time"

	"landwatch/etl/synth/county"
	"landwatch/etl/synth/kit"
	"landwatch/etl/synth/power"
)

// The county's work goes on after the scenario's last week, through the rest of the look-back and
// every configured 常态化 period, so that a run as of any of those days sees townships that patrol
// and meters that report:
//
//	patrol/巡查记录-{year}年{MM}月.xlsx        every township's patrols of the weeks of the look-back after
//	                                        the data's last day that end in a month, received on the 5th
//	                                        of the next month
//	                                        (the last, December's, on the look-back's last day)
//	patrol/巡查记录-{days}.xlsx                every township's patrols of a week of a period, received
//	                                        that Sunday (the period's last week on its last day)
//	patrol/{乡镇}-巡查记录-{days}（补报）.xlsx  the period's last week of the townships that send it
//	                                        late, three days after the period's end
//	power/用电数据-{days}.csv                 every meter's ordinary load, hour by hour, for a week of a
//	                                        period, received that Sunday (the last week on its last day)
//
// Every township patrols once or twice a week, but for a planted few: one township in five
// (the third, eighth …) skips a week in the middle of the look-back, one in four (the second,
// sixth …) the fifth week of each period, and one in six (the fourth, tenth …) sends the period's
// last week late. The meters keep their ordinary loads (no alert); between the scenario's last
// reading and a period's first the power company sends nothing (a real gap of every meter, which
// mart_power_gaps does not count: the horizon is the latest day any meter has readings for).
// truth.json "periods" states, as of the end of each period, every township's patrol weeks and the
// meters silent for longer than power.silent_days.
//
// All of it comes from a random stream of its own, after the campaign's scenario, so every figure
// of the campaign stays as it was.

// ongoingPatrol is a patrol after the scenario with the day its file arrived and the file.
type ongoingPatrol struct {
	county.PatrolRow
	township string
	file     string
}

// lookbackEnd is the last day of the look-back phase (0 when the configuration has none).
func (w *world) lookbackEnd() kit.Date {
	p, ok := w.Cfg.PhaseByCode("lookback")
	if !ok {
		return 0
	}
	return kit.MkDate(time.Date(p.End.Year, time.Month(p.End.Month), p.End.Day, 0, 0, 0, 0, time.UTC))
}

func (w *world) periodSpans() []county.PeriodSpan {
	var out []county.PeriodSpan
	for _, p := range w.Cfg.Periods {
		out = append(out, county.PeriodSpan{Name: p.Name, Start: kit.YMD(p.Start.Year, p.Start.Month, p.Start.Day), End: kit.YMD(p.End.Year, p.End.Month, p.End.Day)})
	}
	return out
}

// ongoingPatrols plans the patrols after the scenario's last day (see the top of this file); a
// pure function of the seed and the configuration.
func (w *world) ongoingPatrols() []ongoingPatrol {
	r := kit.NewRNG(w.Seed, county.OngoingStream)
	var out []ongoingPatrol
	week := func(t *county.Town, wk, from, to kit.Date, file string, recv kit.Date) {
		n := 1 + r.IntN(2)
		for i := 0; i < n; i++ {
			d := min(max(wk+kit.Date(r.IntN(7)), from), to)
			vs := t.Villages[r.IntN(len(t.Villages))].Name
			team := t.Name + "综合行政执法队 " + r.Pick(county.Surnames) + r.Pick(county.Given) + "、" + r.Pick(county.Surnames) + r.Pick(county.Given)
			out = append(out, ongoingPatrol{PatrolRow: county.PatrolRow{Day: d, Team: team, Villages: vs, Findings: "未发现问题", Recv: recv},
				township: t.Name, file: file})
		}
	}
	// the rest of the look-back, a file a month
	if end := w.lookbackEnd(); end > w.Scale.ReadTo {
		first := w.Scale.ReadTo + 1
		skip := first.Monday() + 7*12 // a week in the middle of the look-back
		for wk := first.Monday(); wk <= end; wk += 7 {
			for _, t := range w.Towns {
				if t.Idx%5 == 2 && wk == skip {
					continue
				}
				from, to := max(wk, first), min(wk+6, end)
				// the month of the week's last day, so that the file arrives after every day it states
				m := to.Time()
				file := fmt.Sprintf("patrol/巡查记录-%d年%02d月.xlsx", m.Year(), int(m.Month()))
				recv := min(kit.YMD(m.Year(), int(m.Month())+1, 5), end)
				week(t, wk, from, to, file, recv)
			}
		}
	}
	// every period, a file a week
	for _, p := range w.periodSpans() {
		k := 0
		for wk := p.Start.Monday(); wk <= p.End; wk, k = wk+7, k+1 {
			from, to := max(wk, p.Start), min(wk+6, p.End)
			last := wk+6 >= p.End
			for _, t := range w.Towns {
				if t.Idx%4 == 1 && k == 4 {
					continue
				}
				file := "patrol/巡查记录-" + from.Span(to) + ".xlsx"
				recv := to
				if last && t.Idx%6 == 3 {
					file = "patrol/" + t.Name + "-巡查记录-" + from.Span(to) + "（补报）.xlsx"
					recv = p.End + 3
				}
				week(t, wk, from, to, file, recv)
			}
		}
	}
	return out
}

// writeOngoingPatrols writes the patrols after the scenario, a file as ongoingPatrols names it.
func (w *world) writeOngoingPatrols(out string) ([]File, error) {
	byFile := map[string][][]any{}
	recv := map[string]kit.Date{}
	var order []string
	for _, p := range w.ongoingPatrols() {
		if _, ok := byFile[p.file]; !ok {
			order = append(order, p.file)
		}
		byFile[p.file] = append(byFile[p.file], []any{p.township, dstr(p.Day), p.Team, p.Villages, p.Findings})
		recv[p.file] = p.Recv
	}
	var files []File
	for _, rel := range order {
		rows := byFile[rel]
		if err := kit.WriteTable(filepath.Join(out, filepath.FromSlash(rel)), "巡查记录", []string{"乡镇", "巡查日期", "巡查人员", "巡查村", "发现问题"}, rows); err != nil {
			return nil, err
		}
		files = append(files, File{Path: rel, Rows: int64(len(rows)), ReceivedOn: recv[rel].String()})
	}
	return files, nil
}

// writePeriodReadings writes every meter's readings of every period, a file a week (split like the
// scenario's when the scale splits the meters), received that Sunday or on the period's last day.
func (w *world) writePeriodReadings(ctx context.Context, out string) ([]File, error) {
	parts := power.ReadingFiles(len(w.Meters), w.Scale.MetersPerFile)
	var rfs []readingsFile
	for _, p := range w.periodSpans() {
		pm := *w.Power
		pm.From, pm.To = p.Start, p.End
		for wk := p.Start.Monday(); wk <= p.End; wk += 7 {
			from, to := max(wk, p.Start), min(wk+6, p.End)
			for i, part := range parts {
				rel := "power/用电数据-" + from.Span(to) + ".csv"
				if len(parts) > 1 {
					rel = fmt.Sprintf("power/用电数据-%s-%02d.csv", from.Span(to), i+1)
				}
				rfs = append(rfs, readingsFile{rel: rel, pm: &pm, ms: w.Meters[part[0]:part[1]], from: from, to: to})
			}
		}
	}
	rows, err := writeReadingsFiles(ctx, out, rfs) // readings.go: in parallel, the same bytes
	if err != nil {
		return nil, err
	}
	files := make([]File, len(rfs))
	for i, rf := range rfs {
		files[i] = File{Path: rf.rel, Rows: rows[i], ReceivedOn: rf.to.String()}
	}
	return files, nil
}

// PeriodTruth is what a run as of the end of a configured period must show.
type PeriodTruth struct {
	Name      string                `json:"name"`
	AsOf      string                `json:"as_of"`
	Townships []PeriodTownshipTruth `json:"townships"`
	// SilentMeters are the meters of mart_power_gaps as of the period's end (none: every meter
	// reports through every period)
	SilentMeters []string `json:"silent_meters"`
	// Scorecards, Violations (first seen in the period), ImageryTriage (every patch), Counts (the
	// period's records) and LateForms (townships whose form came after the detection deadline), as
	// of the period's end, for the first period (periodwork.go)
	Scorecards    []Scorecard            `json:"scorecards,omitempty"`
	Violations    []PeriodViolationTruth `json:"violations,omitempty"`
	ImageryTriage []TriageTruth          `json:"imagery_triage,omitempty"`
	Counts        map[string]int         `json:"counts,omitempty"`
	LateForms     []string               `json:"late_forms,omitempty"`
	// Fines is 罚没款 as of the period's end (periodfines.go), for the first period
	Fines *FineTruth `json:"fines,omitempty"`
}

// PeriodTownshipTruth is a township's patrol weeks as of a period's end: the weeks owed
// (queries/intermediate/int_patrol_weeks.sql: the campaign through the look-back, and the weeks of
// every period) and those with patrols_per_week patrols known by then.
type PeriodTownshipTruth struct {
	Township        string `json:"township"`
	PatrolWeeks     int    `json:"patrol_weeks"`
	PatrolWeeksDone int    `json:"patrol_weeks_done"`
}

// periodTruth states PeriodTruth for every configured period.
func (w *world) periodTruth() []PeriodTruth {
	ongoing := w.ongoingPatrols()
	spans := w.periodSpans()
	lookEnd := w.lookbackEnd()
	owed := func(wk kit.Date) bool {
		if lookEnd == 0 || wk <= lookEnd {
			return true
		}
		return slices.ContainsFunc(spans, func(p county.PeriodSpan) bool { return wk <= p.End && wk+6 >= p.Start })
	}
	from := kit.MkDate(w.Cfg.PatrolFrom())
	out := []PeriodTruth{}
	for _, p := range spans {
		d := p.End
		pt := PeriodTruth{Name: p.Name, AsOf: d.String(), SilentMeters: []string{}}
		for _, t := range w.Towns {
			counts := map[kit.Date]int{}
			for _, pr := range t.Patrols {
				if pr.Day <= d && pr.Recv <= d {
					counts[pr.Day.Monday()]++
				}
			}
			for _, pr := range ongoing {
				if pr.township == t.Name && pr.Day <= d && pr.Recv <= d {
					counts[pr.Day.Monday()]++
				}
			}
			tt := PeriodTownshipTruth{Township: t.Name}
			for wk := from.Monday(); wk <= d.Monday(); wk += 7 {
				if !owed(wk) {
					continue
				}
				tt.PatrolWeeks++
				if counts[wk] >= w.Cfg.Campaign.PatrolsPerWeek {
					tt.PatrolWeeksDone++
				}
			}
			pt.Townships = append(pt.Townships, tt)
		}
		// every meter has readings through the period's last day, the horizon: none is silent
		if len(out) == 0 {
			w.periodFigures(&pt, p)
		}
		out = append(out, pt)
	}
	return out
}
