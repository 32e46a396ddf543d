package power_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"landwatch/etl/power"
)

// Readings are keyed to the configured interval (power.interval_minutes, hourly by default): five
// readings of one meter at 02:00:00.000001 … .000005, 90,000 kWh each, would add up to 450,000 kWh
// for the hour. A time that is not an interval's start is refused, every such row named with the
// interval's start, and nothing of the file is loaded — on the Go parser, on read_csv and from
// Parquet.
func TestReadingsOffIntervalRefused(t *testing.T) {
	const h = "户号,时间,电量\n"
	var attack strings.Builder
	attack.WriteString(h)
	for i := 1; i <= 5; i++ {
		fmt.Fprintf(&attack, "1430000001,2023-03-05 02:00:00.00000%d,90000\n", i)
	}
	cases := []struct {
		name, content string
		want          []string
	}{
		{"attack.csv", attack.String(), []string{
			"第2行 时间: “2023-03-05 02:00:00.000001” 不是读数时段的起点（读数间隔为60分钟",
			"第6行 时间: “2023-03-05 02:00:00.000005” 不是读数时段的起点",
			"此读数所在时段的起点为 2023-03-05 02:00:00"}},
		{"sub-second.csv", h + "1430000001,2023-03-05 01:00:00,1\n1430000001,2023-03-05 02:00:00.5,1\n", []string{
			"第3行 时间: “2023-03-05 02:00:00.5” 不是读数时段的起点"}},
		{"sub-interval.csv", h + "1430000001,2023-03-05 01:00:00,1\n1430000001,2023-03-05 02:30:00,1\n1430000002,2023-03-05 02:00:01,1\n1430000002,2023-03-05 03:00:00,-1\n", []string{
			"第3行 时间: “2023-03-05 02:30:00” 不是读数时段的起点（读数间隔为60分钟，见 power.interval_minutes；此读数所在时段的起点为 2023-03-05 02:00:00）",
			"第4行 时间: “2023-03-05 02:00:01” 不是读数时段的起点",
			"第5行 电量: “-1” 不能为负数"}}, // every error at once
	}
	for _, fast := range []bool{true, false} {
		t.Run(fmt.Sprint("fast=", fast), func(t *testing.T) {
			defer func(old bool) { *power.FastPowerCSV = old }(*power.FastPowerCSV)
			*power.FastPowerCSV = fast
			db, cfg := openDB(t)
			load(t, db, cfg, KindMeters, fixture("用电户档案.csv"))
			for _, c := range cases {
				fe := refused(t, db, cfg, KindPower, writeFile(t, c.name, c.content), c.want...)
				if !strings.Contains(fe.Error(), c.name) {
					t.Errorf("%s: the file is not named: %v", c.name, fe)
				}
				if n := count(t, db, `SELECT count(*) FROM raw_power_readings`); n != 0 {
					t.Fatalf("%s: %d readings loaded", c.name, n)
				}
			}
			// On the interval's start, the readings load; at a quarter-hour interval 02:15 does too.
			ok := load(t, db, cfg, KindPower, writeFile(t, "hours.csv", h+"1430000001,2023-03-05 00:00:00,1\n1430000001,2023-03-05 23:00:00,2\n1430000001,2023-03-06 00:00:00.000,3\n"))
			if ok.Rows != 3 {
				t.Fatalf("%d rows loaded on the hours", ok.Rows)
			}
			quarter := *cfg
			quarter.Power.IntervalMinutes = 15
			load(t, db, &quarter, KindPower, writeFile(t, "quarters.csv", h+"1430000001,2023-03-07 02:15:00,1\n1430000001,2023-03-07 02:45:00,2\n"))
			refusedReadings(t, db, &quarter, writeFile(t, "quarters2.csv", h+"1430000001,2023-03-08 02:20:00,1\n"),
				"第2行 时间: “2023-03-08 02:20:00” 不是读数时段的起点（读数间隔为15分钟", "时段的起点为 2023-03-08 02:15:00")
		})
	}
}

