package synth

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"landwatch/etl/synth/kit"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"landwatch/campaign"
)

// Customer types of the meter registry (用电类别).
const (
	kindResident   = "居民"
	kindFactory    = "小工厂"
	kindFarm       = "养殖场"
	kindWasher     = "洗煤厂"
	kindCoking     = "焦化厂"
	kindMine       = "煤矿"
	kindClosedMine = "关闭矿井"
	kindOther      = "其他"
)

// Power rule codes as the models name them, and the short codes of alert ids.
const (
	ruleNight  = "night_over_day"
	ruleSurge  = "surge"
	ruleClosed = "closed_mine"
)

var ruleCode = map[string]string{ruleNight: "NOD", ruleSurge: "SRG", ruleClosed: "CLM", "supply_after_cutoff": "CUT"}

// profile is the ordinary load of a customer type: the day rate range in Wh per hour and the night
// rate as a percentage of the day rate. Night per hour never exceeds 0.8 × day per hour, and the
// day-to-day factor stays within ±12 %, so no ordinary meter can meet a rule: night-over-day needs
// 1.5 ×, surge needs 3 ×, and a closed mine uses nothing.
type profile struct {
	dayMin, dayMax int64 // Wh per hour, day part
	nightPct       int64
}

var profiles = map[string]profile{
	kindResident:   {300, 900, 30},
	kindFactory:    {5000, 15000, 20},
	kindFarm:       {2000, 6000, 60},
	kindWasher:     {30000, 80000, 25},
	kindCoking:     {100000, 200000, 80},
	kindMine:       {200000, 400000, 70},
	kindClosedMine: {0, 0, 0},
	kindOther:      {1000, 3000, 30},
}

// meter is one power customer.
type meter struct {
	idx       int // 0-based position in the registry; part of the reading hash
	id        string
	account   string
	kind      string
	township  string
	village   string
	lon, lat  float64
	address   string
	dayRate   int64 // Wh per hour at day
	nightPct  int64
	anomalies []anomaly
}

// anomaly is a planted pattern of one rule.
//   - night_over_day: on the operating days start … start+len-1 the night runs at 3 × the day rate
//     and the day drops to 40 %; the daily total rises less than 2 ×, so surge stays quiet.
//   - surge: on the calendar days start … start+len-1 every hour uses 5 × its ordinary load.
//   - closed_mine: on the listed day offsets a closed mine draws 2–4 kWh per hour from 09:00 to
//     16:59 (≤ 32 kWh a day: no surge, no night).
type anomaly struct {
	rule  string
	start kit.Date
	days  []int // offsets from start on which the pattern is active
}

func (a anomaly) activeOn(d kit.Date) bool {
	off := int(d - a.start)
	if off < 0 {
		return false
	}
	_, ok := slices.BinarySearch(a.days, off)
	return ok
}

