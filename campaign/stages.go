package campaign

import (
	"fmt"
	"slices"
	"strings"
)

// The enforcement chain (执法链条): the stages a case moves through, each entered by the member unit
// that owns it (README "Enforcement chain"). The codes are fixed — the models map the cases file's
// date columns and the entry files onto them — while the name shown, the owning unit, the stage a
// stage follows and its deadline are configuration ([[stage]] in campaign/default.toml).
const (
	StageFiled            = "filed"           // 立案 (自然资源)
	StagePenalty          = "penalty"         // 处罚决定 (自然资源)
	StageExecuted         = "executed"        // 执行完毕 (自然资源)
	StageClosed           = "closed"          // 结案 (自然资源)
	StagePriceRequested   = "price_requested" // 价格认定申请 (发改)
	StagePriceDone        = "price_done"      // 价格认定完成 (发改)
	StagePoliceAccepted   = "police_accepted" // 受案 (公安)
	StagePoliceFiled      = "police_filed"    // 立案侦查 (公安)
	StagePoliceReferred   = "police_referred" // 移送审查起诉 (公安)
	StageProsecAccepted   = "prosec_accepted" // 受理 (检察院)
	StageIndicted         = "indicted"        // 提起公诉 (检察院)
	StageNotIndicted      = "not_indicted"    // 不起诉 (检察院)
	StageCourtAccepted    = "court_accepted"  // 受理 (法院)
	StageJudged           = "judged"          // 判决 (法院)
	DefaultPowerCheckDays = 3
	// DefaultPowerCompanyUnit is power.company_unit when the configuration leaves it out.
	DefaultPowerCompanyUnit = "供电公司"
)

// StageCodes lists the stage codes in chain order.
var StageCodes = []string{StageFiled, StagePenalty, StageExecuted, StageClosed, StagePriceRequested, StagePriceDone, StagePoliceAccepted,
	StagePoliceFiled, StagePoliceReferred, StageProsecAccepted, StageIndicted, StageNotIndicted, StageCourtAccepted, StageJudged, StageBanned}

// optionalStageCodes may be left out of a configuration: the administrative closure (执行完毕, 结案)
// came after configurations that lack it were put in force; without it a case simply has no closure.
// 取缔查封 (banned) likewise came later; without it no category may call for it.
var optionalStageCodes = []string{StageExecuted, StageClosed, StageBanned}

// Stage is one step of the enforcement chain.
type Stage struct {
	Code string `toml:"code"`
	Name string `toml:"name"` // what users see and what an entry file's 环节 column names
	Unit string `toml:"unit"` // the owning member unit (a [[unit]] short_name or name)
	// After is the stage whose date starts this one ("" = the day the case was found).
	After string `toml:"after"`
	// DueWorkdays is the deadline in working days from the start (0 = none). The price
	// determination's deadline is prices.due_workdays and is not given here.
	DueWorkdays int `toml:"due_workdays"`
	// Replaces names the stage this one ends instead (不起诉 instead of 提起公诉): a replacing stage
	// shows only when entered, and the replaced one then drops out.
	Replaces string `toml:"replaces"`
	// OnlyEntered: the stage is a transfer to its unit (公安受案 is the case transferred to 公安), due
	// from no one until it is entered — a case need not be transferred. It shows once entered, and
	// the stages after it then follow as usual.
	OnlyEntered bool `toml:"only_entered"`
}

// StageByCode finds a configured stage.
func (c *Config) StageByCode(code string) (Stage, bool) {
	for _, s := range c.Stages {
		if s.Code == code {
			return s, true
		}
	}
	return Stage{}, false
}

// StageByName finds a configured stage by its name or code (an entry file's 环节).
func (c *Config) StageByName(name string) (Stage, bool) {
	name = strings.TrimSpace(name)
	for _, s := range c.Stages {
		if s.Name == name || s.Code == name {
			return s, true
		}
	}
	return Stage{}, false
}

