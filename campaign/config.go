// Package campaign holds the campaign configuration: the county, its townships and villages, the
// timetable, the violation categories, thresholds, the working-day calendar and the reward bands.
// The embedded default is the Qinyuan County 2023 campaign; another county or campaign runs the same
// binary with its own TOML file.
package campaign

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	_ "time/tzdata" // offline machines may lack the zone database

	"github.com/pelletier/go-toml/v2"
)

//go:embed default.toml
var defaultTOML []byte

// DefaultTOML returns the text of the embedded default configuration.
func DefaultTOML() []byte { return bytes.Clone(defaultTOML) }

// Phase codes, in timetable order. Every configuration has all of them.
const (
	PhasePublicity      = "publicity"
	PhaseSelfCheck      = "selfcheck"
	PhaseReview         = "review"
	PhaseVerification   = "verification"
	PhaseRectification  = "rectification"
	PhaseAccountability = "accountability"
	PhaseLookback       = "lookback"
)

// PhaseCodes lists the phase codes in timetable order.
var PhaseCodes = []string{PhasePublicity, PhaseSelfCheck, PhaseReview, PhaseVerification,
	PhaseRectification, PhaseAccountability, PhaseLookback}

// Config is one campaign. Dates are calendar dates (no time zone); use Day to get a time.Time.
type Config struct {
	County         County         `toml:"county"`
	Campaign       Campaign       `toml:"campaign"`
	Phases         []Phase        `toml:"phase"`
	Periods        []Period       `toml:"period"`
	Categories     []Category     `toml:"category"`
	Accountability Accountability `toml:"accountability"`
	Power          Power          `toml:"power"`
	Explosives     Explosives     `toml:"explosives"`
	Video          Video          `toml:"video"`
	Prices         Prices         `toml:"prices"`
	Calendar       Calendar       `toml:"calendar"`
	Rewards        Rewards        `toml:"rewards"`
	Portal         Portal         `toml:"portal"`
	Reports        Reports        `toml:"reports"`
	Models         Models         `toml:"models"`
	Townships      []Township     `toml:"township"`
	Units          []Unit         `toml:"unit"`
	Stages         []Stage        `toml:"stage"`
	Actions        Actions        `toml:"actions"`
	Acceptance     Acceptance     `toml:"acceptance"`

	// Source names where the configuration came from ("embedded default" or a file path).
	Source string `toml:"-"`
	// Dir is the directory of the configuration file ("" for the embedded default): relative
	// paths in it (county.boundaries) are relative to Dir.
	Dir string `toml:"-"`
	// Text is the TOML text it was parsed from.
	Text []byte `toml:"-"`

	holidays map[toml.LocalDate]bool
	workdays map[toml.LocalDate]bool
}

type County struct {
	Name       string `toml:"name"`
	City       string `toml:"city"`
	Province   string `toml:"province"`
	Timezone   string `toml:"timezone"`
	BBox       BBox   `toml:"bbox"`
	Boundaries string `toml:"boundaries"`
}

// BBox is a WGS84 bounding box.
type BBox struct {
	MinLon float64 `toml:"min_lon"`
	MinLat float64 `toml:"min_lat"`
	MaxLon float64 `toml:"max_lon"`
	MaxLat float64 `toml:"max_lat"`
}

// Contains reports whether the point lies in the box (edges included).
func (b BBox) Contains(lon, lat float64) bool {
	return lon >= b.MinLon && lon <= b.MaxLon && lat >= b.MinLat && lat <= b.MaxLat
}

type Campaign struct {
	Name           string         `toml:"name"`
	ShortName      string         `toml:"short_name"`
	Year           int            `toml:"year"`
	DataFrom       toml.LocalDate `toml:"data_from"`
	PatrolsPerWeek int            `toml:"patrols_per_week"`
}

type Phase struct {
	Code  string         `toml:"code"`
	Name  string         `toml:"name"`
	Start toml.LocalDate `toml:"start"`
	End   toml.LocalDate `toml:"end"`
}

// Period is a round of the regular work after the look-back (常态化, e.g. a quarter): its own
// detection and rectification deadlines. Periods follow the look-back and each other without
// overlapping; data dated in a period is accepted like data of the timetable.
type Period struct {
	Name                  string         `toml:"name"`
	Start                 toml.LocalDate `toml:"start"`
	End                   toml.LocalDate `toml:"end"`
	DetectionDeadline     toml.LocalDate `toml:"detection_deadline"`
	RectificationDeadline toml.LocalDate `toml:"rectification_deadline"`
}

