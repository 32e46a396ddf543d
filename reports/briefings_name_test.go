package reports

import (
	"testing"
	"time"
)

func TestBriefingNamesHaveNoISOWeek(t *testing.T) {
	if got := BriefingName(time.Date(2023, 4, 16, 0, 0, 0, 0, time.UTC)); got != "briefing-20230416.pdf" {
		t.Errorf("BriefingName: %s", got)
	}
	for in, want := range map[string]string{"briefing-20230416.pdf": "工作周报-20230410至0416.pdf",
		"briefing-2023-W15-20230416.pdf": "工作周报-20230410至0416.pdf", "briefing-20231231.pdf": "工作周报-20231225至1231.pdf",
		"briefing-20240103.pdf": "工作周报-20240101至0107.pdf", "briefing-20230101.pdf": "工作周报-20221226至20230101.pdf",
		"其他.pdf": "其他.pdf", "briefing-2023041x.pdf": "briefing-2023041x.pdf"} {
		if got := DownloadName(in); got != want {
			t.Errorf("DownloadName(%s) = %s, want %s", in, got, want)
		}
	}
}
