package campaign

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestDefault(t *testing.T) {
	c := Default()
	if c.County.Name != "沁源县" || c.Campaign.Year != 2023 {
		t.Fatalf("county %q year %d", c.County.Name, c.Campaign.Year)
	}
	if len(c.Townships) != 12 {
		t.Fatalf("townships: got %d, want 12", len(c.Townships))
	}
	villages := 0
	for _, tw := range c.Townships {
		villages += len(tw.Villages)
	}
	if villages < 240 {
		t.Errorf("villages: got %d, want about 250", villages)
	}
	if len(c.Categories) != 10 {
		t.Errorf("categories: got %d, want 10", len(c.Categories))
	}
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }
	for _, tc := range []struct {
		name string
		got  time.Time
		want string
	}{
		{"detection deadline", c.DetectionDeadline(), "2023-03-14"},
		{"rectification end", c.RectificationEnd(), "2023-04-15"},
		{"village lists due", c.VillageListDue(), "2023-03-07"},
		{"data from", c.DataFrom(), "2023-02-20"},
		{"patrol from", c.PatrolFrom(), "2023-03-01"},
	} {
		if !tc.got.Equal(day(tc.want)) {
			t.Errorf("%s: got %s, want %s", tc.name, tc.got.Format("2006-01-02"), tc.want)
		}
	}
	if p, ok := c.PhaseOn(day("2023-03-10")); !ok || p.Code != PhaseReview {
		t.Errorf("phase on 03-10: %v %v", p.Code, ok)
	}
	if _, ok := c.PhaseOn(day("2023-02-23")); ok {
		t.Error("02-23 is before the campaign")
	}
	// the 常态化 period of 2024
	if p, ok := c.PhaseOn(day("2024-02-20")); !ok || p.Code != PeriodCode || p.Name != "2024年第一季度常态化排查整治" {
		t.Errorf("phase on 2024-02-20: %+v %v", p, ok)
	}
	if got := c.End().Format("2006-01-02"); got != "2024-03-31" {
		t.Errorf("end %s, want the end of the last period 2024-03-31", got)
	}
	for d, want := range map[string]bool{"2022-12-31": false, "2023-01-01": true, "2023-12-31": true, "2024-03-31": true, "2024-04-01": false, "1999-03-05": false} {
		if got := c.Covers(day(d)); got != want {
			t.Errorf("covers %s: %v, want %v", d, got, want)
		}
	}
	if got := c.DataSpansText(); got != "2023-01-01至2024-03-31" {
		t.Errorf("spans %q", got)
	}
}

// TestPeriodGap: a period that does not adjoin the look-back leaves a gap data may not be dated in.
func TestPeriodGap(t *testing.T) {
	c, err := Parse("other.toml", replace(t, "start = 2024-01-01\nend = 2024-03-31\ndetection_deadline = 2024-03-15\nrectification_deadline = 2024-03-31",
		"start = 2024-04-01\nend = 2024-06-30\ndetection_deadline = 2024-06-15\nrectification_deadline = 2024-06-30"))
	if err != nil {
		t.Fatal(err)
	}
	if got := c.DataSpansText(); got != "2023-01-01至2023-12-31、2024-04-01至2024-06-30" {
		t.Errorf("spans %q", got)
	}
	if c.Covers(time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)) {
		t.Error("2024-02-01 lies between the look-back and the period")
	}
}