type Category struct {
	Code     string   `toml:"code"`
	Name     string   `toml:"name"`
	Plain    string   `toml:"plain"`
	Keywords []string `toml:"keywords"`
	// PowerTypes are the meter customer types (用电类别) whose illegal-mining power alerts are of this
	// category; a type no category lists takes Power.DefaultCategory.
	PowerTypes []string `toml:"power_types"`
	// CaseUnit files and punishes a violation of this category (立案, 处罚决定, 移送公安; a [[unit]]
	// name or short name; empty: the unit of the stage 立案). Ban: the category calls for 取缔/查封
	// (the stage banned). CriminalYuan: a violation goes to 公安 once a price determination of its
	// case values it at this many yuan or more (0: never by value).
	CaseUnit     string  `toml:"case_unit"`
	Ban          bool    `toml:"ban"`
	CriminalYuan float64 `toml:"criminal_yuan"`
}

// Group is "M" for illegal mining and "L" for illegal land occupation.
func (c Category) Group() string { return c.Code[:1] }

type Accountability struct {
	MatchRadiusM           float64 `toml:"match_radius_m"`
	LateItemDays           int     `toml:"late_item_days"`
	RedMissedRate          float64 `toml:"red_missed_rate"`
	RedNewAfter            int     `toml:"red_new_after"`
	RedRectificationRate   float64 `toml:"red_rectification_rate"`
	YellowPatrolCompliance float64 `toml:"yellow_patrol_compliance"`
}

type Power struct {
	NightStartHour      int     `toml:"night_start_hour"`
	NightEndHour        int     `toml:"night_end_hour"`
	NightRatio          float64 `toml:"night_ratio"`
	NightMinKWh         float64 `toml:"night_min_kwh"`
	NightMinDays        int     `toml:"night_min_days"`
	NightWindowDays     int     `toml:"night_window_days"`
	SurgeRatio          float64 `toml:"surge_ratio"`
	SurgeWindowDays     int     `toml:"surge_window_days"`
	SurgeBaselineDays   int     `toml:"surge_baseline_days"`
	SurgeMinIncreaseKWh float64 `toml:"surge_min_increase_kwh"`
	ClosedMineMinKWh    float64 `toml:"closed_mine_min_kwh"`
	SilentDays          int     `toml:"silent_days"`
	// DefaultCategory is the category of an illegal-mining power alert at a meter of a customer type
	// no category lists in power_types.
	DefaultCategory string `toml:"default_category"`
	// MaxKWhPerInterval is the most a meter can plausibly use in one reading interval; a reading
	// above it is refused at load. 0: DefaultMaxKWhPerInterval.
	MaxKWhPerInterval float64 `toml:"max_kwh_per_interval"`
	// IntervalMinutes is the length of one reading's interval: a reading's time must be an
	// interval's start (a multiple of it since midnight), so that two readings of one meter in one
	// interval are the same reading. It divides a day. 0: DefaultIntervalMinutes.
	IntervalMinutes int `toml:"interval_minutes"`
	// TruncateToInterval moves a reading whose time is not an interval's start to the start of its
	// interval instead of refusing the file.
	TruncateToInterval bool `toml:"truncate_to_interval"`
	// CheckDays is the deadline of an alert's field check, in days after its last day (0: DefaultPowerCheckDays).
	CheckDays int `toml:"check_days"`
	// CompanyUnit is the [[unit]] short name of the power company, whose department accounts work
	// the alerts and confirm cut-offs ("": DefaultPowerCompanyUnit).
	CompanyUnit string `toml:"company_unit"`
	// CustomerTypes are the meter customer types (用电类别) the configuration adds to the built-in
	// ones, each with its own thresholds of the night-over-day and surge rules.
	CustomerTypes []CustomerType `toml:"customer_type"`
}

// CustomerType is a meter customer type (用电类别) with the thresholds the power rules apply to its
// meters (the rules' hours and windows are the [power] ones). Built-in types take the [power]
// thresholds.
type CustomerType struct {
	Name                string  `toml:"name"`
	NightRatio          float64 `toml:"night_ratio"`
	NightMinKWh         float64 `toml:"night_min_kwh"`
	SurgeRatio          float64 `toml:"surge_ratio"`
	SurgeMinIncreaseKWh float64 `toml:"surge_min_increase_kwh"`
	Builtin             bool    `toml:"-"`
}

// For returns the power rules' parameters for a meter of the customer type: the type's own
// thresholds when the configuration lists it, else p unchanged.
func (p Power) For(customerType string) Power {
	for _, t := range p.CustomerTypes {
		if t.Name == customerType {
			p.NightRatio, p.NightMinKWh, p.SurgeRatio, p.SurgeMinIncreaseKWh = t.NightRatio, t.NightMinKWh, t.SurgeRatio, t.SurgeMinIncreaseKWh
			return p
		}
	}
	return p
}

// BuiltinCustomerTypes are the 用电类别 of the meter registry every configuration has (README
// "Input formats").
func BuiltinCustomerTypes() []string {
	return []string{"居民", "小工厂", "养殖场", "洗煤厂", "焦化厂", "煤矿", "关闭矿井", "其他"}
}

