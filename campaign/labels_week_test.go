package campaign

import "testing"

func TestWeekName(t *testing.T) {
	for in, want := range map[string]string{"2023-W17": "2023年4月24日至30日", "2023-W01": "2023年1月2日至8日",
		"2021-W01": "2021年1月4日至10日", "2020-W53": "2020年12月28日至2021年1月3日", "2023-W22": "2023年5月29日至6月4日",
		"第3周": "第3周", "2023-W54": "2023-W54"} {
		if got := WeekName(in); got != want {
			t.Errorf("%s: %s, want %s", in, got, want)
		}
	}
}
