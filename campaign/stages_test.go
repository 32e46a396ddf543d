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
	if c.Power.PowerCheckDays() != 3 {
		t.Errorf("check days %d", c.Power.PowerCheckDays())
	}
}

func TestStageRefusals(t *testing.T) {
	for _, tc := range []struct{ name, old, new, key, msg string }{
		{"unknown unit", "name = \"立案侦查\"\nunit = \"公安\"", "name = \"立案侦查\"\nunit = \"警察\"", "stage[5].unit", "not a configured unit"},
		{"after a later stage", "name = \"立案侦查\"\nunit = \"公安\"\nafter = \"police_accepted\"", "name = \"立案侦查\"\nunit = \"公安\"\nafter = \"judged\"", "stage[5].after", "not a stage listed before"},
		{"price deadline given twice", "after = \"price_requested\"\n", "after = \"price_requested\"\ndue_workdays = 5\n", "stage[3].due_workdays", "prices.due_workdays"},
		{"unknown code", "code = \"penalty\"", "code = \"fine\"", "stage[1].code", "unknown stage code"},
		{"negative deadline", "due_workdays = 44", "due_workdays = -1", "stage[11].due_workdays", "out of range"},
		{"check days", "check_days = 3", "check_days = 400", "power.check_days", "out of range"},
		{"power company", "company_unit = \"供电公司\"", "company_unit = \"电力局\"", "power.company_unit", "not a configured unit"},
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
					found = e.Line > 0 && strings.Contains(e.Error(), "county.toml line ")
				}
			}
			var ce *Error
			if !found || !errors.As(err, &ce) {
				t.Fatalf("no refusal of %s with %q and a line in:\n%v", tc.key, tc.msg, err)
			}
		})
	}
}
