package campaign

import "testing"

func TestWeekName(t *testing.T) {
	for in, want := range map[string]string{"2023-W17": "2023年第17周（4月24日–4月30日）", "2023-W01": "2023年第1周（1月2日–1月8日）",
		"2021-W01": "2021年第1周（1月4日–1月10日）", "2020-W53": "2020年第53周（12月28日–1月3日）", "第3周": "第3周"} {
		if got := WeekName(in); got != want {
			t.Errorf("%s: %s, want %s", in, got, want)
		}
	}
}