// With power.truncate_to_interval, a time within an interval moves to the interval's start; the
// attack's five readings then are one reading given five times, refused as duplicates.
func TestReadingsTruncatedToInterval(t *testing.T) {
	for _, fast := range []bool{true, false} {
		t.Run(fmt.Sprint("fast=", fast), func(t *testing.T) {
			defer func(old bool) { *power.FastPowerCSV = old }(*power.FastPowerCSV)
			*power.FastPowerCSV = fast
			db, cfg := openDB(t)
			load(t, db, cfg, KindMeters, fixture("用电户档案.csv"))
			trunc := *cfg
			trunc.Power.TruncateToInterval = true
			refused(t, db, &trunc, KindPower, writeFile(t, "attack.csv", "户号,时间,电量\n1430000001,2023-03-05 02:00:00.000001,90000\n1430000001,2023-03-05 02:00:00.000002,90000\n1430000001,2023-03-05 02:59:59,90000\n"),
				"第3行 时间: “2023-03-05 02:00:00” 与第2行重复", "第4行 时间: “2023-03-05 02:00:00” 与第2行重复")
			r := load(t, db, &trunc, KindPower, writeFile(t, "late.csv", "户号,时间,电量\n1430000001,2023-03-05 02:00:00.25,1\n1430000001,2023-03-05 03:30:00,2\n"))
			got := fmt.Sprint(rowsOf(t, db, `SELECT source_row, strftime(ts, '%Y-%m-%d %H:%M:%S.%f'), kwh FROM raw_power_readings WHERE batch_id = ? ORDER BY source_row`, r.BatchID))
			if want := "[[2 2023-03-05 02:00:00.000000 1] [3 2023-03-05 03:00:00.000000 2]]"; got != want {
				t.Errorf("truncated readings:\n got %s\nwant %s", got, want)
			}
		})
	}
}

// The Parquet path keys readings to the interval too: the attack as a Parquet file is refused by
// row, the same readings on the hour load.
func TestReadingsOffIntervalParquet(t *testing.T) {
	db, cfg := openDB(t)
	load(t, db, cfg, KindMeters, fixture("用电户档案.csv"))
	dir := t.TempDir()
	write := func(name, sel string) string {
		p := filepath.Join(dir, name)
		if _, err := db.Exec(fmt.Sprintf(`COPY (%s) TO '%s' (FORMAT parquet)`, sel, p)); err != nil {
			t.Fatal(err)
		}
		return p
	}
	attack := write("attack.parquet", `SELECT '1430000001' AS 户号, TIMESTAMP '2023-03-05 02:00:00' + i * INTERVAL 1 MICROSECOND AS 时间, 90000.0 AS 电量
		FROM range(1, 6) t(i) ORDER BY i`)
	refused(t, db, cfg, KindPower, attack, "attack.parquet 第1行 时间: “2023-03-05 02:00:00.000001” 不是读数时段的起点",
		"第5行 时间: “2023-03-05 02:00:00.000005” 不是读数时段的起点")
	if n := count(t, db, `SELECT count(*) FROM raw_power_readings`); n != 0 {
		t.Fatalf("%d readings loaded", n)
	}
	minutes := write("minutes.parquet", `SELECT '1430000001' AS 户号, TIMESTAMP '2023-03-05 02:00:00' + i * INTERVAL 20 MINUTE AS 时间, 1.0 AS 电量 FROM range(0, 3) t(i) ORDER BY i`)
	refused(t, db, cfg, KindPower, minutes, "第2行 时间: “2023-03-05 02:20:00” 不是读数时段的起点", "第3行 时间: “2023-03-05 02:40:00”")
	hours := write("hours.parquet", `SELECT '1430000001' AS 户号, TIMESTAMP '2023-03-05 02:00:00' + i * INTERVAL 1 HOUR AS 时间, 1.0 AS 电量 FROM range(0, 5) t(i) ORDER BY i`)
	if r := load(t, db, cfg, KindPower, hours); r.Rows != 5 {
		t.Fatalf("%d rows loaded", r.Rows)
	}
}
