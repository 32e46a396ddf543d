package campaign

import "slices"

// Independent acceptance (验收) of rectified ledger items (README "Campaign configuration"; the rule
// is queries/intermediate/int_ledger_items.sql): a 重点 item of the 责任分解表 counts as rectified only
// once a member unit — not the township that declared it done — accepts it. The accepting unit is
// configured per category (by_category, category code → unit), else unit; the acceptance is due
// due_workdays working days after the declared completion; all_items requires it for 一般 items too.
type Acceptance struct {
	// Unit is the accepting unit of every category by_category does not name (a [[unit]] short
	// name or name; default 自然资源).
	Unit string `toml:"unit"`
	// DueWorkdays: working days after the declared completion (or after the item became 重点, when
	// later) within which the acceptance is due (default 10).
	DueWorkdays int `toml:"due_workdays"`
	// AllItems requires acceptance for every ledger item, 一般 ones too.
	AllItems bool `toml:"all_items"`
	// ByCategory names the accepting unit of a category (its code, e.g. L3 = "生态环境").
	ByCategory map[string]string `toml:"by_category"`
}

// DefaultAcceptanceUnit and DefaultAcceptanceWorkdays are acceptance.unit and
// acceptance.due_workdays when the configuration leaves them out.
const (
	DefaultAcceptanceUnit     = "自然资源"
	DefaultAcceptanceWorkdays = 10
)

func defaultAcceptance() Acceptance {
	return Acceptance{Unit: DefaultAcceptanceUnit, DueWorkdays: DefaultAcceptanceWorkdays}
}

// AcceptingUnit is the configured unit that accepts the rectification of an item of the category
// (a code; "" or an unknown code: the default unit).
func (c *Config) AcceptingUnit(category string) Unit {
	name := c.Acceptance.Unit
	if u, ok := c.Acceptance.ByCategory[category]; ok {
		name = u
	}
	u, _ := c.Unit(name)
	return u
}

// AcceptingUnits lists every unit that accepts some category (full names, in unit order).
func (c *Config) AcceptingUnits() []string {
	var out []string
	for _, u := range c.Units {
		if c.accepts(u) {
			out = append(out, u.Name)
		}
	}
	return out
}

// Accepts reports whether the unit (short or full name) accepts some category's rectifications.
func (c *Config) Accepts(unit string) bool {
	u, ok := c.Unit(unit)
	return ok && c.accepts(u)
}

func (c *Config) accepts(u Unit) bool {
	if d, ok := c.Unit(c.Acceptance.Unit); ok && d.Name == u.Name {
		return true
	}
	for _, name := range c.Acceptance.ByCategory {
		if x, ok := c.Unit(name); ok && x.Name == u.Name {
			return true
		}
	}
	return false
}

// checkAcceptance checks [acceptance]: configured units, known categories, a deadline in range.
func (c *Config) checkAcceptance(k *checker, cats map[string]bool) {
	a := c.Acceptance
	if _, ok := c.Unit(a.Unit); !ok {
		k.bad("acceptance.unit", "%q 不是配置中的成员单位", a.Unit)
	}
	if a.DueWorkdays < 1 || a.DueWorkdays > 120 {
		k.bad("acceptance.due_workdays", "%d 超出范围（应为 1–120）", a.DueWorkdays)
	}
	codes := make([]string, 0, len(a.ByCategory))
	for code := range a.ByCategory {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	for _, code := range codes {
		key := "acceptance.by_category." + code
		if !cats[code] {
			k.bad(key, "未知类别 %q", code)
		}
		if _, ok := c.Unit(a.ByCategory[code]); !ok {
			k.bad(key, "%q 不是配置中的成员单位", a.ByCategory[code])
		}
	}
}
