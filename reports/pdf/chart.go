package pdf

import (
	"fmt"
	"math"
)

// Series is one named set of values of a chart; a NaN value is "no figure" (drawn as nothing).
type Series struct {
	Name string
	Vals []float64
}

// niceMax returns a round upper bound for an axis and its tick step.
func niceMax(v float64, ticks int) (float64, float64) {
	if v <= 0 || math.IsNaN(v) {
		return float64(ticks), 1
	}
	raw := v / float64(ticks)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	if step < 1 && v >= 1 {
		step = 1
	}
	return step * math.Ceil(v/step-1e-9), step
}

func fmtTick(v float64, percent bool) string {
	if percent {
		return fmt.Sprintf("%.0f%%", v*100)
	}
	if v == math.Trunc(v) {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.1f", v)
}

// legend draws the series names in a row at (x, y) and returns the height used.
func (d *Doc) legend(x, y, w float64, ss []Series) float64 {
	d.Font(7.5)
	cx, cy := x, y
	for i, s := range ss {
		lw := d.GetStringWidth(Clean(s.Name)) + 7
		if cx+lw > x+w && cx > x {
			cx, cy = x, cy+4
		}
		d.Fill(Palette[i%len(Palette)])
		d.Rect(cx, cy+0.8, 3, 2.4, "F")
		d.Color(ColText)
		d.SetXY(cx+3.6, cy)
		d.CellFormat(lw-3.6, 4, Clean(s.Name), "", 0, "L", false, 0, "")
		cx += lw
	}
	return cy - y + 4.5
}

// VBars draws a vertical bar chart in the box (x, y, w, h): one group of bars per category,
// side by side or stacked; percent formats the axis as 0–100 %.
func (d *Doc) VBars(x, y, w, h float64, title string, cats []string, ss []Series, stacked, percent bool) {
	d.Font(10)
	d.Color(ColText)
	d.SetXY(x, y)
	d.CellFormat(w, 5, Clean(title), "", 0, "L", false, 0, "")
	top := y + 6
	top += d.legend(x, top, w, ss)
	axisW := 11.0
	labelH := 5.0
	px, pw := x+axisW, w-axisW
	py, ph := top+1, y+h-top-labelH-1
	// scale
	mx := 0.0
	for c := range cats {
		acc := 0.0
		for _, s := range ss {
			v := s.Vals[c]
			if math.IsNaN(v) {
				continue
			}
			if stacked {
				acc += v
			} else {
				acc = math.Max(acc, v)
			}
		}
		mx = math.Max(mx, acc)
	}
	var top_, step float64
	if percent {
		top_, step = 1, 0.2
	} else {
		top_, step = niceMax(mx, 5)
	}
	d.Font(7)
	d.SetLineWidth(0.1)
	for v := 0.0; v <= top_+1e-9; v += step {
		yy := py + ph - v/top_*ph
		d.Draw(ColRule)
		d.Line(px, yy, px+pw, yy)
		d.Color(ColMuted)
		d.SetXY(x, yy-2)
		d.CellFormat(axisW-1, 4, fmtTick(v, percent), "", 0, "R", false, 0, "")
	}
	d.SetLineWidth(0.2)
	d.Draw(ColText)
	d.Line(px, py+ph, px+pw, py+ph)
	if len(cats) == 0 {
		d.SetXY(px, py+ph/2-2)
		d.Color(ColMuted)
		d.CellFormat(pw, 4, "暂无数据", "", 0, "C", false, 0, "")
		d.SetY(y + h)
		return
	}
	slot := pw / float64(len(cats))
	// Label every category when the labels fit, else every second, third… (a long campaign has
	// forty-odd weeks).
	d.Font(6.5)
	widest := 0.0
	for _, name := range cats {
		widest = math.Max(widest, d.GetStringWidth(Clean(name))+1)
	}
	every := max(1, int(math.Ceil(widest/slot)))
	groupW := slot * 0.72
	barW := groupW
	if !stacked && len(ss) > 0 {
		barW = groupW / float64(len(ss))
	}
	for c, name := range cats {
		gx := px + slot*float64(c) + (slot-groupW)/2
		base := py + ph
		for i, s := range ss {
			v := s.Vals[c]
			if math.IsNaN(v) || v <= 0 {
				if !stacked && math.IsNaN(v) {
					d.Color(ColMuted)
					d.Font(6)
					d.SetXY(gx+barW*float64(i), base-3.5)
					d.CellFormat(barW, 3, "—", "", 0, "C", false, 0, "")
				}
				continue
			}
			bh := math.Min(v, top_) / top_ * ph
			d.Fill(Palette[i%len(Palette)])
			if stacked {
				d.Rect(gx, base-bh, groupW, bh, "F")
				base -= bh
			} else {
				d.Rect(gx+barW*float64(i), py+ph-bh, barW, bh, "F")
			}
		}
		if c%every == 0 {
			d.Color(ColText)
			d.Font(6.5)
			w := slot * float64(every)
			d.SetXY(px+slot*float64(c)+slot/2-w/2, py+ph+0.8)
			d.CellFormat(w, 3.5, d.Fit(name, w), "", 0, "C", false, 0, "")
		}
	}
	d.SetY(y + h)
}

// HBars draws a horizontal bar chart of one series with a label and the value at each bar.
func (d *Doc) HBars(x, y, w, h float64, title string, labels []string, vals []float64) {
	d.Font(10)
	d.Color(ColText)
	d.SetXY(x, y)
	d.CellFormat(w, 5, Clean(title), "", 0, "L", false, 0, "")
	top := y + 7
	if len(labels) == 0 {
		d.SetXY(x, top+4)
		d.Color(ColMuted)
		d.CellFormat(w, 4, "暂无数据", "", 0, "C", false, 0, "")
		d.SetY(y + h)
		return
	}
	d.Font(7.5)
	labelW := 0.0
	for _, l := range labels {
		labelW = math.Max(labelW, d.GetStringWidth(Clean(l)))
	}
	labelW = math.Min(labelW+2, w*0.45)
	valW := 10.0
	bx, bw := x+labelW, w-labelW-valW
	slot := math.Min((y+h-top)/float64(len(labels)), 8)
	mx := 0.0
	for _, v := range vals {
		mx = math.Max(mx, v)
	}
	if mx == 0 {
		mx = 1
	}
	for i, l := range labels {
		yy := top + slot*float64(i)
		d.Color(ColText)
		d.SetXY(x, yy)
		d.CellFormat(labelW-1, slot, d.Fit(l, labelW-1), "", 0, "R", false, 0, "")
		bl := vals[i] / mx * bw
		d.Fill(Palette[0])
		d.Rect(bx, yy+slot*0.18, bl, slot*0.64, "F")
		d.SetXY(bx+bl+1, yy)
		d.CellFormat(valW, slot, fmtTick(vals[i], false), "", 0, "L", false, 0, "")
	}
	d.SetY(y + h)
}
