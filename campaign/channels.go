package campaign

import "fmt"

// The two clue channels besides the six of the forms, patches, power, tips, cases and clues: the
// police's register of civil explosives flows (民爆流向, [explosives]) and the cameras at closed mines
// and hot spots (视频监控, [video]). Each key left out takes the default named beside it, so a
// configuration written before these sections existed keeps working.

// Explosives are the parameters of the explosives-flow rules (queries/marts/mart_explosives_flows.sql).
type Explosives struct {
	// NearM: a flow used within this many metres of a closed mine (a meter of type 关闭矿井) or of an
	// open violation is a clue (0: DefaultExplosivesNearM).
	NearM float64 `toml:"near_m"`
	// CheckDays: 公安's field check of a flow clue is due this many days after the flow became known
	// (0: DefaultChannelCheckDays).
	CheckDays int `toml:"check_days"`
	// PoliceUnit is the [[unit]] short name whose department accounts check the flows ("": 公安).
	PoliceUnit string `toml:"police_unit"`
	// Ceiling is the most of each kind (炸药 千克, 雷管 发, 导爆索 米) one site (作业地点) may use in one
	// week (Monday to Sunday), net of returns; a kind left out takes DefaultExplosivesCeiling's.
	Ceiling map[string]float64 `toml:"ceiling"`
}

// Video are the parameters of the video-event rules (queries/marts/mart_video_events.sql).
type Video struct {
	// NightStartHour … NightEndHour (the next morning) is night for a camera event; both 0: 22 … 6.
	NightStartHour int `toml:"night_start_hour"`
	NightEndHour   int `toml:"night_end_hour"`
	// ClosedMineM: an event within this many metres of a closed mine is a clue (0: DefaultVideoClosedMineM).
	ClosedMineM float64 `toml:"closed_mine_m"`
	// RepeatDays and RepeatCount: an event is repeated when its camera saw at least RepeatCount
	// events (it included) within RepeatDays days ending at it (0: DefaultVideoRepeatDays,
	// DefaultVideoRepeatCount).
	RepeatDays  int `toml:"repeat_days"`
	RepeatCount int `toml:"repeat_count"`
	// CheckDays: the township's field check is due this many days after the event (0: DefaultChannelCheckDays).
	CheckDays int `toml:"check_days"`
}

// Defaults of [explosives] and [video].
const (
	DefaultExplosivesNearM  = 500.0
	DefaultChannelCheckDays = 3
	DefaultPoliceUnit       = "公安"
	DefaultVideoClosedMineM = 300.0
	DefaultVideoRepeatDays  = 7
	DefaultVideoRepeatCount = 3
)

// ExplosiveKinds are the kinds of civil explosives a flow may carry (品种), with the unit of each.
var ExplosiveKinds = []struct{ Name, Unit string }{{"炸药", "千克"}, {"雷管", "发"}, {"导爆索", "米"}}

// DefaultExplosivesCeiling is the weekly ceiling per site of each kind when the configuration gives none.
var DefaultExplosivesCeiling = map[string]float64{"炸药": 500, "雷管": 1000, "导爆索": 1000}

// Near is NearM or its default.
func (e Explosives) Near() float64 {
	if e.NearM > 0 {
		return e.NearM
	}
	return DefaultExplosivesNearM
}

// Days is CheckDays or its default.
func (e Explosives) Days() int {
	if e.CheckDays > 0 {
		return e.CheckDays
	}
	return DefaultChannelCheckDays
}

// Police is the police unit's short name.
func (e Explosives) Police() string {
	if e.PoliceUnit != "" {
		return e.PoliceUnit
	}
	return DefaultPoliceUnit
}

// CeilingOf is the weekly ceiling per site of a kind.
func (e Explosives) CeilingOf(kind string) float64 {
	if v, ok := e.Ceiling[kind]; ok && v > 0 {
		return v
	}
	return DefaultExplosivesCeiling[kind]
}

// Night returns the night's hours (start, end), the defaults when both are 0.
func (v Video) Night() (start, end int) {
	if v.NightStartHour == 0 && v.NightEndHour == 0 {
		return 22, 6
	}
	return v.NightStartHour, v.NightEndHour
}

// ClosedMine is ClosedMineM or its default.
func (v Video) ClosedMine() float64 {
	if v.ClosedMineM > 0 {
		return v.ClosedMineM
	}
	return DefaultVideoClosedMineM
}

// Repeat returns the repeat window in days and the count of events within it.
func (v Video) Repeat() (days, count int) {
	days, count = v.RepeatDays, v.RepeatCount
	if days <= 0 {
		days = DefaultVideoRepeatDays
	}
	if count <= 0 {
		count = DefaultVideoRepeatCount
	}
	return days, count
}

// Days is CheckDays or its default.
func (v Video) Days() int {
	if v.CheckDays > 0 {
		return v.CheckDays
	}
	return DefaultChannelCheckDays
}

// checkChannels checks [explosives] and [video].
func (c *Config) checkChannels(k *checker) {
	e, v := c.Explosives, c.Video
	if e.NearM < 0 {
		k.bad("explosives.near_m", "%g 不能为负数", e.NearM)
	}
	if e.CheckDays < 0 {
		k.bad("explosives.check_days", "%d 不能为负数", e.CheckDays)
	}
	if e.PoliceUnit != "" {
		if _, ok := c.Unit(e.PoliceUnit); !ok {
			k.bad("explosives.police_unit", "%q 不是配置中成员单位的简称", e.PoliceUnit)
		}
	}
	for kind, x := range e.Ceiling {
		known := false
		for _, ek := range ExplosiveKinds {
			known = known || ek.Name == kind
		}
		switch {
		case !known:
			k.bad("explosives.ceiling", "%q 不是民爆物品品种：应为 炸药、雷管 或 导爆索", kind)
		case x <= 0:
			k.bad("explosives.ceiling", "%s：%g 应大于 0", kind, x)
		}
	}
	for _, h := range []struct {
		key string
		v   int
	}{{"video.night_start_hour", v.NightStartHour}, {"video.night_end_hour", v.NightEndHour}} {
		if h.v < 0 || h.v > 23 {
			k.bad(h.key, "%d 超出范围（应为 0–23）", h.v)
		}
	}
	if v.NightStartHour == v.NightEndHour && v.NightStartHour != 0 {
		k.bad("video.night_end_hour", "夜间时段无效：不能为空，也不能是整天")
	}
	if v.ClosedMineM < 0 {
		k.bad("video.closed_mine_m", "%g 不能为负数", v.ClosedMineM)
	}
	for key, x := range map[string]int{"video.repeat_days": v.RepeatDays, "video.repeat_count": v.RepeatCount, "video.check_days": v.CheckDays} {
		if x < 0 {
			k.bad(key, "%s 不能为负数", fmt.Sprint(x))
		}
	}
}