// CustomerTypes lists every customer type a meter may have: the built-in ones with the [power]
// thresholds, then the configured ones with theirs.
func (c *Config) CustomerTypes() []CustomerType {
	p := c.Power
	builtin := BuiltinCustomerTypes()
	out := make([]CustomerType, 0, len(builtin)+len(p.CustomerTypes))
	for _, n := range builtin {
		out = append(out, CustomerType{Name: n, NightRatio: p.NightRatio, NightMinKWh: p.NightMinKWh, SurgeRatio: p.SurgeRatio,
			SurgeMinIncreaseKWh: p.SurgeMinIncreaseKWh, Builtin: true})
	}
	return append(out, p.CustomerTypes...)
}

// CustomerTypeNames are the names of CustomerTypes, in order.
func (c *Config) CustomerTypeNames() []string {
	var out []string
	for _, t := range c.CustomerTypes() {
		out = append(out, t.Name)
	}
	return out
}

// DefaultMaxKWhPerInterval is power.max_kwh_per_interval when the configuration leaves it out.
const DefaultMaxKWhPerInterval = 100000

// DefaultIntervalMinutes is power.interval_minutes when the configuration leaves it out: hourly
// readings.
const DefaultIntervalMinutes = 60

// Interval is the length of one reading's interval.
func (p Power) Interval() time.Duration {
	if p.IntervalMinutes > 0 {
		return time.Duration(p.IntervalMinutes) * time.Minute
	}
	return DefaultIntervalMinutes * time.Minute
}

// IntervalText names the interval for messages: 60分钟.
func (p Power) IntervalText() string {
	return fmt.Sprintf("%d分钟", int(p.Interval()/time.Minute))
}

// KWhCeiling is the plausibility ceiling of one reading.
func (p Power) KWhCeiling() float64 {
	if p.MaxKWhPerInterval > 0 {
		return p.MaxKWhPerInterval
	}
	return DefaultMaxKWhPerInterval
}

type Prices struct {
	DueWorkdays int `toml:"due_workdays"`
}

type Calendar struct {
	Holidays []toml.LocalDate `toml:"holidays"`
	Workdays []toml.LocalDate `toml:"workdays"`
}

type Rewards struct {
	MinYuan          float64 `toml:"min_yuan"`
	MaxYuan          float64 `toml:"max_yuan"`
	OutstandingBonus float64 `toml:"outstanding_bonus"`
	CapYuan          float64 `toml:"cap_yuan"`
	// BudgetYuan is the reward fund the finance bureau set aside for the campaign (举报奖励资金):
	// the finance ledger shows it against the rewards approved and paid (mart_finance_fund). 0: not
	// configured (a configuration written before the key existed).
	BudgetYuan float64      `toml:"budget_yuan"`
	Bands      []RewardBand `toml:"band"`
}

type RewardBand struct {
	Categories []string `toml:"categories"`
	Severity   string   `toml:"severity"`
	MinYuan    float64  `toml:"min_yuan"`
	MaxYuan    float64  `toml:"max_yuan"`
}

type Portal struct {
	TipsPerIPHour int `toml:"tips_per_ip_hour"`
	TipsPerHour   int `toml:"tips_per_hour"`
	MaxFiles      int `toml:"max_files"`
	MaxFileMB     int `toml:"max_file_mb"`
	PowBits       int `toml:"pow_bits"`
	// MaxMegapixels is the largest photo accepted, in millions of pixels, checked from the image
	// header before it is decoded. 0: DefaultMaxMegapixels.
	MaxMegapixels int `toml:"max_megapixels"`
	// TriageDays is how many days the office has to triage a new tip (its queue marks older ones
	// overdue). 0: DefaultTriageDays.
	TriageDays int `toml:"triage_days"`
	// MaxInflightMB is how many MB of request bodies the server holds at once, all requests
	// together; a body that does not fit waits briefly, then is refused as busy. 0:
	// DefaultMaxInflightMB.
	MaxInflightMB int `toml:"max_inflight_mb"`
	// PublicURL is the portal's address as citizens reach it (https://…), printed on the paper
	// receipt of a phone or letter tip; "" = the address the office's browser used.
	PublicURL string `toml:"public_url"`
}

// DefaultMaxInflightMB is portal.max_inflight_mb when the configuration leaves it out: two
// uploads of the default largest size (5 files of 20 MB) at once.
const DefaultMaxInflightMB = 256

// MaxInflight is the bytes of request bodies the server holds at once.
func (p Portal) MaxInflight() int64 {
	if p.MaxInflightMB > 0 {
		return int64(p.MaxInflightMB) << 20
	}
	return DefaultMaxInflightMB << 20
}

// DefaultTriageDays is portal.triage_days when the configuration leaves it out.
const DefaultTriageDays = 3

