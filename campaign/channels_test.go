package campaign

import (
	"strings"
	"testing"
)

// TestChannelsConfig: the default's [explosives] and [video] are read; a configuration without them
// takes the defaults; a bad ceiling kind or value, an unknown police unit, an hour out of range, an
// empty night and a negative distance or window are refused with their keys.
func TestChannelsConfig(t *testing.T) {
	c := Default()
	if c.Explosives.Police() != "公安" || c.Explosives.CeilingOf("雷管") != 1000 || c.Explosives.Near() != 500 || c.Video.ClosedMine() != 300 {
		t.Errorf("default: %+v %+v", c.Explosives, c.Video)
	}
	def := string(DefaultTOML())
	start, end := strings.Index(def, "[explosives]"), strings.Index(def, "[prices]")
	old, err := Parse("old.toml", []byte(def[:start]+def[end:]))
	if err != nil {
		t.Fatalf("without the sections: %v", err)
	}
	if s, e := old.Video.Night(); s != 22 || e != 6 || old.Explosives.Days() != 3 || old.Explosives.CeilingOf("炸药") != 500 {
		t.Errorf("defaults: %+v %+v", old.Explosives, old.Video)
	}
	bad := def[:start] + `[explosives]
near_m = -1.0
police_unit = "国安"
ceiling = { "硝铵" = 10.0, "雷管" = 0.0 }

[video]
night_start_hour = 24
night_end_hour = 6
closed_mine_m = -5.0
repeat_days = -1

` + def[end:]
	_, err = Parse("bad.toml", []byte(bad))
	for _, want := range []string{"explosives.near_m：-1 不能为负数", `explosives.police_unit："国安" 不是配置中成员单位的简称`,
		`"硝铵" 不是民爆物品品种`, "雷管：0 应大于 0", "video.night_start_hour：24 超出范围",
		"video.closed_mine_m：-5 不能为负数", "video.repeat_days：-1 不能为负数"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("bad config: %v lacks %q", err, want)
		}
	}
	empty := strings.Replace(def, "night_end_hour = 6\nclosed_mine_m", "night_end_hour = 22\nclosed_mine_m", 1)
	if _, err := Parse("empty.toml", []byte(empty)); err == nil || !strings.Contains(err.Error(), "video.night_end_hour：夜间时段无效") {
		t.Errorf("an empty night: %v", err)
	}
}
