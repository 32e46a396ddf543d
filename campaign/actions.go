package campaign

import (
	"fmt"
	"math"
)

// The actions the plan (§五(三) 整改落实, §六(二) 发现一起、查处一起) requires for every confirmed
// violation (mart_violation_actions, queries/README.md "Required actions"): who owes each, and in
// how many working days. The codes are fixed — the model knows what evidence closes each — while
// the owners and deadlines are configuration ([actions], and per category case_unit, ban and
// criminal_yuan in [[category]]).
const (
	ActionStop        = "stop"         // 制止 (the violation's township)
	ActionCutoffOrder = "cutoff_order" // 终止供电·下令 (the office)
	ActionCutoffDone  = "cutoff_done"  // 终止供电·确认 (the power company)
	ActionFiled       = "filed"        // 立案 (the category's case unit)
	ActionPenalty     = "penalty"      // 处罚决定 (the category's case unit)
	ActionBan         = "ban"          // 取缔查封 (the unit of the stage banned)
	ActionTransfer    = "transfer"     // 移送公安 (the category's case unit)
	ActionRestore     = "restore"      // 恢复治理 (the violation's township)
	// StageBanned is the optional stage of a case recording 取缔/查封 (shown once entered).
	StageBanned = "banned"
	// OwnerTownship and OwnerOffice are the owners of an action that is no member unit's: the
	// violation's own township, and the leading group's office (领导小组办公室).
	OwnerTownship = "乡镇"
	OwnerOffice   = "办公室"
)

// ActionCodes lists the action codes in the order the plan takes them.
var ActionCodes = []string{ActionStop, ActionCutoffOrder, ActionCutoffDone, ActionFiled, ActionPenalty, ActionBan, ActionTransfer, ActionRestore}

// Actions are the deadlines of the required actions, in working days on the calendar. 立案 and
// 处罚决定 take the deadlines of their stages ([[stage]] filed, penalty); 恢复治理 its ledger's 恢复时限.
type Actions struct {
	// StopWorkdays: 制止, from the day the violation was first seen.
	StopWorkdays int `toml:"stop_workdays"`
	// CutoffOrderWorkdays: the office's 终止供电 order, from the field check that found 非法采矿.
	CutoffOrderWorkdays int `toml:"cutoff_order_workdays"`
	// CutoffDoneWorkdays: the power company's confirmation, from the order.
	CutoffDoneWorkdays int `toml:"cutoff_done_workdays"`
	// BanWorkdays: 取缔/查封, from 立案.
	BanWorkdays int `toml:"ban_workdays"`
	// TransferWorkdays: 移送公安, from the price determination that met the criminal threshold.
	TransferWorkdays int `toml:"transfer_workdays"`
}

// DefaultActions are the deadlines a configuration without [actions] keeps.
var DefaultActions = Actions{StopWorkdays: 1, CutoffOrderWorkdays: 1, CutoffDoneWorkdays: 2, BanWorkdays: 10, TransferWorkdays: 3}

// ActionRule is one action as the warehouse holds it (dim_actions).
type ActionRule struct {
	Code, Name  string
	Owner       string // a unit's short name, OwnerTownship, OwnerOffice, or "" when the category decides
	DueWorkdays int    // 0: the deadline comes from elsewhere (stages, the restoration ledger)
}

// ActionRules lists the actions with their names, owners and deadlines.
func (c *Config) ActionRules() []ActionRule {
	a := c.Actions
	banUnit := c.StageUnit(StageBanned)
	return []ActionRule{
		{ActionStop, "制止", OwnerTownship, a.StopWorkdays},
		{ActionCutoffOrder, "终止供电（下令）", OwnerOffice, a.CutoffOrderWorkdays},
		{ActionCutoffDone, "终止供电（确认）", c.PowerCompany(), a.CutoffDoneWorkdays},
		{ActionFiled, "立案", "", 0},
		{ActionPenalty, "处罚决定", "", 0},
		{ActionBan, "取缔查封", banUnit, a.BanWorkdays},
		{ActionTransfer, "移送公安", "", a.TransferWorkdays},
		{ActionRestore, "恢复治理", OwnerTownship, 0},
	}
}

// CaseUnit is the short name of the unit that files and punishes a violation of the category
// (category.case_unit; else the unit of the stage 立案).
func (c *Config) CaseUnit(cat Category) string {
	if cat.CaseUnit != "" {
		if u, ok := c.Unit(cat.CaseUnit); ok {
			return u.ShortName
		}
	}
	return c.StageUnit(StageFiled)
}

// checkActions checks the action deadlines and the categories' action settings.
func (c *Config) checkActions(k *checker) {
	for _, f := range []struct {
		key string
		v   int
	}{{"actions.stop_workdays", c.Actions.StopWorkdays}, {"actions.cutoff_order_workdays", c.Actions.CutoffOrderWorkdays},
		{"actions.cutoff_done_workdays", c.Actions.CutoffDoneWorkdays}, {"actions.ban_workdays", c.Actions.BanWorkdays},
		{"actions.transfer_workdays", c.Actions.TransferWorkdays}} {
		if f.v < 1 || f.v > 365 {
			k.bad(f.key, "%d 超出范围（应为 1–365）", f.v)
		}
	}
	banCalled := false
	for i, cat := range c.Categories {
		key := fmt.Sprintf("category[%d]", i)
		if cat.CaseUnit != "" {
			if _, ok := c.Unit(cat.CaseUnit); !ok {
				k.bad(key+".case_unit", "%q 不是配置中的成员单位", cat.CaseUnit)
			}
		}
		if cat.CriminalYuan < 0 || math.IsNaN(cat.CriminalYuan) || math.IsInf(cat.CriminalYuan, 0) {
			k.bad(key+".criminal_yuan", "%g 不能为负数", cat.CriminalYuan)
		}
		banCalled = banCalled || cat.Ban
	}
	if _, ok := c.StageByCode(StageBanned); banCalled && !ok {
		k.bad("stage", "有类别要求取缔查封（ban = true），但没有配置环节 %q（缺少取缔查封环节）", StageBanned)
	}
}