// Triage is the days the office has to triage a tip (dim_parameters triage_days: the deadline
// itself is int_tip_triage's, queries/intermediate/int_tip_triage.sql).
func (p Portal) Triage() int {
	if p.TriageDays <= 0 {
		return DefaultTriageDays
	}
	return p.TriageDays
}

// DefaultMaxMegapixels is portal.max_megapixels when the configuration leaves it out.
const DefaultMaxMegapixels = 50

// MaxPixels is the pixel ceiling of an uploaded photo.
func (p Portal) MaxPixels() int64 {
	if p.MaxMegapixels > 0 {
		return int64(p.MaxMegapixels) * 1_000_000
	}
	return DefaultMaxMegapixels * 1_000_000
}

type Reports struct {
	SmallCount      int    `toml:"small_count"`
	BriefingWeekday string `toml:"briefing_weekday"`
	BriefingTime    string `toml:"briefing_time"`
}

type Township struct {
	Name     string     `toml:"name"`
	Kind     string     `toml:"kind"`
	Center   [2]float64 `toml:"center"`
	Villages []string   `toml:"villages"`
}

// Unit is a member unit of the leading group (领导小组成员单位) with its duty in the campaign.
type Unit struct {
	Name      string `toml:"name"`       // 县公安局
	ShortName string `toml:"short_name"` // 公安: a department account's scope
	Duty      string `toml:"duty"`       // one line of the plan's 各部门职责
}

// UnitScopes are the short names of the configured units, in order: a department account's
// possible scopes and the units a case or clue can be handed to.
func (c *Config) UnitScopes() []string {
	out := make([]string, len(c.Units))
	for i, u := range c.Units {
		out[i] = u.ShortName
	}
	return out
}

// Unit finds a configured unit by its short name or its full name.
func (c *Config) Unit(name string) (Unit, bool) {
	name = strings.TrimSpace(name)
	for _, u := range c.Units {
		if u.ShortName == name || u.Name == name {
			return u, true
		}
	}
	return Unit{}, false
}

// Day converts a configuration date to midnight UTC.
func Day(d toml.LocalDate) time.Time { return d.AsTime(time.UTC) }

// Default returns the embedded default configuration (the Qinyuan 2023 campaign).
func Default() *Config {
	c, err := Parse("embedded default", defaultTOML)
	if err != nil {
		panic("embedded default configuration is invalid: " + err.Error()) // a build defect, not input
	}
	return c
}

// Load reads and validates a configuration file.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("读取配置：%w", err)
	}
	c, err := Parse(filepath.Base(path), data)
	if err != nil {
		return nil, err
	}
	c.Dir = filepath.Dir(path)
	return c, nil
}

// Error is one refusal of a configuration, naming the key and the line it is on.
type Error struct {
	File string
	Line int // 0 when unknown
	Key  string
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s 第%d行 %s：%s", e.File, e.Line, e.Key, e.Msg)
	}
	return fmt.Sprintf("%s %s：%s", e.File, e.Key, e.Msg)
}

// Parse decodes and validates a configuration. Every problem found is returned (errors.Join of *Error).
func Parse(name string, data []byte) (*Config, error) {
	// keys added after a configuration was written take the embedded default's value when absent
	c := Config{Power: Power{SilentDays: 3, MaxKWhPerInterval: DefaultMaxKWhPerInterval, DefaultCategory: "M1"}, Actions: DefaultActions,
		Acceptance: defaultAcceptance()}
	dec := toml.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		var strict *toml.StrictMissingError
		if errors.As(err, &strict) {
			var errs []error
			for i := range strict.Errors {
				de := &strict.Errors[i]
				row, _ := de.Position()
				errs = append(errs, &Error{File: name, Line: row, Key: strings.Join(de.Key(), "."), Msg: "未知配置项"})
			}
			return nil, errors.Join(errs...)
		}
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, _ := de.Position()
			return nil, &Error{File: name, Line: row, Key: strings.Join(de.Key(), "."), Msg: "格式错误：" + de.Error()}
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(c.Units) == 0 && !bytes.Equal(data, defaultTOML) {
		// a configuration written before units were configurable keeps the default's
		var d struct {
			Units []Unit `toml:"unit"`
		}
		if err := toml.Unmarshal(defaultTOML, &d); err != nil {
			return nil, fmt.Errorf("embedded default units: %w", err)
		}
		c.Units = d.Units
	}
	if len(c.Stages) == 0 && !bytes.Equal(data, defaultTOML) {
		// a configuration written before the enforcement chain was configurable keeps the default's
		var d struct {
			Stages []Stage `toml:"stage"`
		}
		if err := toml.Unmarshal(defaultTOML, &d); err != nil {
			return nil, fmt.Errorf("embedded default stages: %w", err)
		}
		c.Stages = d.Stages
	}
	c.Source = name
	c.Text = bytes.Clone(data)
	lines := locateKeys(data)
	if err := c.validate(name, lines); err != nil {
		return nil, err
	}
	c.holidays = map[toml.LocalDate]bool{}
	for _, d := range c.Calendar.Holidays {
		c.holidays[d] = true
	}
	c.workdays = map[toml.LocalDate]bool{}
	for _, d := range c.Calendar.Workdays {
		c.workdays[d] = true
	}
	return &c, nil
}

