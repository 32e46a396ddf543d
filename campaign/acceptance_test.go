package campaign

import (
	"bytes"
	"strings"
	"testing"
)

// The default accepts by 自然资源 within 10 working days, by 生态环境 for waste dumping (L3), and
// requires acceptance for 重点 items only.
func TestAcceptanceDefault(t *testing.T) {
	c := Default()
	if got := c.AcceptingUnit("M1").Name; got != "县自然资源局" {
		t.Errorf("M1 accepted by %q, want 县自然资源局", got)
	}
	if got := c.AcceptingUnit("L3").ShortName; got != "生态环境" {
		t.Errorf("L3 accepted by %q, want 生态环境", got)
	}
	if got := c.AcceptingUnit("").ShortName; got != "自然资源" {
		t.Errorf("no category accepted by %q, want 自然资源", got)
	}
	if c.Acceptance.DueWorkdays != 10 || c.Acceptance.AllItems {
		t.Errorf("acceptance %+v, want 10 working days and 重点 items only", c.Acceptance)
	}
	if !c.Accepts("生态环境") || !c.Accepts("县自然资源局") || c.Accepts("公安") || c.Accepts("郭道镇") {
		t.Errorf("accepting units %v", c.AcceptingUnits())
	}
}

// A configuration written before [acceptance] existed takes the default's values.
func TestAcceptanceAbsent(t *testing.T) {
	i := bytes.Index(defaultTOML, []byte("\n# Independent acceptance"))
	if i < 0 {
		t.Fatal("the default has no [acceptance] section")
	}
	c, err := Parse("old.toml", defaultTOML[:i])
	if err != nil {
		t.Fatal(err)
	}
	if c.AcceptingUnit("L3").ShortName != "自然资源" || c.Acceptance.DueWorkdays != 10 || c.Acceptance.AllItems {
		t.Errorf("absent [acceptance] read as %+v", c.Acceptance)
	}
	c, err = Parse("all.toml", replace(t, "all_items = false", "all_items = true"))
	if err != nil || !c.Acceptance.AllItems {
		t.Fatalf("all_items = true: %v %+v", err, c.Acceptance)
	}
}

// Each bad [acceptance] value is refused with its key and line.
func TestAcceptanceRefusals(t *testing.T) {
	for _, tc := range []struct{ old, new, want string }{
		{`unit = "自然资源"` + "\ndue_workdays = 10", `unit = "郭道镇"` + "\ndue_workdays = 10", `acceptance.unit："郭道镇" 不是配置中的成员单位`},
		{"due_workdays = 10\nall_items", "due_workdays = 0\nall_items", "acceptance.due_workdays：0 超出范围（应为 1–120）"},
		{"due_workdays = 10\nall_items", "due_workdays = 121\nall_items", "acceptance.due_workdays：121 超出范围（应为 1–120）"},
		{`L3 = "生态环境"`, `X9 = "生态环境"`, `acceptance.by_category.X9：未知类别 "X9"`},
		{`L3 = "生态环境"`, `L3 = "环保"`, `acceptance.by_category.L3："环保" 不是配置中的成员单位`},
		{"all_items = false", "all_items = 1", "acceptance.all_items"},
	} {
		_, err := Parse("other.toml", replace(t, tc.old, tc.new))
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "other.toml 第") {
			t.Errorf("%s → %s: got %v, want %q with its line", tc.old, tc.new, err, tc.want)
		}
	}
}
