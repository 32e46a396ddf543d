package fieldcheck

import (
	"strings"
	"testing"
	"time"
)

func TestProblem(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	ok := Check{Result: "属实", Results: []string{"属实", "不属实"}, Cleared: "不属实", On: day("2023-04-10"),
		First: day("2023-04-01"), Since: "线索日期", Note: "现场查见"}
	today := day("2023-04-20")
	if p := ok.Problem(today); p != "" {
		t.Fatalf("a good check refused: %s", p)
	}
	cleared := ok
	cleared.Result, cleared.Note = "不属实", ""
	if p := cleared.Problem(today); p != "" {
		t.Errorf("a check that finds nothing needs no reasons: %s", p)
	}
	for name, c := range map[string]struct {
		edit func(*Check)
		want string
	}{
		"result not offered": {func(c *Check) { c.Result = "属实 " }, "核查结果应为 属实、不属实"},
		"no date":            {func(c *Check) { c.On = time.Time{} }, "没有填写核查日期"},
		"after today":        {func(c *Check) { c.On = day("2023-04-21") }, "晚于今天"},
		"before the clue":    {func(c *Check) { c.On = day("2023-03-31") }, "早于线索日期 2023-04-01"},
		"no reasons":         {func(c *Check) { c.Note = "" }, "核查结论需要写明依据"},
		"note too long":      {func(c *Check) { c.Note = strings.Repeat("字", 2001) }, "说明最多 2000 字"},
	} {
		bad := ok
		c.edit(&bad)
		if p := bad.Problem(today); !strings.Contains(p, c.want) {
			t.Errorf("%s: %q, want %q", name, p, c.want)
		}
	}
	// the boundaries: the first day and today are allowed, a note of 2000 characters too
	edge := ok
	edge.On, edge.Note = day("2023-04-01"), strings.Repeat("字", 2000)
	if p := edge.Problem(today); p != "" {
		t.Errorf("the first day: %s", p)
	}
	edge.On = today
	if p := edge.Problem(today); p != "" {
		t.Errorf("today: %s", p)
	}
}