func (c *Config) validate(file string, lines keyLines) error {
	k := &checker{file: file, lines: lines}
	c.checkCounty(k)
	c.checkPhases(k)
	c.checkPeriods(k)
	cats := c.checkCategories(k)
	c.checkTownships(k)
	c.checkUnits(k)
	c.checkStages(k)
	c.checkActions(k)
	c.checkAcceptance(k, cats)
	c.checkAccountability(k)
	c.checkPower(k)
	c.checkChannels(k)
	c.checkRewards(k, cats)
	c.checkPortalAndReports(k)
	c.checkModels(k)
	sort.SliceStable(k.errs, func(i, j int) bool { return k.errs[i].(*Error).Line < k.errs[j].(*Error).Line })
	return errors.Join(k.errs...)
}

// checker collects the refusals of one configuration file, each with its line.
type checker struct {
	file  string
	lines keyLines
	errs  []error
}

func (k *checker) bad(key, format string, args ...any) {
	k.errs = append(k.errs, &Error{File: k.file, Line: k.lines.find(key), Key: key, Msg: fmt.Sprintf(format, args...)})
}

func (k *checker) required(key, v string) {
	if strings.TrimSpace(v) == "" {
		k.bad(key, "不能为空")
	}
}

func (k *checker) rate(key string, v float64) {
	if v < 0 || v > 1 {
		k.bad(key, "%g 超出范围（应为 0–1）", v)
	}
}

func (k *checker) positive(key string, v float64) {
	if !(v > 0) {
		k.bad(key, "%g 必须大于 0", v)
	}
}

func (k *checker) atLeast(key string, v, min int) {
	if v < min {
		k.bad(key, "%d 不能小于 %d", v, min)
	}
}

// checkCounty checks the county and the campaign's year.
func (c *Config) checkCounty(k *checker) {
	k.required("county.name", c.County.Name)
	k.required("campaign.name", c.Campaign.Name)
	if c.County.Timezone == "" {
		k.bad("county.timezone", "不能为空")
	} else if _, err := time.LoadLocation(c.County.Timezone); err != nil {
		k.bad("county.timezone", "未知时区 %q", c.County.Timezone)
	}
	b := c.County.BBox
	if !(b.MinLon >= -180 && b.MaxLon <= 180 && b.MinLat >= -90 && b.MaxLat <= 90 && b.MinLon < b.MaxLon && b.MinLat < b.MaxLat) {
		k.bad("county.bbox", "范围无效：应满足 -180 <= min_lon < max_lon <= 180 且 -90 <= min_lat < max_lat <= 90")
	}
	if c.Campaign.Year < 2000 || c.Campaign.Year > 2100 {
		k.bad("campaign.year", "年份 %d 超出范围（应为 2000–2100）", c.Campaign.Year)
	}
	if c.Campaign.DataFrom.Year != c.Campaign.Year {
		k.bad("campaign.data_from", "%s 不在专项行动年度 %d 年内", c.Campaign.DataFrom, c.Campaign.Year)
	}
	if c.Campaign.PatrolsPerWeek < 1 || c.Campaign.PatrolsPerWeek > 7 {
		k.bad("campaign.patrols_per_week", "%d 超出范围（应为 1–7）", c.Campaign.PatrolsPerWeek)
	}

}

// checkPhases checks the timetable: every code once, in order, no overlaps.
func (c *Config) checkPhases(k *checker) {
	seen := map[string]int{}
	for i, p := range c.Phases {
		key := fmt.Sprintf("phase[%d]", i)
		if _, dup := seen[p.Code]; dup {
			k.bad(key+".code", "阶段 %q 重复", p.Code)
		}
		seen[p.Code] = i
		k.required(key+".name", p.Name)
		if Day(p.End).Before(Day(p.Start)) {
			k.bad(key+".end", "结束日期 %s 早于开始日期 %s", p.End, p.Start)
		}
		if i > 0 {
			prev := c.Phases[i-1]
			if !Day(p.Start).After(Day(prev.End)) {
				k.bad(key+".start", "阶段重叠或顺序颠倒：阶段 %s 开始于 %s，不晚于阶段 %s 的结束日期 %s", p.Code, p.Start, prev.Code, prev.End)
			}
		}
	}
	for i, code := range PhaseCodes {
		j, ok := seen[code]
		switch {
		case !ok:
			k.bad("phase", "缺少阶段 %q", code)
		case j != i && len(c.Phases) == len(PhaseCodes):
			k.bad(fmt.Sprintf("phase[%d].code", j), "阶段顺序错误：阶段 %q 应为时间表的第 %d 个", code, i+1)
		}
	}
	for _, code := range seen {
		if !contains(PhaseCodes, c.Phases[code].Code) {
			k.bad(fmt.Sprintf("phase[%d].code", code), "未知阶段编码 %q：应为 %s", c.Phases[code].Code, strings.Join(PhaseCodes, "、"))
		}
	}

}

