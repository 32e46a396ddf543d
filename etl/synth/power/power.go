// Package power is the synthetic county's electricity side (etl/synth): the meter registry, the
// hourly readings as a pure function of seed, meter and hour (so the csv files and truth.json agree
// exactly), the planted anomalies and the three alert rules of queries/README.md evaluated on them.
package power

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"landwatch/campaign"
	"landwatch/etl/synth/kit"
)

// Customer types of the meter registry (用电类别).
const (
	KindResident   = "居民"
	KindFactory    = "小工厂"
	KindFarm       = "养殖场"
	KindWasher     = "洗煤厂"
	KindCoking     = "焦化厂"
	KindMine       = "煤矿"
	KindClosedMine = "关闭矿井"
	KindOther      = "其他"
)

// Power rule codes as the models name them, and the short codes of alert ids.
const (
	RuleNight  = "night_over_day"
	RuleSurge  = "surge"
	RuleClosed = "closed_mine"
)

var ruleCode = map[string]string{RuleNight: "NOD", RuleSurge: "SRG", RuleClosed: "CLM", "supply_after_cutoff": "CUT"}

// Profile is the ordinary load of a customer type: the day rate range in Wh per hour and the night
// rate as a percentage of the day rate. Night per hour never exceeds 0.8 × day per hour, and the
// day-to-day factor stays within ±12 %, so no ordinary meter can meet a rule: night-over-day needs
// 1.5 ×, surge needs 3 ×, and a closed mine uses nothing.
type Profile struct {
	DayMin, DayMax int64 // Wh per hour, day part
	NightPct       int64
}

var Profiles = map[string]Profile{
	KindResident:   {300, 900, 30},
	KindFactory:    {5000, 15000, 20},
	KindFarm:       {2000, 6000, 60},
	KindWasher:     {30000, 80000, 25},
	KindCoking:     {100000, 200000, 80},
	KindMine:       {200000, 400000, 70},
	KindClosedMine: {0, 0, 0},
	KindOther:      {1000, 3000, 30},
}

// Meter is one power customer.
type Meter struct {
	Idx       int // 0-based position in the registry; part of the reading hash
	ID        string
	Account   string
	Kind      string
	Township  string
	Village   string
	Lon, Lat  float64
	Address   string
	DayRate   int64 // Wh per hour at day
	NightPct  int64
	Anomalies []Anomaly
	// CutFrom is the first day the meter draws nothing, its supply cut off (0: never)
	CutFrom kit.Date
}

// Anomaly is a planted pattern of one rule.
//   - night_over_day: on the operating days start … start+len-1 the night runs at 3 × the day rate
//     and the day drops to 40 %; the daily total rises less than 2 ×, so surge stays quiet.
//   - surge: on the calendar days start … start+len-1 every hour uses 5 × its ordinary load.
//   - closed_mine: on the listed day offsets a closed mine draws 2–4 kWh per hour from 09:00 to
//     16:59 (≤ 32 kWh a day: no surge, no night).
type Anomaly struct {
	Rule  string
	Start kit.Date
	Days  []int // offsets from start on which the pattern is active
}

func (a Anomaly) activeOn(d kit.Date) bool {
	off := int(d - a.Start)
	if off < 0 {
		return false
	}
	_, ok := slices.BinarySearch(a.Days, off)
	return ok
}

