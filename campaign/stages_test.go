package campaign

import (
	"errors"
	"strings"
	"testing"
)

func TestStagesDefault(t *testing.T) {
	c := Default()
	for code, unit := range map[string]string{StageFiled: "自然资源", StagePriceDone: "发改", StagePoliceFiled: "公安",
		StageIndicted: "检察院", StageNotIndicted: "检察院", StageJudged: "法院"} {
		if got := c.StageUnit(code); got != unit {
			t.Errorf("%s: unit %q, want %q", code, got, unit)
		}
	}
	if s, _ := c.StageByCode(StagePriceDone); c.StageDueWorkdays(s) != c.Prices.DueWorkdays || c.Prices.DueWorkdays != 2 {
		t.Errorf("price deadline %d, want prices.due_workdays 2", c.StageDueWorkdays(s))
	}
	if s, ok := c.StageByName("移送审查起诉"); !ok || s.Code != StagePoliceReferred {
		t.Errorf("by name: %+v %v", s, ok)
	}
	if got := len(c.StagesOf("公安")); got != 3 {
		t.Errorf("公安 owns %d stages, want 3", got)
	}
	if got := len(c.StagesOf("自然资源")); got != 5 {
		t.Errorf("自然资源 owns %d stages (立案, 处罚决定, 执行完毕, 结案, 取缔查封), want 5", got)
	}
	if s, _ := c.StageByCode(StagePoliceAccepted); !s.OnlyEntered {
		t.Errorf("公安受案 is the transfer to 公安: only_entered")
	}
	if s, _ := c.StageByCode(StageProsecAccepted); s.OnlyEntered || s.After != StagePoliceReferred {
		t.Errorf("检察院受理 starts from 移送审查起诉: %+v", s)
	}
	if c.Power.PowerCheckDays() != 3 {
		t.Errorf("check days %d", c.Power.PowerCheckDays())
	}
}

// A configuration put in force before the administrative closure existed (no 执行完毕, no 结案)
// still parses; any other stage left out is refused.
func TestStagesClosureOptional(t *testing.T) {
	data := replace(t, "[[stage]]\ncode = \"executed\"\nname = \"执行完毕\"\nunit = \"自然资源\"\nafter = \"penalty\"\n\n", "")
	data = []byte(strings.Replace(string(data), "[[stage]]\ncode = \"closed\"\nname = \"结案\"\nunit = \"自然资源\"\nafter = \"executed\"\ndue_workdays = 10\n\n", "", 1))
	c, err := Parse("county.toml", data)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.StageByCode(StageClosed); ok {
		t.Fatal("结案 still configured")
	}
	data = []byte(strings.Replace(string(data), "[[stage]]\ncode = \"judged\"", "[[stage]]\ncode = \"x\"", 1))
	if _, err := Parse("county.toml", data); err == nil || !strings.Contains(err.Error(), "judged") {
		t.Fatalf("判决 left out: %v", err)
	}
}

func TestStageRefusals(t *testing.T) {
	for _, tc := range []struct{ name, old, new, key, msg string }{
		{"unknown unit", "name = \"立案侦查\"\nunit = \"公安\"", "name = \"立案侦查\"\nunit = \"警察\"", "stage[7].unit", "不是配置中的成员单位"},
		{"after a later stage", "name = \"立案侦查\"\nunit = \"公安\"\nafter = \"police_accepted\"", "name = \"立案侦查\"\nunit = \"公安\"\nafter = \"judged\"", "stage[7].after", "不是列在本环节之前的环节"},
		{"price deadline given twice", "after = \"price_requested\"\n", "after = \"price_requested\"\ndue_workdays = 5\n", "stage[5].due_workdays", "prices.due_workdays"},
		{"unknown code", "code = \"penalty\"", "code = \"fine\"", "stage[1].code", "未知环节编码"},
		{"negative deadline", "due_workdays = 44", "due_workdays = -1", "stage[13].due_workdays", "超出范围"},
		{"check days", "check_days = 3", "check_days = 400", "power.check_days", "超出范围"},
		{"power company", "company_unit = \"供电公司\"", "company_unit = \"电力局\"", "power.company_unit", "不是配置中的成员单位"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := replace(t, tc.old, tc.new)
			_, err := Parse("county.toml", data)
			if err == nil {
				t.Fatal("accepted")
			}
			found := false
			for _, e := range unwrapAll(err) {
				if e.Key == tc.key && strings.Contains(e.Msg, tc.msg) {
					found = e.Line > 0 && strings.Contains(e.Error(), "county.toml 第")
				}
			}
			var ce *Error
			if !found || !errors.As(err, &ce) {
				t.Fatalf("no refusal of %s with %q and a line in:\n%v", tc.key, tc.msg, err)
			}
		})
	}
}