func TestWorkdays(t *testing.T) {
	c := Default()
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }
	for _, tc := range []struct{ from, want string }{
		{"2023-03-09", "2023-03-13"}, // Thursday + 2 working days crosses the weekend
		{"2023-03-10", "2023-03-14"}, // Friday
		{"2023-03-11", "2023-03-14"}, // Saturday: Monday is the first working day
		{"2023-04-04", "2023-04-07"}, // 04-05 清明 is a holiday
		{"2023-04-21", "2023-04-24"}, // Sunday 04-23 is a make-up working day
		{"2024-02-08", "2024-02-18"}, // Thursday before 春节 2024: 02-09 Friday, then 02-12…16 holidays, Sunday 02-18 make-up
		{"2024-03-14", "2024-03-18"}, // the 2024-Q1 period's detection deadline week: an ordinary weekend
		{"2023-04-27", "2023-05-04"}, // 04-29..05-03 off (05-01..03 holidays, weekend)
	} {
		if got := c.AddWorkdays(day(tc.from), 2); !got.Equal(day(tc.want)) {
			t.Errorf("%s + 2 working days: got %s, want %s", tc.from, got.Format("2006-01-02"), tc.want)
		}
	}
	if c.IsWorkday(day("2023-04-05")) || !c.IsWorkday(day("2023-04-23")) || c.IsWorkday(day("2023-03-11")) {
		t.Error("calendar: 04-05 holiday, 04-23 make-up workday, 03-11 Saturday")
	}
}

// replace swaps one exact snippet of the default configuration, failing if it is absent.
func replace(t *testing.T, old, new string) []byte {
	t.Helper()
	s := string(DefaultTOML())
	if !strings.Contains(s, old) {
		t.Fatalf("default config has no %q", old)
	}
	return []byte(strings.Replace(s, old, new, 1))
}

func lineOf(t *testing.T, data []byte, snippet string) int {
	t.Helper()
	i := strings.Index(string(data), snippet)
	if i < 0 {
		t.Fatalf("no %q", snippet)
	}
	return strings.Count(string(data[:i]), "\n") + 1
}

