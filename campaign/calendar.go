package campaign

import (
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
)

// PhaseByCode returns the phase with the code, or false.
func (c *Config) PhaseByCode(code string) (Phase, bool) {
	for _, p := range c.Phases {
		if p.Code == code {
			return p, true
		}
	}
	return Phase{}, false
}

func (c *Config) phaseStart(code string) time.Time { p, _ := c.PhaseByCode(code); return Day(p.Start) }
func (c *Config) phaseEnd(code string) time.Time   { p, _ := c.PhaseByCode(code); return Day(p.End) }

// DataFrom is the first day inspection data counts.
func (c *Config) DataFrom() time.Time { return Day(c.Campaign.DataFrom) }

// VillageListDue is the day the village lists are due (end of the village self-check).
func (c *Config) VillageListDue() time.Time { return c.phaseEnd(PhaseSelfCheck) }

// DetectionDeadline is the day the township problem lists are due (end of the township review).
func (c *Config) DetectionDeadline() time.Time { return c.phaseEnd(PhaseReview) }

// RectificationEnd is the default deadline of every ledger item.
func (c *Config) RectificationEnd() time.Time { return c.phaseEnd(PhaseRectification) }

// PatrolFrom is the first day patrol compliance counts (start of the village self-check).
func (c *Config) PatrolFrom() time.Time { return c.phaseStart(PhaseSelfCheck) }

// Start is the first day of the campaign (start of publicity).
func (c *Config) Start() time.Time { return c.phaseStart(PhasePublicity) }

// End is the last day of the campaign: the end of the last 常态化 period, or of the look-back
// when none is configured.
func (c *Config) End() time.Time {
	end := c.phaseEnd(PhaseLookback)
	for _, p := range c.Periods {
		if e := Day(p.End); e.After(end) {
			end = e
		}
	}
	return end
}

// LastYear is the year of the campaign's last day.
func (c *Config) LastYear() int { return max(c.Campaign.Year, c.End().Year()) }

// PeriodCode is the code PhaseOn gives a 常态化 period.
const PeriodCode = "period"

// PhaseOn returns the phase a day falls in — a 常态化 period as a phase of code PeriodCode — or
// false before the campaign, after it and between periods.
func (c *Config) PhaseOn(day time.Time) (Phase, bool) {
	for _, p := range c.Phases {
		if !day.Before(Day(p.Start)) && !day.After(Day(p.End)) {
			return p, true
		}
	}
	for _, p := range c.Periods {
		if !day.Before(Day(p.Start)) && !day.After(Day(p.End)) {
			return Phase{Code: PeriodCode, Name: p.Name, Start: p.Start, End: p.End}, true
		}
	}
	return Phase{}, false
}

// Span is a run of days, both ends included.
type Span struct{ From, To time.Time }

// DataSpans are the days data may be dated on: from January 1 of the campaign year (readings and
// registers before the campaign's start serve as baselines) through the end of the look-back,
// and every 常态化 period. A form, reading or record dated outside them is refused on load.
func (c *Config) DataSpans() []Span {
	out := []Span{{From: time.Date(c.Campaign.Year, 1, 1, 0, 0, 0, 0, time.UTC), To: c.phaseEnd(PhaseLookback)}}
	for _, p := range c.Periods {
		s := Span{From: Day(p.Start), To: Day(p.End)}
		if last := &out[len(out)-1]; !s.From.After(last.To.AddDate(0, 0, 1)) {
			last.To = maxTime(last.To, s.To) // adjoining: one span
			continue
		}
		out = append(out, s)
	}
	return out
}

// Covers reports whether data may be dated on the day (DataSpans).
func (c *Config) Covers(day time.Time) bool {
	for _, s := range c.DataSpans() {
		if !day.Before(s.From) && !day.After(s.To) {
			return true
		}
	}
	return false
}

// DataSpansText lists the spans in words for an error: 2023-01-01至2023-12-31、2024-01-01至2024-03-31.
func (c *Config) DataSpansText() string {
	var parts []string
	for _, s := range c.DataSpans() {
		parts = append(parts, s.From.Format("2006-01-02")+"至"+s.To.Format("2006-01-02"))
	}
	return strings.Join(parts, "、")
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// IsWorkday reports whether the day is a working day on the configured calendar: Monday to
// Friday unless a holiday, and a weekend day listed as a make-up working day.
func (c *Config) IsWorkday(day time.Time) bool {
	ld := toml.LocalDate{Year: day.Year(), Month: int(day.Month()), Day: day.Day()}
	if c.holidays[ld] {
		return false
	}
	if c.workdays[ld] {
		return true
	}
	wd := day.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// AddWorkdays returns the day n working days after day (n >= 1).
func (c *Config) AddWorkdays(day time.Time, n int) time.Time {
	d := day
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if c.IsWorkday(d) {
			n--
		}
	}
	return d
}

// Township returns the township with the name, or false.
//
// The one rule for a township's name, for loaders, the command line and the portal alike: the full
// name (郭道镇), or, when exactly one township has it, the name without its 镇/乡 suffix (郭道);
// spaces around it do not count. Callers keep the returned Township's Name, never the name given.
func (c *Config) Township(name string) (Township, bool) {
	name = strings.TrimSpace(name)
	if name == "" {
		return Township{}, false
	}
	var hit []Township
	for _, t := range c.Townships {
		if t.Name == name {
			return t, true
		}
		if strings.TrimRight(t.Name, "镇乡") == strings.TrimRight(name, "镇乡") {
			hit = append(hit, t)
		}
	}
	if len(hit) == 1 {
		return hit[0], true
	}
	return Township{}, false
}

// HasVillage reports whether the village is in the township's register.
func (t Township) HasVillage(name string) bool { return contains(t.Villages, name) }

// Category returns the category with the code, or false.
func (c *Config) Category(code string) (Category, bool) {
	for _, cat := range c.Categories {
		if cat.Code == code {
			return cat, true
		}
	}
	return Category{}, false
}

// Location is the county's time zone (Asia/Shanghai by default).
func (c *Config) Location() *time.Location {
	loc, err := time.LoadLocation(c.County.Timezone)
	if err != nil {
		return time.FixedZone(c.County.Timezone, 8*3600)
	}
	return loc
}
