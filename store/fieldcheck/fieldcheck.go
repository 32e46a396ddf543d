// Package fieldcheck is the one rule for a field check entered on the console (a power alert's,
// store/powerstore; a 民爆流向 or 视频监控 clue's, store/cluecheck): what makes its result, date
// and note acceptable.
package fieldcheck

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"landwatch/warehouse"
)

// Check is what a check entry states, with what it checks.
type Check struct {
	Result  string
	Results []string  // the results offered
	Cleared string    // the result that finds nothing, which needs no reasons in the note
	On      time.Time // the day of the check
	First   time.Time // the first day of what is checked; the check cannot be earlier
	Since   string    // what First is, in the refusal (线索日期, 预警首日)
	Note    string
}

// Problem is why c cannot be saved, in Chinese; "" when it can. today is the office's day.
func (c Check) Problem(today time.Time) string {
	on := warehouse.DateOnly(c.On)
	switch {
	case !slices.Contains(c.Results, c.Result):
		return fmt.Sprintf("核查结果应为 %s，不是“%s”", strings.Join(c.Results, "、"), c.Result)
	case c.On.IsZero():
		return "没有填写核查日期"
	case on.After(today):
		return fmt.Sprintf("核查日期 %s 晚于今天", on.Format(time.DateOnly))
	case on.Before(warehouse.DateOnly(c.First)):
		return fmt.Sprintf("核查日期 %s 早于%s %s", on.Format(time.DateOnly), c.Since, c.First.Format(time.DateOnly))
	case c.Result != c.Cleared && c.Note == "":
		return "核查结论需要写明依据"
	case len([]rune(c.Note)) > 2000:
		return "说明最多 2000 字"
	}
	return ""
}
