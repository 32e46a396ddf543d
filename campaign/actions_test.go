package campaign

import (
	"errors"
	"strings"
	"testing"
)

// TestActionsDefault: the embedded plan's required actions, their owners and deadlines.
func TestActionsDefault(t *testing.T) {
	c := Default()
	if c.Actions != DefaultActions {
		t.Errorf("actions %+v, want %+v", c.Actions, DefaultActions)
	}
	owners := map[string]string{}
	for _, r := range c.ActionRules() {
		owners[r.Code] = r.Owner
	}
	want := map[string]string{ActionStop: OwnerTownship, ActionCutoffOrder: OwnerOffice, ActionCutoffDone: "供电公司",
		ActionFiled: "", ActionPenalty: "", ActionBan: "自然资源", ActionTransfer: "", ActionRestore: OwnerTownship}
	for code, o := range want {
		if owners[code] != o {
			t.Errorf("%s owned by %q, want %q", code, owners[code], o)
		}
	}
	if len(owners) != len(ActionCodes) {
		t.Errorf("%d rules for %d codes", len(owners), len(ActionCodes))
	}
	for _, cat := range c.Categories {
		if got := c.CaseUnit(cat); got != "自然资源" {
			t.Errorf("%s filed by %q", cat.Code, got)
		}
		if mining := cat.Group() == "M"; mining != (cat.CriminalYuan == 100000) {
			t.Errorf("%s criminal threshold %g", cat.Code, cat.CriminalYuan)
		}
	}
	// a configuration written before [actions] keeps the default deadlines
	old := strings.Split(string(DefaultTOML()), "[actions]")[0] + "\n[[township]]" + strings.SplitN(string(DefaultTOML()), "[[township]]", 2)[1]
	c2, err := Parse("old.toml", []byte(old))
	if err != nil || c2.Actions != DefaultActions {
		t.Fatalf("old config: %v, %+v", err, c2)
	}
	// case_unit names a unit by full or short name
	c3, err := Parse("county.toml", replace(t, "code = \"L1\"\n", "code = \"L1\"\ncase_unit = \"县农业农村局\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, cat := range c3.Categories {
		if cat.Code == "L1" && c3.CaseUnit(cat) != "农业农村" {
			t.Errorf("L1 filed by %q", c3.CaseUnit(cat))
		}
	}
}

// TestActionRefusals: every bad action setting is refused with its key and line.
func TestActionRefusals(t *testing.T) {
	for _, tc := range []struct{ name, old, new, key, msg string }{
		{"zero deadline", "stop_workdays = 1", "stop_workdays = 0", "actions.stop_workdays", "超出范围"},
		{"long deadline", "transfer_workdays = 3", "transfer_workdays = 400", "actions.transfer_workdays", "超出范围"},
		{"unknown case unit", "code = \"L2\"\n", "code = \"L2\"\ncase_unit = \"气象局\"\n", "category[7].case_unit", "不是配置中的成员单位"},
		{"negative threshold", "code = \"M5\"\nname = \"非法买卖运输储存民爆物品及用其采矿\"\nplain = \"非法使用、买卖炸药雷管\"\nkeywords = [\"民爆\", \"炸药\", \"雷管\", \"爆破\"]\ncriminal_yuan = 100000",
			"code = \"M5\"\nname = \"非法买卖运输储存民爆物品及用其采矿\"\nplain = \"非法使用、买卖炸药雷管\"\nkeywords = [\"民爆\", \"炸药\", \"雷管\", \"爆破\"]\ncriminal_yuan = -1", "category[4].criminal_yuan", "不能为负数"},
		{"ban without its stage", "code = \"banned\"", "code = \"banned_x\"", "stage[14].code", "未知环节编码"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("county.toml", replace(t, tc.old, tc.new))
			if err == nil {
				t.Fatal("accepted")
			}
			found := false
			for _, e := range unwrapAll(err) {
				if e.Key == tc.key && strings.Contains(e.Msg, tc.msg) && e.Line > 0 {
					found = true
				}
			}
			var ce *Error
			if !found || !errors.As(err, &ce) {
				t.Fatalf("no refusal of %s with %q and a line in:\n%v", tc.key, tc.msg, err)
			}
		})
	}
	// a category calling for 取缔查封 needs the stage
	text := string(DefaultTOML())
	i := strings.Index(text, "[[stage]]\ncode = \"banned\"")
	j := strings.Index(text[i:], "\n\n")
	_, err := Parse("county.toml", []byte(text[:i]+text[i+j+2:]))
	if err == nil || !strings.Contains(err.Error(), "缺少取缔查封环节") {
		t.Fatalf("ban without the stage: %v", err)
	}
}
