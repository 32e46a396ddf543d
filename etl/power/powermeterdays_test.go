package power_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"landwatch/etl/power"
)

// The meter-days the Go parser adds up while it reads a readings file (powermeterdays.go) are
// the rows agg_power_meter_days.sql gives over the loaded batch, exactly: the same files are loaded
// into two warehouses, once with the parser's meter-days and once with the SQL's (on one DuckDB
// thread, so that the SQL reads each group in file order, as the parser adds it up), and both
// tables are compared value by value, in blocks small enough to cut meter-days between them. The
// kWh are random with two decimals, which summed in another order differ in their last bits. A
// file whose meter-days are not consecutive is left to the SQL.
func TestMeterDaysParsedAsSQL(t *testing.T) {
	const h = "户号,时间,电量\n"
	rng := rand.New(rand.NewPCG(1, 2))
	kwh := func() string { return fmt.Sprintf("%d.%02d", rng.IntN(40), rng.IntN(100)) }
	var meterMajor, backwards, interleaved, quarter, late strings.Builder
	for _, b := range []*strings.Builder{&meterMajor, &backwards, &interleaved, &quarter, &late} {
		b.WriteString(h)
	}
	for m := 1; m <= 3; m++ {
		for hour := range 24 * 5 { // 2023-03-10 … 03-14, midnight to midnight
			fmt.Fprintf(&meterMajor, "143000000%d,2023-03-%02d %02d:00:00,%s\n", m, 10+hour/24, hour%24, kwh())
		}
		for hour := 24*3 - 1; hour >= 0; hour-- { // each meter's times falling: its days still consecutive
			fmt.Fprintf(&backwards, "143000000%d,2023-04-%02d %02d:00:00,%s\n", m, 1+hour/24, hour%24, kwh())
		}
		for hour := range 24 * 2 { // 7 minutes past each hour, moved to the hour by the configuration
			fmt.Fprintf(&late, "143000000%d,2023-08-%02d %02d:07:00,%s\n", m, 1+hour/24, hour%24, kwh())
		}
		for q := range 4 * 24 * 2 { // every 15 minutes: 2023-05-01 and 02
			fmt.Fprintf(&quarter, "143000000%d,2023-05-%02d %02d:%02d:00,%s\n", m, 1+q/96, q%96/4, q%4*15, kwh())
		}
	}
	for hour := range 24 * 2 { // hour-major: each meter-day broken up by the other meters
		for m := 1; m <= 3; m++ {
			fmt.Fprintf(&interleaved, "143000000%d,2023-06-%02d %02d:00:00,%s\n", m, 1+hour/24, hour%24, kwh())
		}
	}
	var afternoon strings.Builder // no reading before the night's end: night_late_kwh NULL
	afternoon.WriteString(h)
	for hour := 12; hour < 18; hour++ {
		fmt.Fprintf(&afternoon, "1430000001,2023-07-01 %02d:00:00,%s\n", hour, kwh())
	}
	files := []struct {
		name, content string
		parsed        bool // the parser's meter-days are kept
		quarterHours  bool
		truncate      bool // power.truncate_to_interval
	}{
		{"meter-major.csv", meterMajor.String(), true, false, false},
		{"backwards.csv", backwards.String(), true, false, false},
		{"interleaved.csv", interleaved.String(), false, false, false},
		{"quarter.csv", quarter.String(), true, true, false},
		{"afternoon.csv", afternoon.String(), true, false, false},
		{"late.csv", late.String(), true, false, true},
	}
	defer func(block int, on bool) { *power.FastBlock, *power.ParseMeterDays = block, on }(*power.FastBlock, *power.ParseMeterDays)
	for _, block := range []int{1, 100, 1000, 8 << 20} {
		*power.FastBlock = block
		var tables [2][][]string
		for i, parse := range []bool{true, false} {
			*power.ParseMeterDays = parse
			db, cfg := openDB(t)
			if _, err := db.Exec(`SET threads = 1`); err != nil {
				t.Fatal(err)
			}
			load(t, db, cfg, KindMeters, fixture("用电户档案.csv"))
			for _, f := range files {
				c := cfg
				if f.quarterHours || f.truncate {
					cc := *cfg
					if f.quarterHours {
						cc.Power.IntervalMinutes = 15
					}
					cc.Power.TruncateToInterval = f.truncate
					c = &cc
				}
				before := power.ParsedMeterDays.Load()
				load(t, db, c, KindPower, writeFile(t, f.name, f.content))
				if got := power.ParsedMeterDays.Load() > before; got != (parse && f.parsed) {
					t.Errorf("%s block=%d: parser's meter-days kept %v, want %v", f.name, block, got, parse && f.parsed)
				}
			}
			load(t, db, cfg, KindPower, fixture("用电数据.csv"))
			tables[i] = rowsOf(t, db, `SELECT batch_id, meter_id, day, kwh, day_part_kwh, night_early_kwh, night_late_kwh, readings
				FROM agg_power_meter_days ORDER BY ALL`)
			tables[i] = append(tables[i], rowsOf(t, db, `SELECT * FROM agg_power_meter_day_batches ORDER BY ALL`)...)
			if n := count(t, db, `SELECT count(*) FROM agg_power_meter_days WHERE night_late_kwh IS NULL`); n == 0 {
				t.Errorf("block=%d: no meter-day without night readings: the NULL case is not compared", block)
			}
		}
		if len(tables[0]) < 3*5+3*3+3*2+3*2+1+3*2 {
			t.Fatalf("block=%d: only %d meter-days", block, len(tables[0]))
		}
		if fmt.Sprint(tables[0]) != fmt.Sprint(tables[1]) {
			for k := range max(len(tables[0]), len(tables[1])) {
				var a, b []string
				if k < len(tables[0]) {
					a = tables[0][k]
				}
				if k < len(tables[1]) {
					b = tables[1][k]
				}
				if fmt.Sprint(a) != fmt.Sprint(b) {
					t.Errorf("block=%d: parser %v, SQL %v", block, a, b)
				}
			}
		}
	}
}

// The test's kWh are summed in an order that matters: added up backwards, some of meter 1's five
// days in the meter-major file (the first 120 values drawn) differ in their last bits, so the
// comparison above would see another order.
func TestMeterDaysOrderMatters(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	differ := false
	for range 5 {
		var vals []float64
		for range 24 {
			var v float64
			fmt.Sscan(fmt.Sprintf("%d.%02d", rng.IntN(40), rng.IntN(100)), &v)
			vals = append(vals, v)
		}
		var fwd, back float64
		for i := range vals {
			fwd += vals[i]
			back += vals[len(vals)-1-i]
		}
		differ = differ || fwd != back
	}
	if !differ {
		t.Fatal("no meter-day's sum depends on the order of its readings")
	}
}
