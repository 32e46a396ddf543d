package tipstore

import "testing"

// TestStepsSkipFiling: a tip rewarded without a case never shows 已立案 as done; one filed does.
func TestStepsSkipFiling(t *testing.T) {
	for _, c := range []struct {
		status string
		filed  bool
		third  Step
	}{
		{StatusRewarded, false, Step{Name: "未立案", Skipped: true}},
		{StatusPaid, false, Step{Name: "未立案", Skipped: true}},
		{StatusRewarded, true, Step{Name: StatusFiled, Done: true}},
		{StatusFiled, true, Step{Name: StatusFiled, Done: true, Now: true}},
		{StatusTrue, false, Step{Name: StatusFiled}},
	} {
		got := steps(c.status, c.filed)
		if len(got) != 6 || got[3] != c.third {
			t.Errorf("%s filed=%v: step 4 is %+v, want %+v", c.status, c.filed, got[3], c.third)
		}
	}
	if got := steps(StatusFalse, false); len(got) != 3 || got[2].Name != StatusFalse || !got[2].Now {
		t.Errorf("不属实 ends the line: %+v", got)
	}
}