func consecutive(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// powerModel computes the readings; every value is a pure function of the seed, the meter and
// the hour, in integer Wh, so the csv and the truth agree to the last digit on every platform.
type powerModel struct {
	seed       uint64
	nightStart int
	nightEnd   int
	from, to   kit.Date // first and last day with readings
}

func newPowerModel(seed int64, p campaign.Power, from, to kit.Date) *powerModel {
	return &powerModel{seed: kit.Mix(uint64(seed) ^ 0x5eed0f9e), nightStart: p.NightStartHour, nightEnd: p.NightEndHour, from: from, to: to}
}

func (pm *powerModel) isNight(h int) bool {
	if pm.nightStart > pm.nightEnd {
		return h >= pm.nightStart || h < pm.nightEnd
	}
	return h >= pm.nightStart && h < pm.nightEnd
}

// wh is the reading of meter m for the hour h of day d, in Wh.
func (pm *powerModel) wh(m *meter, d kit.Date, h int) int64 {
	night := pm.isNight(h)
	od := d // operating day
	if h < pm.nightEnd {
		od = d - 1
	}
	hk := kit.Mix(pm.seed ^ uint64(m.idx)<<32 ^ uint64(int64(d))<<5 ^ uint64(h))
	var v int64
	if m.dayRate > 0 {
		dk := kit.Mix(pm.seed ^ uint64(m.idx)<<32 ^ uint64(int64(d))<<5 ^ 31)
		dayFactor := 880 + int64(dk%241)  // ‰, ±12 %
		hourFactor := 800 + int64(hk%401) // ‰, ±20 %
		rate := m.dayRate
		if night {
			rate = rate * m.nightPct / 100
		}
		v = rate * dayFactor / 1000 * hourFactor / 1000
		if v < 1 {
			v = 1
		}
	}
	for _, a := range m.anomalies {
		switch a.rule {
		case ruleNight:
			if a.activeOn(od) {
				if night {
					v = m.dayRate * 3 * (900 + int64(hk%201)) / 1000
				} else {
					v = v * 4 / 10
				}
			}
		case ruleSurge:
			if a.activeOn(d) {
				v *= 5
			}
		case ruleClosed:
			if a.activeOn(d) && h >= 9 && h < 17 {
				v = 2000 + int64(hk%2001)
			}
		}
	}
	return v
}

// firstHour is the first hour with a reading on day i of the data: the data start at the end of
// the first night (06:00), so that no operating day has a night without its day.
func (pm *powerModel) firstHour(i int) int {
	if i == 0 {
		return pm.nightEnd
	}
	return 0
}

// readingFiles splits the meters over files of at most perFile meters each.
func readingFiles(n, perFile int) [][2]int {
	if perFile <= 0 || n <= perFile {
		return [][2]int{{0, n}}
	}
	var out [][2]int
	for lo := 0; lo < n; lo += perFile {
		out = append(out, [2]int{lo, min(lo+perFile, n)})
	}
	return out
}

// writeReadings writes `户号,时间,电量` rows, meter by meter and hour by hour, for the meters ms
// and the days from … to; kWh carries three decimals. It returns the number of rows.
func (pm *powerModel) writeReadings(ctx context.Context, w io.Writer, ms []*meter, from, to kit.Date) (int64, error) {
	bw := bufio.NewWriterSize(w, 1<<20)
	bw.WriteString("户号,时间,电量\n")
	from, to = max(from, pm.from), min(to, pm.to)
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
			for h := pm.firstHour(int(d - pm.from)); h < 24; h++ {
				v := pm.wh(m, d, h)
				line = append(line[:0], m.id...)
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

// writeMeters writes the registry as UTF-8 csv with a byte-order mark (Excel opens it as such).
func writeMeters(path string, ms []*meter) error {
	rows := [][]string{{"户号", "户名", "用电类别", "乡镇", "村", "经度", "纬度", "地址"}}
	for _, m := range ms {
		rows = append(rows, []string{m.id, m.account, m.kind, m.township, m.village,
			fmtCoord(m.lon), fmtCoord(m.lat), m.address})
	}
	return kit.WriteCSV(path, rows, true)
}

func fmtCoord(v float64) string { return strconv.FormatFloat(v, 'f', 6, 64) }

// dayTotals are a meter's aggregates in Wh as of a day: the calendar day total, and per
// operating day the day part and the night part. Readings after asOf do not exist.
type dayTotals struct {
	from    kit.Date
	daily   []int64 // calendar days from … asOf
	dayPart []int64 // operating days from-1 … asOf (index 0 is from-1)
	night   []int64
}

func (pm *powerModel) totals(m *meter, asOf kit.Date) dayTotals {
	last := min(asOf, pm.to)
	n := int(last-pm.from) + 1
	if n < 0 {
		n = 0
	}
	t := dayTotals{from: pm.from, daily: make([]int64, n), dayPart: make([]int64, n+1), night: make([]int64, n+1)}
	for i := 0; i < n; i++ {
		d := pm.from + kit.Date(i)
		for h := pm.firstHour(i); h < 24; h++ {
			v := pm.wh(m, d, h)
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

// alert is one run of days on which a rule holds for a meter.
type alert struct {
	id       string
	meter    *meter
	rule     string
	firstDay kit.Date
	lastDay  kit.Date
}

// alerts evaluates the three rules of queries/README.md on meter m with the readings up to asOf.
func (pm *powerModel) alerts(m *meter, p campaign.Power, asOf kit.Date) []alert {
	t := pm.totals(m, asOf)
	var out []alert
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
			hold = append(hold, pm.from-1+kit.Date(i))
		}
	}
	out = append(out, runs(m, ruleNight, hold)...)

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
				hold = append(hold, pm.from+kit.Date(i))
				break
			}
		}
	}
	out = append(out, runs(m, ruleSurge, hold)...)

	// closed_mine.
	if m.kind == kindClosedMine {
		hold = hold[:0]
		for i, v := range t.daily {
			if float64(v) > p.ClosedMineMinKWh*1000 {
				hold = append(hold, pm.from+kit.Date(i))
			}
		}
		out = append(out, runs(m, ruleClosed, hold)...)
	}
	return out
}

// runs groups holding days into alerts: consecutive holding days fewer than 7 days apart.
func runs(m *meter, rule string, days []kit.Date) []alert {
	var out []alert
	for i, d := range days {
		if i == 0 || d-days[i-1] >= 7 {
			out = append(out, alert{meter: m, rule: rule, firstDay: d, lastDay: d})
		} else {
			out[len(out)-1].lastDay = d
		}
	}
	for i := range out {
		out[i].id = alertID(m.id, out[i].rule, out[i].firstDay)
	}
	return out
}

func alertID(meterID, rule string, first kit.Date) string {
	return meterID + "-" + ruleCode[rule] + "-" + first.Compact()
}

// createFile creates path and its directory.
func createFile(path string) (*os.File, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	return os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
}