// checkPeriods checks the 常态化 periods: each named, start ≤ detection_deadline ≤ end,
// rectification_deadline not before detection_deadline; the first after the look-back, each after
// the one before (no overlaps, in order).
func (c *Config) checkPeriods(k *checker) {
	prevEnd, prevName := time.Time{}, ""
	if p, ok := c.PhaseByCode(PhaseLookback); ok {
		prevEnd, prevName = Day(p.End), "阶段 lookback"
	}
	for i, p := range c.Periods {
		key := fmt.Sprintf("period[%d]", i)
		k.required(key+".name", p.Name)
		start, end := Day(p.Start), Day(p.End)
		if end.Before(start) {
			k.bad(key+".end", "结束日期 %s 早于开始日期 %s", p.End, p.Start)
		}
		if d := Day(p.DetectionDeadline); d.Before(start) || d.After(end) {
			k.bad(key+".detection_deadline", "排查期限 %s 不在本周期 %s 至 %s 内", p.DetectionDeadline, p.Start, p.End)
		}
		if Day(p.RectificationDeadline).Before(Day(p.DetectionDeadline)) {
			k.bad(key+".rectification_deadline", "整改期限 %s 早于排查期限 detection_deadline %s", p.RectificationDeadline, p.DetectionDeadline)
		}
		if !prevEnd.IsZero() && !start.After(prevEnd) {
			k.bad(key+".start", "周期重叠或顺序颠倒：周期 %q 开始于 %s，不晚于%s的结束日期 %s", p.Name, p.Start, prevName, prevEnd.Format("2006-01-02"))
		}
		if start.Year() > c.Campaign.Year+10 {
			k.bad(key+".start", "日期 %s 超出范围：比专项行动年度 %d 年晚十年以上", p.Start, c.Campaign.Year)
		}
		if end.After(prevEnd) {
			prevEnd, prevName = end, fmt.Sprintf("周期 %q", p.Name)
		}
	}
}

// checkCategories checks the violation categories and returns their codes.
func (c *Config) checkCategories(k *checker) map[string]bool {
	cats := map[string]bool{}
	for i, cat := range c.Categories {
		key := fmt.Sprintf("category[%d]", i)
		if len(cat.Code) < 2 || (cat.Code[0] != 'M' && cat.Code[0] != 'L') {
			k.bad(key+".code", "类别编码 %q 无效：应以 M（矿产）或 L（土地）开头", cat.Code)
		}
		if cats[cat.Code] {
			k.bad(key+".code", "类别 %q 重复", cat.Code)
		}
		cats[cat.Code] = true
		k.required(key+".name", cat.Name)
	}
	if len(c.Categories) == 0 {
		k.bad("category", "至少需要一个类别")
	}
	powerType := map[string]string{}
	for i, cat := range c.Categories {
		for _, t := range cat.PowerTypes {
			if other, dup := powerType[t]; dup {
				k.bad(fmt.Sprintf("category[%d].power_types", i), "用电类别 %q 重复：已列在 %s 下", t, other)
			}
			powerType[t] = cat.Code
		}
	}
	if !cats[c.Power.DefaultCategory] {
		k.bad("power.default_category", "%q 不是配置中的类别", c.Power.DefaultCategory)
	}

	return cats
}

// checkTownships checks the townships and their villages.
func (c *Config) checkTownships(k *checker) {
	towns := map[string]bool{}
	for i, t := range c.Townships {
		key := fmt.Sprintf("township[%d]", i)
		k.required(key+".name", t.Name)
		if towns[t.Name] {
			k.bad(key+".name", "乡镇 %q 重复", t.Name)
		}
		towns[t.Name] = true
		if t.Kind != "镇" && t.Kind != "乡" {
			k.bad(key+".kind", "%q 应为 镇 或 乡", t.Kind)
		}
		if !c.County.BBox.Contains(t.Center[0], t.Center[1]) {
			k.bad(key+".center", "中心点 %v 不在县域范围 county.bbox 内", t.Center)
		}
		if len(t.Villages) == 0 {
			k.bad(key+".villages", "乡镇 %q 没有行政村", t.Name)
		}
		vs := map[string]bool{}
		for _, v := range t.Villages {
			if strings.TrimSpace(v) == "" {
				k.bad(key+".villages", "%s 有村名为空", t.Name)
			} else if vs[v] {
				k.bad(key+".villages", "村名 %q 在 %s 中重复", v, t.Name)
			}
			vs[v] = true
		}
	}
	if len(c.Townships) == 0 {
		k.bad("township", "至少需要一个乡镇")
	}

}

