package county

import (
	"landwatch/etl/synth/kit"
)

// PeriodWork is what planPeriodWork decided for the first configured period.
type PeriodWork struct {
	Span                PeriodSpan
	DetectBy, RectifyBy kit.Date // the period's detection and rectification deadlines
	Year                int
	Patches             []*Patch
	Cases               []*CaseRec
	Forms               []*Form
	Rects               []PeriodRect
	Stages              []PeriodStage
	Colls               []Collection
	// Cutoffs are the 终止供电 the power company confirms in the period: a meter and the day
	// (etl/synth/periodcutoff.go)
	Cutoffs []PeriodCutoff
}

type PeriodCutoff struct {
	Meter string
	Done  kit.Date
}

type PeriodRect struct {
	RectRow
	Town *Town
}

type PeriodStage struct {
	ChainEntry
	Term int // months, for 判决
}

// RoundOf is the 常态化 period whose days hold d: its detection and rectification deadlines.
func (w *World) RoundOf(d kit.Date) (dl, rd kit.Date, ok bool) {
	for _, p := range w.Cfg.Periods {
		if kit.YMD(p.Start.Year, p.Start.Month, p.Start.Day) <= d && d <= kit.YMD(p.End.Year, p.End.Month, p.End.Day) {
			return kit.YMD(p.DetectionDeadline.Year, p.DetectionDeadline.Month, p.DetectionDeadline.Day),
				kit.YMD(p.RectificationDeadline.Year, p.RectificationDeadline.Month, p.RectificationDeadline.Day), true
		}
	}
	return 0, 0, false
}

// periodMembers are the period's violation records known by the end of d: an illegal patch from
// the export showing its verdict, a case from its first export.
func (w *World) periodMembers(d kit.Date) []*Member {
	if w.Per == nil {
		return nil
	}
	var ms []*Member
	for _, p := range w.Per.Patches {
		if p.Verdict == "违法" && p.Checked != 0 && p.Checked.Sunday() <= d {
			ms = append(ms, &Member{Channel: "卫片", ID: p.ID, Township: p.Town.Name, Village: p.Village, HasXY: true, Pt: p.Pt, First: p.Imaged, Cat: imageryCategory(p.Change, p.After)})
		}
	}
	for _, c := range w.Per.Cases {
		if c.Found.Sunday() <= d {
			ms = append(ms, &Member{Channel: "案件", ID: c.ID, Township: c.Town.Name, Village: c.Village, HasXY: c.HasXY, Pt: c.Pt, First: c.Found, Cat: c.Cat, ref: c.Ref})
		}
	}
	return ms
}

// PeriodForms are the period's township forms (nil without a period).
func (w *World) PeriodForms() []*Form {
	if w.Per == nil {
		return nil
	}
	return w.Per.Forms
}

// periodRectRows are the period's ledger updates.
func (w *World) periodRectRows() []RectRow {
	if w.Per == nil {
		return nil
	}
	out := make([]RectRow, len(w.Per.Rects))
	for i, r := range w.Per.Rects {
		out[i] = r.RectRow
	}
	return out
}