func TestRefusals(t *testing.T) {
	for _, tc := range []struct {
		name     string
		old, new string
		key      string
		msg      string
	}{
		{"unknown key", "night_ratio = 1.5", "night_ratio = 1.5\nnight_ration = 2", "power.night_ration", "未知配置项"},
		{"unknown table key", "[county]\n", "[county]\ncolour = \"red\"\n", "county.colour", "未知配置项"},
		{"overlapping phases", "start = 2023-03-08", "start = 2023-03-06", "phase[2].start", "不晚于阶段 selfcheck 的结束日期"},
		{"phase ends before start", "end = 2023-03-24", "end = 2023-03-14", "phase[3].end", "早于开始日期"},
		{"township without villages", "kind = \"乡\"\ncenter = [112.280, 36.360]\nvillages = [\n", "kind = \"乡\"\ncenter = [112.280, 36.360]\nvillages = []\nx_villages = [\n", "", ""},
		{"threshold out of range", "red_missed_rate = 0.3", "red_missed_rate = 1.3", "accountability.red_missed_rate", "超出范围"},
		{"negative radius", "match_radius_m = 300.0", "match_radius_m = -1.0", "accountability.match_radius_m", "必须大于 0"},
		{"hour out of range", "night_start_hour = 22", "night_start_hour = 24", "power.night_start_hour", "超出范围"},
		{"min days over window", "night_min_days = 3", "night_min_days = 9", "power.night_min_days", "超出窗口天数"},
		{"unknown category in band", "categories = [\"L1\", \"L2\", \"L3\", \"L4\"]\nseverity = \"一般\"", "categories = [\"L1\", \"L9\"]\nseverity = \"一般\"", "rewards.band[4].categories", "未知类别"},
		{"bad weekday", "briefing_weekday = \"Monday\"", "briefing_weekday = \"Montag\"", "reports.briefing_weekday", "不是星期名称"},
		{"kwh ceiling out of range", "max_kwh_per_interval = 100000.0", "max_kwh_per_interval = -5.0", "power.max_kwh_per_interval", "超出范围"},
		{"reading interval not dividing a day", "interval_minutes = 60", "interval_minutes = 7", "power.interval_minutes", "须能整除一天"},
		{"megapixels out of range", "max_megapixels = 50", "max_megapixels = 5000", "portal.max_megapixels", "超出范围"},
		{"power type in two categories", "power_types = [\"关闭矿井\"]", "power_types = [\"关闭矿井\", \"居民\"]", "category[3].power_types", "已列在 M3 下"},
		{"unknown default category", "default_category = \"M1\"", "default_category = \"M9\"", "power.default_category", "不是配置中的类别"},
		{"silent days out of range", "silent_days = 3", "silent_days = 0", "power.silent_days", ""},
		{"duplicate village", "\"沁河村\", \"白堡村\"", "\"沁河村\", \"沁河村\"", "township[0].villages", "重复"},
		{"period overlaps the look-back", "start = 2024-01-01\nend = 2024-03-31", "start = 2023-12-01\nend = 2024-03-31", "period[0].start", "不晚于阶段 lookback的结束日期"},
		{"period ends before start", "end = 2024-03-31\ndetection_deadline", "end = 2023-12-31\ndetection_deadline", "period[0].end", "早于开始日期"},
		{"detection deadline outside period", "detection_deadline = 2024-03-15", "detection_deadline = 2024-04-15", "period[0].detection_deadline", "不在本周期"},
		{"rectification before detection", "rectification_deadline = 2024-03-31", "rectification_deadline = 2024-03-01", "period[0].rectification_deadline", "早于排查期限"},
		{"periods out of order", "rectification_deadline = 2024-03-31\n", "rectification_deadline = 2024-03-31\n\n[[period]]\nname = \"第二轮\"\nstart = 2024-03-01\nend = 2024-06-30\ndetection_deadline = 2024-06-15\nrectification_deadline = 2024-06-30\n", "period[1].start", "不晚于周期"},
		{"customer type shadows a built-in one", "name = \"危化企业\"", "name = \"煤矿\"", "power.customer_type[1].name", "或与内置类别同名"},
		{"customer type without a ratio", "name = \"非煤矿山\"\nnight_ratio = 1.2", "name = \"非煤矿山\"\nnight_ratio = 0.0", "power.customer_type[0].night_ratio", "必须大于 0"},
		{"reward budget below one capped reward", "budget_yuan = 2000000", "budget_yuan = 400000", "rewards.budget_yuan", "应不低于单笔封顶金额"},
		{"negative reward budget", "budget_yuan = 2000000", "budget_yuan = -1", "rewards.budget_yuan", "应不低于单笔封顶金额"},
		{"unnamed period", "name = \"2024年第一季度常态化排查整治\"", "name = \"\"", "period[0].name", "不能为空"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := replace(t, tc.old, tc.new)
			if tc.name == "township without villages" {
				// drop the old village list that followed, leaving a township with an empty one
				s := string(data)
				i := strings.Index(s, "x_villages = [\n")
				j := strings.Index(s[i:], "]\n")
				data = []byte(s[:i] + s[i+j+2:])
				tc.key, tc.msg = "township[6].villages", "没有行政村"
			}
			_, err := Parse("other.toml", data)
			if err == nil {
				t.Fatal("accepted")
			}
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("error %v is not a *campaign.Error", err)
			}
			found := false
			for _, e := range unwrapAll(err) {
				if e.Key == tc.key && strings.Contains(e.Msg, tc.msg) {
					found = true
					if e.Line == 0 {
						t.Errorf("%s: no line", e.Key)
					}
					if !strings.Contains(e.Error(), "other.toml 第") {
						t.Errorf("message %q does not name file and line", e.Error())
					}
				}
			}
			if !found {
				t.Fatalf("no refusal of %s containing %q in:\n%v", tc.key, tc.msg, err)
			}
		})
	}
}

func TestRefusalLines(t *testing.T) {
	data := replace(t, "red_missed_rate = 0.3", "red_missed_rate = 7")
	_, err := Parse("x.toml", data)
	errs := unwrapAll(err)
	if len(errs) != 1 {
		t.Fatalf("want one error, got %v", err)
	}
	if want := lineOf(t, data, "red_missed_rate = 7"); errs[0].Line != want {
		t.Errorf("line: got %d, want %d", errs[0].Line, want)
	}
	data = replace(t, "night_ratio = 1.5", "night_ratio = 1.5\nnight_ration = 2")
	_, err = Parse("x.toml", data)
	errs = unwrapAll(err)
	if len(errs) != 1 || errs[0].Line != lineOf(t, data, "night_ration") {
		t.Errorf("unknown key line: %v", err)
	}
}