// checkUnits checks the leading group's units: every name and short name given and unique.
func (c *Config) checkUnits(k *checker) {
	names, shorts := map[string]bool{}, map[string]bool{}
	for i, u := range c.Units {
		key := fmt.Sprintf("unit[%d]", i)
		k.required(key+".name", u.Name)
		k.required(key+".short_name", u.ShortName)
		if u.Name != "" && (names[u.Name] || shorts[u.Name]) {
			k.bad(key+".name", "成员单位 %q 重复", u.Name)
		}
		if u.ShortName != "" && u.ShortName != u.Name && (shorts[u.ShortName] || names[u.ShortName]) {
			k.bad(key+".short_name", "成员单位简称 %q 重复", u.ShortName)
		}
		names[u.Name], shorts[u.ShortName] = true, true
	}
}

// checkAccountability checks the accountability thresholds.
func (c *Config) checkAccountability(k *checker) {
	a := c.Accountability
	k.positive("accountability.match_radius_m", a.MatchRadiusM)
	if a.MatchRadiusM > 10000 {
		k.bad("accountability.match_radius_m", "%g 超出范围（应为 0–10000）", a.MatchRadiusM)
	}
	k.atLeast("accountability.late_item_days", a.LateItemDays, 1)
	k.rate("accountability.red_missed_rate", a.RedMissedRate)
	k.atLeast("accountability.red_new_after", a.RedNewAfter, 1)
	k.rate("accountability.red_rectification_rate", a.RedRectificationRate)
	k.rate("accountability.yellow_patrol_compliance", a.YellowPatrolCompliance)

}

// checkPower checks the power rules, the price deadline and the calendar.
func (c *Config) checkPower(k *checker) {
	p := c.Power
	hour := func(key string, v int) {
		if v < 0 || v > 23 {
			k.bad(key, "%d 超出范围（应为 0–23）", v)
		}
	}
	hour("power.night_start_hour", p.NightStartHour)
	hour("power.night_end_hour", p.NightEndHour)
	if p.NightStartHour == p.NightEndHour {
		k.bad("power.night_end_hour", "夜间时段无效：不能为空，也不能是整天")
	}
	k.positive("power.night_ratio", p.NightRatio)
	if p.NightMinKWh < 0 {
		k.bad("power.night_min_kwh", "%g 不能为负数", p.NightMinKWh)
	}
	k.atLeast("power.night_window_days", p.NightWindowDays, 1)
	k.atLeast("power.night_min_days", p.NightMinDays, 1)
	if p.NightMinDays > p.NightWindowDays {
		k.bad("power.night_min_days", "%d 超出窗口天数 night_window_days（%d）", p.NightMinDays, p.NightWindowDays)
	}
	k.positive("power.surge_ratio", p.SurgeRatio)
	k.atLeast("power.surge_window_days", p.SurgeWindowDays, 1)
	k.atLeast("power.surge_baseline_days", p.SurgeBaselineDays, 1)
	if p.SurgeMinIncreaseKWh < 0 {
		k.bad("power.surge_min_increase_kwh", "%g 不能为负数", p.SurgeMinIncreaseKWh)
	}
	if p.ClosedMineMinKWh < 0 {
		k.bad("power.closed_mine_min_kwh", "%g 不能为负数", p.ClosedMineMinKWh)
	}
	k.atLeast("power.silent_days", p.SilentDays, 1)
	seen := map[string]bool{}
	for _, n := range BuiltinCustomerTypes() {
		seen[n] = true
	}
	for i, t := range p.CustomerTypes {
		key := fmt.Sprintf("power.customer_type[%d]", i)
		k.required(key+".name", t.Name)
		if t.Name != "" && seen[t.Name] {
			k.bad(key+".name", "用电类别 %q 重复（或与内置类别同名）", t.Name)
		}
		seen[t.Name] = true
		k.positive(key+".night_ratio", t.NightRatio)
		k.positive(key+".surge_ratio", t.SurgeRatio)
		if t.NightMinKWh < 0 {
			k.bad(key+".night_min_kwh", "%g 不能为负数", t.NightMinKWh)
		}
		if t.SurgeMinIncreaseKWh < 0 {
			k.bad(key+".surge_min_increase_kwh", "%g 不能为负数", t.SurgeMinIncreaseKWh)
		}
	}
	k.atLeast("prices.due_workdays", c.Prices.DueWorkdays, 1)

	for i, d := range c.Calendar.Holidays {
		if d.Year < c.Campaign.Year-1 || d.Year > c.LastYear()+1 {
			k.bad("calendar.holidays", "第 %d 个节假日（%s）超出范围：离专项行动年度太远", i+1, d)
		}
	}

}

