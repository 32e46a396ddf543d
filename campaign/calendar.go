package campaign

import (
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

// End is the last day of the campaign (end of the look-back).
func (c *Config) End() time.Time { return c.phaseEnd(PhaseLookback) }

// PhaseOn returns the phase a day falls in, or false before the campaign and after it.
func (c *Config) PhaseOn(day time.Time) (Phase, bool) {
	for _, p := range c.Phases {
		if !day.Before(Day(p.Start)) && !day.After(Day(p.End)) {
			return p, true
		}
	}
	return Phase{}, false
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
func (c *Config) Township(name string) (Township, bool) {
	for _, t := range c.Townships {
		if t.Name == name {
			return t, true
		}
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