func Consecutive(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// Model computes the readings; every value is a pure function of the seed, the meter and
// the hour, in integer Wh, so the csv and the truth agree to the last digit on every platform.
type Model struct {
	seed       uint64
	nightStart int
	nightEnd   int
	From, To   kit.Date // first and last day with readings
}

func NewModel(seed int64, p campaign.Power, from, to kit.Date) *Model {
	return &Model{seed: kit.Mix(uint64(seed) ^ 0x5eed0f9e), nightStart: p.NightStartHour, nightEnd: p.NightEndHour, From: from, To: to}
}

func (pm *Model) isNight(h int) bool {
	if pm.nightStart > pm.nightEnd {
		return h >= pm.nightStart || h < pm.nightEnd
	}
	return h >= pm.nightStart && h < pm.nightEnd
}

// Wh is the reading of meter m for the hour h of day d, in Wh.
func (pm *Model) Wh(m *Meter, d kit.Date, h int) int64 {
	if m.CutFrom != 0 && d >= m.CutFrom {
		return 0
	}
	night := pm.isNight(h)
	od := d // operating day
	if h < pm.nightEnd {
		od = d - 1
	}
	hk := kit.Mix(pm.seed ^ uint64(m.Idx)<<32 ^ uint64(int64(d))<<5 ^ uint64(h))
	var v int64
	if m.DayRate > 0 {
		dk := kit.Mix(pm.seed ^ uint64(m.Idx)<<32 ^ uint64(int64(d))<<5 ^ 31)
		dayFactor := 880 + int64(dk%241)  // ‰, ±12 %
		hourFactor := 800 + int64(hk%401) // ‰, ±20 %
		rate := m.DayRate
		if night {
			rate = rate * m.NightPct / 100
		}
		v = rate * dayFactor / 1000 * hourFactor / 1000
		if v < 1 {
			v = 1
		}
	}
	for _, a := range m.Anomalies {
		switch a.Rule {
		case RuleNight:
			if a.activeOn(od) {
				if night {
					v = m.DayRate * 3 * (900 + int64(hk%201)) / 1000
				} else {
					v = v * 4 / 10
				}
			}
		case RuleSurge:
			if a.activeOn(d) {
				v *= 5
			}
		case RuleClosed:
			if a.activeOn(d) && h >= 9 && h < 17 {
				v = 2000 + int64(hk%2001)
			}
		}
	}
	return v
}

// firstHour is the first hour with a reading on day i of the data: the data start at the end of
// the first night (06:00), so that no operating day has a night without its day.
func (pm *Model) firstHour(i int) int {
	if i == 0 {
		return pm.nightEnd
	}
	return 0
}

// ReadingFiles splits the meters over files of at most perFile meters each.
func ReadingFiles(n, perFile int) [][2]int {
	if perFile <= 0 || n <= perFile {
		return [][2]int{{0, n}}
	}
	var out [][2]int
	for lo := 0; lo < n; lo += perFile {
		out = append(out, [2]int{lo, min(lo+perFile, n)})
	}
	return out
}

// WriteReadings writes `户号,时间,电量` rows, meter by meter and hour by hour, for the meters ms
// and the days from … to; kWh carries three decimals. It returns the number of rows.
func (pm *Model) WriteReadings(ctx context.Context, w io.Writer, ms []*Meter, from, to kit.Date) (int64, error) {
	bw := bufio.NewWriterSize(w, 1<<20)
	bw.WriteString("户号,时间,电量\n")
	from, to = max(from, pm.From), min(to, pm.To)
	days := max(0, int(to-from)+1)
	prefixes := make([][]byte, days)
	for i := range prefixes {
		prefixes[i] = []byte((from + kit.Date(i)).String() + " ")
	}
	var hours [24][]byte
	for h := range hours {
		hours[h] = fmt.Appendf(nil, "%02d:00:00,", h)
	}
	var rows int64
	line := make([]byte, 0, 64)
	for mi, m := range ms {
		if mi%256 == 0 {
			if err := ctx.Err(); err != nil {
				return rows, err
			}
		}
		for i := 0; i < days; i++ {
			d := from + kit.Date(i)
			for h := pm.firstHour(int(d - pm.From)); h < 24; h++ {
				v := pm.Wh(m, d, h)
				line = append(line[:0], m.ID...)
				line = append(line, ',')
				line = append(line, prefixes[i]...)
				line = append(line, hours[h]...)
				line = appendKWh(line, v)
				line = append(line, '\n')
				bw.Write(line)
				rows++
			}
		}
	}
	if err := bw.Flush(); err != nil {
		return rows, err
	}
	return rows, nil
}

// appendKWh appends Wh as kWh with three decimals.
func appendKWh(b []byte, wh int64) []byte {
	b = strconv.AppendInt(b, wh/1000, 10)
	r := wh % 1000
	return append(b, '.', byte('0'+r/100), byte('0'+r/10%10), byte('0'+r%10))
}

// WriteMeters writes the registry as UTF-8 csv with a byte-order mark (Excel opens it as such).
func WriteMeters(path string, ms []*Meter) error {
	rows := [][]string{{"户号", "户名", "用电类别", "乡镇", "村", "经度", "纬度", "地址"}}
	for _, m := range ms {
		rows = append(rows, []string{m.ID, m.Account, m.Kind, m.Township, m.Village,
			FmtCoord(m.Lon), FmtCoord(m.Lat), m.Address})
	}
	return kit.WriteCSV(path, rows, true)
}

func FmtCoord(v float64) string { return strconv.FormatFloat(v, 'f', 6, 64) }

// dayTotals are a meter's aggregates in Wh as of a day: the calendar day total, and per
// operating day the day part and the night part. Readings after asOf do not exist.
type dayTotals struct {
	from    kit.Date
	daily   []int64 // calendar days from … asOf
	dayPart []int64 // operating days from-1 … asOf (index 0 is from-1)
	night   []int64
}

func (pm *Model) totals(m *Meter, asOf kit.Date) dayTotals {
	last := min(asOf, pm.To)
	n := int(last-pm.From) + 1
	if n < 0 {
		n = 0
	}
	t := dayTotals{from: pm.From, daily: make([]int64, n), dayPart: make([]int64, n+1), night: make([]int64, n+1)}
	for i := 0; i < n; i++ {
		d := pm.From + kit.Date(i)
		for h := pm.firstHour(i); h < 24; h++ {
			v := pm.Wh(m, d, h)
			t.daily[i] += v
			oi := i + 1 // operating day index: d ↦ i+1, d-1 ↦ i
			if h < pm.nightEnd {
				oi = i
			}
			if pm.isNight(h) {
				t.night[oi] += v
			} else {
				t.dayPart[oi] += v
			}
		}
	}
	return t
}

// Alert is one run of days on which a rule holds for a meter.
type Alert struct {
	ID       string
	Meter    *Meter
	Rule     string
	FirstDay kit.Date
	LastDay  kit.Date
}

// Alerts evaluates the three rules of queries/README.md on meter m with the readings up to asOf.
func (pm *Model) Alerts(m *Meter, p campaign.Power, asOf kit.Date) []Alert {
	t := pm.totals(m, asOf)
	var out []Alert
	// night_over_day over operating days from-1 … asOf.
	nightHours := 0
	for h := 0; h < 24; h++ {
		if pm.isNight(h) {
			nightHours++
		}
	}
	dayHours := 24 - nightHours
	flag := make([]bool, len(t.night))
	for i := range flag {
		nph := float64(t.night[i]) / float64(nightHours)
		dph := float64(t.dayPart[i]) / float64(dayHours)
		flag[i] = nph >= p.NightRatio*dph && float64(t.night[i]) >= p.NightMinKWh*1000
	}
	var hold []kit.Date
	w := p.NightWindowDays
	for i := range flag {
		if !flag[i] {
			continue
		}
		ok := false
		for s := i - w + 1; s <= i && !ok; s++ {
			cnt := 0
			for j := max(s, 0); j < s+w && j < len(flag); j++ {
				if flag[j] {
					cnt++
				}
			}
			ok = cnt >= p.NightMinDays
		}
		if ok {
			hold = append(hold, pm.From-1+kit.Date(i))
		}
	}
	out = append(out, runs(m, RuleNight, hold)...)

	// surge over calendar days.
	n := len(t.daily)
	base := make([]float64, n) // baseline of the window ending on day i; -1 when undefined
	mean := make([]float64, n)
	buf := make([]int64, p.SurgeBaselineDays)
	for i := range base {
		base[i] = -1
		lo := i - p.SurgeWindowDays + 1 - p.SurgeBaselineDays
		if lo < 0 {
			continue
		}
		copy(buf, t.daily[lo:lo+p.SurgeBaselineDays])
		slices.Sort(buf)
		k := len(buf)
		if k%2 == 1 {
			base[i] = float64(buf[k/2])
		} else {
			base[i] = float64(buf[k/2-1]+buf[k/2]) / 2
		}
		var sum int64
		for j := i - p.SurgeWindowDays + 1; j <= i; j++ {
			sum += t.daily[j]
		}
		mean[i] = float64(sum) / float64(p.SurgeWindowDays)
	}
	hold = hold[:0]
	for i := 0; i < n; i++ {
		if base[i] < 0 || float64(t.daily[i]) < p.SurgeRatio*base[i] {
			continue
		}
		for y := i; y < i+p.SurgeWindowDays && y < n; y++ {
			if base[y] >= 0 && mean[y] >= p.SurgeRatio*base[y] && mean[y] >= base[y]+p.SurgeMinIncreaseKWh*1000 {
				hold = append(hold, pm.From+kit.Date(i))
				break
			}
		}
	}
	out = append(out, runs(m, RuleSurge, hold)...)

	// closed_mine.
	if m.Kind == KindClosedMine {
		hold = hold[:0]
		for i, v := range t.daily {
			if float64(v) > p.ClosedMineMinKWh*1000 {
				hold = append(hold, pm.From+kit.Date(i))
			}
		}
		out = append(out, runs(m, RuleClosed, hold)...)
	}
	return out
}

// runs groups holding days into alerts: consecutive holding days fewer than 7 days apart.
func runs(m *Meter, rule string, days []kit.Date) []Alert {
	var out []Alert
	for i, d := range days {
		if i == 0 || d-days[i-1] >= 7 {
			out = append(out, Alert{Meter: m, Rule: rule, FirstDay: d, LastDay: d})
		} else {
			out[len(out)-1].LastDay = d
		}
	}
	for i := range out {
		out[i].ID = AlertID(m.ID, out[i].Rule, out[i].FirstDay)
	}
	return out
}

func AlertID(meterID, rule string, first kit.Date) string {
	return meterID + "-" + ruleCode[rule] + "-" + first.Compact()
}

// CreateFile creates path and its directory.
func CreateFile(path string) (*os.File, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	return os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
}