// StageUnit is the short name of the unit owning a stage ("" if the stage is unknown).
func (c *Config) StageUnit(code string) string {
	s, ok := c.StageByCode(code)
	if !ok {
		return ""
	}
	u, ok := c.Unit(s.Unit)
	if !ok {
		return ""
	}
	return u.ShortName
}

// StagesOf lists the stages a unit (short name) owns, in chain order.
func (c *Config) StagesOf(unit string) []Stage {
	var out []Stage
	for _, s := range c.Stages {
		if c.StageUnit(s.Code) == unit {
			out = append(out, s)
		}
	}
	return out
}

// StageDueWorkdays is a stage's deadline in working days (the price determination's from [prices]).
func (c *Config) StageDueWorkdays(s Stage) int {
	if s.Code == StagePriceDone {
		return c.Prices.DueWorkdays
	}
	return s.DueWorkdays
}

// PowerCheckDays is the deadline of a power alert's field check in days (power.check_days).
func (p Power) PowerCheckDays() int {
	if p.CheckDays > 0 {
		return p.CheckDays
	}
	return DefaultPowerCheckDays
}

// PowerCompany is the short name of the power company's unit (power.company_unit).
func (c *Config) PowerCompany() string {
	name := c.Power.CompanyUnit
	if name == "" {
		name = DefaultPowerCompanyUnit
	}
	if u, ok := c.Unit(name); ok {
		return u.ShortName
	}
	return name
}

// checkStages checks the enforcement chain: every code known and given once, its unit configured,
// the stage it follows known and earlier, deadlines not negative.
func (c *Config) checkStages(k *checker) {
	seen := map[string]int{}
	for i, s := range c.Stages {
		key := fmt.Sprintf("stage[%d]", i)
		if !slices.Contains(StageCodes, s.Code) {
			k.bad(key+".code", "未知环节编码 %q：应为 %s", s.Code, strings.Join(StageCodes, "、"))
		}
		if _, dup := seen[s.Code]; dup {
			k.bad(key+".code", "环节 %q 重复", s.Code)
		}
		seen[s.Code] = i
		k.required(key+".name", s.Name)
		if _, ok := c.Unit(s.Unit); !ok {
			k.bad(key+".unit", "%q 不是配置中的成员单位", s.Unit)
		}
		if s.After != "" {
			if j, ok := seen[s.After]; !ok || j >= i {
				k.bad(key+".after", "前一环节无效：%q 不是列在本环节之前的环节", s.After)
			}
		}
		if s.Replaces != "" {
			if _, ok := seen[s.Replaces]; !ok {
				k.bad(key+".replaces", "替代环节无效：%q 不是列在本环节之前的环节", s.Replaces)
			}
		}
		if s.DueWorkdays < 0 || s.DueWorkdays > 365 {
			k.bad(key+".due_workdays", "%d 超出范围（应为 0–365）", s.DueWorkdays)
		}
		if s.Code == StagePriceDone && s.DueWorkdays != 0 {
			k.bad(key+".due_workdays", "价格认定时限在 prices.due_workdays 中设置")
		}
	}
	for _, code := range StageCodes {
		if _, ok := seen[code]; !ok && !slices.Contains(optionalStageCodes, code) {
			k.bad("stage", "缺少环节 %q", code)
		}
	}
	names := map[string]bool{}
	for i, s := range c.Stages {
		if names[s.Name] {
			k.bad(fmt.Sprintf("stage[%d].name", i), "环节名称 %q 重复", s.Name)
		}
		names[s.Name] = true
	}
	if _, ok := c.Unit(c.PowerCompany()); !ok {
		k.bad("power.company_unit", "%q 不是配置中的成员单位", c.PowerCompany())
	}
	if c.Power.CheckDays < 0 || c.Power.CheckDays > 90 {
		k.bad("power.check_days", "%d 超出范围（应为 0–90）", c.Power.CheckDays)
	}
}
