package county

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

// Stamp is when a file reached the county: a day and a clock time "HH:MM", or "" for the end of
// the day.
type Stamp struct {
	Day   kit.Date
	clock string
}

// String is the manifest's received_on: YYYY-MM-DD or YYYY-MM-DDTHH:MM.
func (s Stamp) String() string {
	if s.clock == "" {
		return s.Day.String()
	}
	return s.Day.String() + "T" + s.clock
}

// KnownBy says whether the file had arrived by the end of day d.
func (s Stamp) KnownBy(d kit.Date) bool { return s.Day <= d }

// WeekEnd is the day a weekly file holding something dated d is sent: the Sunday of d's week, or
// the last day of the data for the last, partial week.
func (w *World) WeekEnd(d kit.Date) kit.Date {
	s := d.Sunday()
	if d <= w.Scale.ReadTo && s > w.Scale.ReadTo {
		s = w.Scale.ReadTo
	}
	return s
}

// ReadingsKnown is the last day whose readings have arrived by the end of d: the readings come in
// weekly files, each sent on the Sunday closing its week.
func (w *World) ReadingsKnown(d kit.Date) kit.Date {
	if d >= w.Scale.ReadTo {
		return w.Scale.ReadTo
	}
	if d == d.Sunday() {
		return d
	}
	return d.Monday() - 1
}

// sendBetween picks a day from lo to hi (lo when hi < lo) from the arrival stream.
func (w *World) sendBetween(lo, hi kit.Date) kit.Date {
	if hi <= lo {
		return lo
	}
	return lo + kit.Date(w.arr.IntN(int(hi-lo)+1))
}

// weekFile is one weekly file of a township (patrol logs or ledger updates).
type weekFile struct {
	town *Town
	week kit.Date // Monday
	late bool     // a ledger update sent late on purpose
	Rows []int
	Recv kit.Date
}

// assignArrivals stamps every form and groups patrol logs, ledger updates and field checks into
// weekly files with their arrival days.
func (w *World) assignArrivals() {
	deadline := w.Timeline.Deadline
	// A corrected re-submission arrives the same afternoon as the first version, unless planted.
	for _, f := range w.Forms {
		if c := f.ReplacedBy; c != nil && c.Recv.Day == 0 {
			f.Recv = Stamp{Day: f.Day, clock: fmt.Sprintf("09:%02d", w.arr.IntN(60))}
			c.Recv = Stamp{Day: f.Day, clock: fmt.Sprintf("16:%02d", w.arr.IntN(60))}
		}
	}
	for _, f := range w.Forms {
		if f.Recv.Day != 0 {
			continue
		}
		switch f.Kind {
		case "补报":
			f.Recv = Stamp{Day: f.Day}
		default: // on its date or the next day, by the deadline
			f.Recv = Stamp{Day: max(f.Day, min(f.Day+kit.Date(w.arr.IntN(2)), deadline))}
		}
	}
	for _, t := range w.Towns {
		byWeek := map[kit.Date]*weekFile{}
		for i := range t.Patrols {
			p := &t.Patrols[i]
			wk := p.Day.Monday()
			wf := byWeek[wk]
			if wf == nil {
				wf = &weekFile{town: t, week: wk}
				byWeek[wk] = wf
				t.PatrolFiles = append(t.PatrolFiles, wf)
			}
			wf.Rows = append(wf.Rows, i)
		}
		for _, wf := range t.PatrolFiles {
			var last kit.Date
			for _, i := range wf.Rows {
				last = max(last, t.Patrols[i].Day)
			}
			wf.Recv = w.sendBetween(last, w.WeekEnd(last))
			for _, i := range wf.Rows {
				t.Patrols[i].Recv = wf.Recv
			}
		}
		type key struct {
			week kit.Date
			late bool
		}
		byKey := map[key]*weekFile{}
		for i := range t.Rects {
			r := &t.Rects[i]
			k := key{r.Sent.Monday(), r.late}
			wf := byKey[k]
			if wf == nil {
				wf = &weekFile{town: t, week: k.week, late: k.late}
				byKey[k] = wf
				t.RectFiles = append(t.RectFiles, wf)
			}
			wf.Rows = append(wf.Rows, i)
		}
		slices.SortStableFunc(t.RectFiles, func(a, b *weekFile) int {
			if a.week != b.week {
				return int(a.week - b.week)
			}
			return boolInt(a.late) - boolInt(b.late)
		})
		for _, wf := range t.RectFiles {
			var last kit.Date
			for _, i := range wf.Rows {
				last = max(last, t.Rects[i].Sent, t.Rects[i].Day)
			}
			if wf.late {
				wf.Recv = t.Rects[wf.Rows[0]].Recv
			} else {
				wf.Recv = w.sendBetween(last, w.WeekEnd(last))
			}
			for _, i := range wf.Rows {
				t.Rects[i].Recv = wf.Recv
			}
		}
	}
	for _, c := range w.Checks {
		c.Recv = w.WeekEnd(c.Checked)
	}
}

// Path is the file's manifest path: kind patrol or rectification.
func (wf *weekFile) Path(kind string) string {
	name := map[string]string{"patrol": "巡查记录", "rectification": "整改台账"}[kind]
	s := wf.town.Name + "-" + name + "-" + wf.week.Span(wf.week.Sunday())
	if wf.late {
		s += "（补报）"
	}
	return kind + "/" + s + ".xlsx"
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
