package reports

import (
	"fmt"
	"strings"
	"time"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/render"

	"landwatch/campaign"
)

// The public page's charts read as a citizen reads them: a week is 第N周 with the day it starts
// (shown under the label, so also on paper), the axes of counts step by whole numbers, and a chart
// whose weekly figures are suppressed (a small count, or hidden against working it out) is drawn by
// calendar month, with the months suppressed by the same rules (publicStats), or replaced by a
// sentence when every month is suppressed too. Where a chart is drawn by month its weekly
// figures are published nowhere (page or CSV), so no month minus its visible weeks gives a
// hidden week away.

// monthRows sums the weekly rows by the calendar month of each week's first day; a month's Week
// is its label (2023年3月) and Start its first week's first day.
func monthRows(weeks []weekRow) []weekRow {
	var out []weekRow
	for _, w := range weeks {
		label := monthLabel(w.Start.Format(time.DateOnly))
		if n := len(out); n == 0 || out[n-1].Week != label {
			out = append(out, weekRow{Week: label, Start: w.Start, Clues: make([]float64, len(w.Clues))})
		}
		m := &out[len(out)-1]
		for i, c := range w.Clues {
			if i < len(m.Clues) {
				m.Clues[i] += c
			}
		}
		m.ViolationsVerified += w.ViolationsVerified
		m.ProblemsListed += w.ProblemsListed
		m.ItemsRectified += w.ItemsRectified
		m.CasesFiled += w.CasesFiled
		m.CasesTransferred += w.CasesTransferred
		m.FinesYuan += w.FinesYuan
		m.TipsReceived += w.TipsReceived
		m.TipsVerified += w.TipsVerified
		m.RewardsApproved += w.RewardsApproved
		m.RewardsPaid += w.RewardsPaid
		m.RewardsPaidYuan += w.RewardsPaidYuan
		m.AreaRestoredMu += w.AreaRestoredMu
	}
	return out
}

// monthLabel is the month of a YYYY-MM-DD day: 2023年3月.
func monthLabel(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return fmt.Sprintf("%d年%d月", t.Year(), int(t.Month()))
}

// weekLabel is a week's label by its dates (never its ISO week number): 4月3日至9日, with the year
// when it differs from firstYear (a YYYY-MM-DD day; "" for none), and when sep is given the first
// day and the last apart: 4月3日, sep, 至9日.
func weekLabel(start, firstYear string, sep ...string) string {
	t, err := time.Parse(time.DateOnly, start)
	if err != nil {
		return start
	}
	label := campaign.DaySpan(t, t.AddDate(0, 0, 6))
	if firstYear != "" && !strings.HasPrefix(firstYear, fmt.Sprint(t.Year())) {
		label = fmt.Sprintf("%d年", t.Year()) + label
	}
	if len(sep) > 0 {
		if i := strings.Index(label, "至"); i >= 0 {
			label = label[:i] + sep[0] + label[i:]
		}
	}
	return label
}

// suppressedIn reports whether any figure of keys in rows is suppressed (has no number).
func suppressedIn(rows []PublicWeek, keys []string) bool {
	for _, r := range rows {
		for _, k := range keys {
			if r.Vals[k].Num == nil {
				return true
			}
		}
	}
	return false
}

// chartRows are the rows a chart of keys is drawn from — the weeks, or the months when a weekly
// figure is suppressed — with its title (每周 becoming 每月); ok is false when every non-zero
// figure of the months is suppressed too (the chart is a sentence).
func (s *Stats) chartRows(keys []string, title string) (rows []PublicWeek, t string, ok bool) {
	if !suppressedIn(s.Weeks, keys) {
		return s.Weeks, title, true
	}
	t = strings.Replace(title, "每周", "每月", 1)
	for _, r := range s.Months {
		for _, k := range keys {
			if v := r.Vals[k].Num; v != nil && *v > 0 {
				return s.Months, t, true
			}
		}
	}
	return nil, t, false
}

// rowLabels are the axis labels of rows: months as they are, weeks as weekLabel with the day under it.
func rowLabels(rows []PublicWeek) []string {
	var out []string
	for i, r := range rows {
		if r.Week == monthLabel(r.Start) {
			out = append(out, r.Week)
			continue
		}
		first := ""
		if i > 0 {
			first = rows[0].Start
		}
		out = append(out, weekLabel(r.Start, first, "\n"))
	}
	return out
}

// publicBarChart is barChart with whole-number steps on the value axis when every series is a count.
func publicBarChart(id, file string, cats, names []string, vals [][]*float64, count bool) render.Renderer {
	b := barChart(id, file, cats, names, vals, false, false).(*charts.Bar)
	if count {
		b.SetGlobalOptions(charts.WithYAxisOpts(opts.YAxis{MinInterval: 1}))
	}
	return b
}

// ChartsDrawn is how many of the public page's charts these statistics draw: a chart whose weeks
// and months are all suppressed is a sentence instead.
func (s *Stats) ChartsDrawn() int {
	n := 0
	for _, c := range publicCharts {
		if _, _, ok := s.chartRows(c.keys, c.title); ok {
			n++
		}
	}
	return n
}
