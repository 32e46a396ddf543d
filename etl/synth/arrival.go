package synth

import (
	"fmt"
	"slices"

	"landwatch/etl/synth/kit"
)

// Arrival: every file says when it reached the county (manifest received_on), and the models count
// a file's content only from then. Files arrive the way offices send them, never after the Sunday
// that closes the week of the latest date they state (the last, partial week closes on the last day
// of the data): the power company sends the week's readings and field checks on Sunday, townships
// send a week's patrol logs and ledger updates by Sunday, the registers (cases, clues, imagery
// batches) are exported every Sunday with every record as known that day, and inspection forms
// arrive on their date or the day after, by the detection deadline. Since every as-of date of
// truth.json is a Sunday, whatever is dated by then has arrived by then, except where the scenario
// plants a late arrival on purpose (plantArrivalCases).

// stamp is when a file reached the county: a day and a clock time "HH:MM", or "" for the end of
// the day.
type stamp struct {
	day   kit.Date
	clock string
}

// String is the manifest's received_on: YYYY-MM-DD or YYYY-MM-DDTHH:MM.
func (s stamp) String() string {
	if s.clock == "" {
		return s.day.String()
	}
	return s.day.String() + "T" + s.clock
}

// knownBy says whether the file had arrived by the end of day d.
func (s stamp) knownBy(d kit.Date) bool { return s.day <= d }

// weekEnd is the day a weekly file holding something dated d is sent: the Sunday of d's week, or
// the last day of the data for the last, partial week.
func (w *world) weekEnd(d kit.Date) kit.Date {
	s := d.Sunday()
	if d <= w.sc.readTo && s > w.sc.readTo {
		s = w.sc.readTo
	}
	return s
}

// readingsKnown is the last day whose readings have arrived by the end of d: the readings come in
// weekly files, each sent on the Sunday closing its week.
func (w *world) readingsKnown(d kit.Date) kit.Date {
	if d >= w.sc.readTo {
		return w.sc.readTo
	}
	if d == d.Sunday() {
		return d
	}
	return d.Monday() - 1
}

// sendBetween picks a day from lo to hi (lo when hi < lo) from the arrival stream.
func (w *world) sendBetween(lo, hi kit.Date) kit.Date {
	if hi <= lo {
		return lo
	}
	return lo + kit.Date(w.arr.IntN(int(hi-lo)+1))
}

// weekFile is one weekly file of a township (patrol logs or ledger updates).
type weekFile struct {
	town *town
	week kit.Date // Monday
	late bool     // a ledger update sent late on purpose
	rows []int
	recv kit.Date
}

// assignArrivals stamps every form and groups patrol logs, ledger updates and field checks into
// weekly files with their arrival days.
func (w *world) assignArrivals() {
	deadline := w.tl.deadline
	// A corrected re-submission arrives the same afternoon as the first version, unless planted.
	for _, f := range w.forms {
		if c := f.replacedBy; c != nil && c.recv.day == 0 {
			f.recv = stamp{day: f.day, clock: fmt.Sprintf("09:%02d", w.arr.IntN(60))}
			c.recv = stamp{day: f.day, clock: fmt.Sprintf("16:%02d", w.arr.IntN(60))}
		}
	}
	for _, f := range w.forms {
		if f.recv.day != 0 {
			continue
		}
		switch f.kind {
		case "补报":
			f.recv = stamp{day: f.day}
		default: // on its date or the next day, by the deadline
			f.recv = stamp{day: max(f.day, min(f.day+kit.Date(w.arr.IntN(2)), deadline))}
		}
	}
	for _, t := range w.towns {
		byWeek := map[kit.Date]*weekFile{}
		for i := range t.patrols {
			p := &t.patrols[i]
			wk := p.day.Monday()
			wf := byWeek[wk]
			if wf == nil {
				wf = &weekFile{town: t, week: wk}
				byWeek[wk] = wf
				t.patrolFiles = append(t.patrolFiles, wf)
			}
			wf.rows = append(wf.rows, i)
		}
		for _, wf := range t.patrolFiles {
			var last kit.Date
			for _, i := range wf.rows {
				last = max(last, t.patrols[i].day)
			}
			wf.recv = w.sendBetween(last, w.weekEnd(last))
			for _, i := range wf.rows {
				t.patrols[i].recv = wf.recv
			}
		}
		type key struct {
			week kit.Date
			late bool
		}
		byKey := map[key]*weekFile{}
		for i := range t.rects {
			r := &t.rects[i]
			k := key{r.sent.Monday(), r.late}
			wf := byKey[k]
			if wf == nil {
				wf = &weekFile{town: t, week: k.week, late: k.late}
				byKey[k] = wf
				t.rectFiles = append(t.rectFiles, wf)
			}
			wf.rows = append(wf.rows, i)
		}
		slices.SortStableFunc(t.rectFiles, func(a, b *weekFile) int {
			if a.week != b.week {
				return int(a.week - b.week)
			}
			return boolInt(a.late) - boolInt(b.late)
		})
		for _, wf := range t.rectFiles {
			var last kit.Date
			for _, i := range wf.rows {
				last = max(last, t.rects[i].sent, t.rects[i].day)
			}
			if wf.late {
				wf.recv = t.rects[wf.rows[0]].recv
			} else {
				wf.recv = w.sendBetween(last, w.weekEnd(last))
			}
			for _, i := range wf.rows {
				t.rects[i].recv = wf.recv
			}
		}
	}
	for _, c := range w.checks {
		c.recv = w.weekEnd(c.checked)
	}
}

// path is the file's manifest path: kind patrol or rectification.
func (wf *weekFile) path(kind string) string {
	name := map[string]string{"patrol": "巡查记录", "rectification": "整改台账"}[kind]
	s := fmt.Sprintf("%s-%s-第%02d周", wf.town.name, name, wf.week.ISOWeek())
	if wf.late {
		s += "（补报）"
	}
	return kind + "/" + s + ".xlsx"
}

// stampKey orders received_on values: a day alone is the end of that day.
func stampKey(s string) string {
	if len(s) == len("2006-01-02") {
		return s + "T24:00"
	}
	return s
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