func TestSyntaxError(t *testing.T) {
	_, err := Parse("x.toml", []byte("[county\nname = 1"))
	if err == nil || !strings.Contains(err.Error(), "第1行") {
		t.Fatalf("syntax error should name line 1: %v", err)
	}
}

func unwrapAll(err error) []*Error {
	var out []*Error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range j.Unwrap() {
			out = append(out, unwrapAll(e)...)
		}
		return out
	}
	var ce *Error
	if errors.As(err, &ce) {
		out = append(out, ce)
	}
	return out
}

func TestLabels(t *testing.T) {
	for _, c := range [][3]string{{"level", "red", "红"}, {"detection_status", "missed", "应排漏排"}, {"rule", "surge", "用电量激增"},
		{"kind", "violation", "违法点位"}, {"bool", "true", "是"}, {"level", "沁河镇", "沁河镇"}} {
		if got := Label(c[0], c[1]); got != c[2] {
			t.Errorf("Label(%s, %s) = %s, want %s", c[0], c[1], got, c[2])
		}
	}
	for _, col := range LabelColumns() {
		if len(LabelCodes(col)) == 0 {
			t.Errorf("column %s has no labels", col)
		}
	}
}

// The leading group's units come from the configuration; the department scopes the portal already
// uses are their short names.
func TestUnits(t *testing.T) {
	c := Default()
	for _, short := range []string{"公安", "市监", "应急", "能源", "生态环境", "交通", "公路段", "供电公司", "农业农村", "发改", "自然资源", "纪检监察"} {
		u, ok := c.Unit(short)
		if !ok || u.Duty == "" {
			t.Errorf("unit %q: %+v %v", short, u, ok)
		}
	}
	if u, ok := c.Unit("县公安局"); !ok || u.ShortName != "公安" {
		t.Errorf("by full name: %+v %v", u, ok)
	}
	if _, ok := c.Unit("气象局"); ok {
		t.Error("unknown unit found")
	}
	text := string(DefaultTOML()) + "\n[[unit]]\nname = \"县公安局\"\nshort_name = \"市监\"\nduty = \"\"\n"
	_, err := Parse("dup.toml", []byte(text))
	if err == nil || !strings.Contains(err.Error(), `成员单位 "县公安局" 重复`) || !strings.Contains(err.Error(), `成员单位简称 "市监" 重复`) {
		t.Fatalf("duplicate unit: %v", err)
	}
	// a configuration without units keeps the default's
	old := strings.Split(string(DefaultTOML()), "[[unit]]")[0] + "\n[[township]]" + strings.SplitN(string(DefaultTOML()), "[[township]]", 2)[1]
	c2, err := Parse("old.toml", []byte(old))
	if err != nil || len(c2.Units) != len(c.Units) {
		t.Fatalf("old config: %v, %d units", err, len(c2.Units))
	}
}

// TestPowerFor: a configured customer type's thresholds replace the [power] ones for its meters;
// other types keep them.
func TestPowerFor(t *testing.T) {
	p := Default().Power
	q := p.For("非煤矿山")
	if q.NightRatio != 1.2 || q.NightMinKWh != 200 || q.SurgeRatio != 2 || q.SurgeMinIncreaseKWh != 500 || q.NightWindowDays != p.NightWindowDays {
		t.Errorf("非煤矿山: %+v", q)
	}
	if r := p.For("小工厂"); r.NightRatio != 1.5 || r.NightMinKWh != 20 || r.SurgeRatio != 3 || r.SurgeMinIncreaseKWh != 50 {
		t.Errorf("小工厂: %+v", r)
	}
}