// checkRewards checks the reward bands against the categories.
func (c *Config) checkRewards(k *checker, cats map[string]bool) {
	r := c.Rewards
	k.positive("rewards.min_yuan", r.MinYuan)
	if r.MaxYuan < r.MinYuan {
		k.bad("rewards.max_yuan", "上限 %g 低于下限 min_yuan %g", r.MaxYuan, r.MinYuan)
	}
	if r.OutstandingBonus < 0 || r.OutstandingBonus > 10 {
		k.bad("rewards.outstanding_bonus", "%g 超出范围（应为 0–10）", r.OutstandingBonus)
	}
	if r.CapYuan < r.MaxYuan {
		k.bad("rewards.cap_yuan", "封顶 %g 低于上限 max_yuan %g", r.CapYuan, r.MaxYuan)
	}
	if r.BudgetYuan != 0 && (r.BudgetYuan < r.CapYuan || r.BudgetYuan > 1e12) {
		k.bad("rewards.budget_yuan", "奖励资金预算 %g 应不低于单笔封顶金额 cap_yuan %g", r.BudgetYuan, r.CapYuan)
	}
	bandKeys := map[string]bool{}
	for i, band := range r.Bands {
		key := fmt.Sprintf("rewards.band[%d]", i)
		k.required(key+".severity", band.Severity)
		if band.MinYuan < r.MinYuan || band.MaxYuan > r.MaxYuan || band.MinYuan > band.MaxYuan {
			k.bad(key, "奖励区间 %g–%g 无效：应在 %g–%g 之内，且下限不高于上限", band.MinYuan, band.MaxYuan, r.MinYuan, r.MaxYuan)
		}
		for _, code := range band.Categories {
			if !cats[code] {
				k.bad(key+".categories", "未知类别 %q", code)
			}
			bk := code + "/" + band.Severity
			if bandKeys[bk] {
				k.bad(key+".categories", "奖励区间重复：类别 %s 有两个档次为 %s 的区间", code, band.Severity)
			}
			bandKeys[bk] = true
		}
	}
}

// checkPortalAndReports checks the portal's limits and the briefing's schedule.
func (c *Config) checkPortalAndReports(k *checker) {
	k.atLeast("portal.tips_per_ip_hour", c.Portal.TipsPerIPHour, 0)
	k.atLeast("portal.tips_per_hour", c.Portal.TipsPerHour, 0)
	k.atLeast("portal.max_files", c.Portal.MaxFiles, 0)
	k.atLeast("portal.max_file_mb", c.Portal.MaxFileMB, 1)
	k.atLeast("portal.max_inflight_mb", c.Portal.MaxInflightMB, 0)
	if c.Portal.PowBits < 0 || c.Portal.PowBits > 28 {
		k.bad("portal.pow_bits", "%d 超出范围（应为 0–28）", c.Portal.PowBits)
	}
	if c.Portal.MaxMegapixels < 0 || c.Portal.MaxMegapixels > 1000 {
		k.bad("portal.max_megapixels", "%d 超出范围（应为 0–1000）", c.Portal.MaxMegapixels)
	}
	if c.Portal.TriageDays < 0 || c.Portal.TriageDays > 60 {
		k.bad("portal.triage_days", "%d 超出范围（应为 0–60）", c.Portal.TriageDays)
	}
	if m := c.Power.MaxKWhPerInterval; m < 0 || m > 1e7 || m != m {
		k.bad("power.max_kwh_per_interval", "%g 超出范围（应为 0–10000000）", m)
	}
	if m := c.Power.IntervalMinutes; m < 0 || m > 1440 || m > 0 && 1440%m != 0 {
		k.bad("power.interval_minutes", "%d 须能整除一天的 1440 分钟", m)
	}
	k.atLeast("reports.small_count", c.Reports.SmallCount, 0)
	if _, err := parseWeekday(c.Reports.BriefingWeekday); err != nil {
		k.bad("reports.briefing_weekday", "%v", err)
	}
	if _, err := time.Parse("15:04", c.Reports.BriefingTime); err != nil {
		k.bad("reports.briefing_time", "%q 格式不对：时间应写作 时:分（HH:MM）", c.Reports.BriefingTime)
	}

}

func parseWeekday(s string) (time.Weekday, error) {
	for d := time.Sunday; d <= time.Saturday; d++ {
		if strings.EqualFold(d.String(), s) {
			return d, nil
		}
	}
	return 0, fmt.Errorf("%q 不是星期名称（应写作 Monday、Tuesday 等）", s)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
