package power_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"landwatch/etl/power"
)

// The Go parser leaves the duplicate check to SQL only for the meters whose times do not rise in
// file order, over small blocks read in parallel too: a file whose meters each rise needs no SQL
// check; a meter coming back to an earlier time — within a block, across blocks, interleaved with
// other meters — is still refused as a duplicate naming both rows, and one coming back without
// repeating a time loads.
func TestReadingsDuplicatesOutOfOrder(t *testing.T) {
	const h = "户号,时间,电量\n"
	var interleaved strings.Builder // hour-major: every meter each hour, then meter 1 at 03:00 again
	interleaved.WriteString(h)
	for hour := range 6 {
		for m := 1; m <= 3; m++ {
			fmt.Fprintf(&interleaved, "143000000%d,2023-03-05 %02d:00:00,1\n", m, hour)
		}
	}
	interleaved.WriteString("1430000001,2023-03-05 03:00:00,1\n") // line 20 repeats line 11
	cases := []struct {
		name, content string
		want          string // "" loads
		sql           bool   // the duplicate check had to run in SQL
	}{
		{"rising.csv", h + "1430000001,2023-03-05 00:00:00,1\n1430000002,2023-03-05 00:00:00,1\n1430000001,2023-03-05 01:00:00,1\n1430000002,2023-03-05 01:00:00,1\n", "", false},
		{"back.csv", h + "1430000001,2023-03-05 02:00:00,1\n1430000001,2023-03-05 00:00:00,1\n1430000001,2023-03-05 01:00:00,1\n", "", true},
		{"back-dup.csv", h + "1430000001,2023-03-05 02:00:00,1\n1430000002,2023-03-05 00:00:00,1\n1430000001,2023-03-05 00:00:00,1\n1430000001,2023-03-05 02:00:00,1\n",
			"back-dup.csv 第5行 时间: “2023-03-05 02:00:00” 与第2行重复（同一户号1430000001", true},
		{"same-time.csv", h + "1430000001,2023-03-05 02:00:00,1\n1430000001,2023-03-05 02:00:00,2\n",
			"第3行 时间: “2023-03-05 02:00:00” 与第2行重复", true},
		{"interleaved.csv", interleaved.String(), "第20行 时间: “2023-03-05 03:00:00” 与第11行重复（同一户号1430000001", true},
	}
	defer func(block int) { *power.FastBlock = block }(*power.FastBlock)
	for _, block := range []int{1, 40, 8 << 20} {
		*power.FastBlock = block
		db, cfg := openDB(t)
		load(t, db, cfg, KindMeters, fixture("用电户档案.csv"))
		for _, c := range cases {
			before, fast := power.SQLChecksDuplicates.Load(), power.FastLoads.Load()
			path := writeFile(t, c.name, c.content)
			if c.want == "" {
				r := load(t, db, cfg, KindPower, path)
				db.Exec(`DELETE FROM raw_power_readings WHERE batch_id = ?`, r.BatchID)
				db.Exec(`DELETE FROM load_batches WHERE batch_id = ?`, r.BatchID)
			} else {
				refusedReadings(t, db, cfg, path, c.want)
			}
			if power.FastLoads.Load() == fast && c.want == "" {
				t.Errorf("%s block=%d: not read by the Go parser", c.name, block)
			}
			if ran := power.SQLChecksDuplicates.Load() > before; ran != c.sql {
				t.Errorf("%s block=%d: duplicate check in SQL %v, want %v", c.name, block, ran, c.sql)
			}
		}
	}
}

// Overlap with earlier batches: the committed readings are joined only when a meter's range of
// times in the new file meets one of them. A file after the earlier ones needs no join; a file
// whose range spans an earlier reading without repeating it is joined and loads; one repeating a
// reading is refused naming the row and the earlier batch, wherever the row lies in the file.
func TestReadingsOverlapRanges(t *testing.T) {
	const h = "户号,时间,电量\n"
	defer func(block int) { *power.FastBlock = block }(*power.FastBlock)
	for _, block := range []int{1, 8 << 20} {
		*power.FastBlock = block
		db, cfg := openDB(t)
		load(t, db, cfg, KindMeters, fixture("用电户档案.csv"))
		first := load(t, db, cfg, KindPower, writeFile(t, "even.csv", h+"1430000001,2023-03-05 00:00:00,1\n1430000001,2023-03-05 02:00:00,1\n1430000002,2023-03-05 04:00:00,1\n"))
		cases := []struct {
			name, content, want string
			join                bool
		}{
			{"later.csv", h + "1430000001,2023-03-06 00:00:00,1\n1430000002,2023-03-05 05:00:00,1\n", "", false},
			{"other-meter.csv", h + "1430000003,2023-03-05 00:00:00,1\n1430000003,2023-03-05 02:00:00,1\n", "", false},
			{"between.csv", h + "1430000001,2023-03-05 01:00:00,1\n1430000002,2023-03-05 03:00:00,1\n1430000001,2023-03-05 03:00:00,1\n", "", true},
			{"repeat.csv", h + "1430000001,2023-03-05 01:00:00,1\n1430000002,2023-03-05 03:00:00,1\n1430000002,2023-03-05 04:00:00,1\n",
				"repeat.csv 第4行 时间: “2023-03-05 04:00:00” 户号1430000002此时间的读数已由批次" + strconv.FormatInt(first.BatchID, 10) + "（even.csv）导入", true},
			{"unordered-repeat.csv", h + "1430000001,2023-03-05 03:00:00,1\n1430000001,2023-03-05 00:00:00,1\n",
				"unordered-repeat.csv 第3行 时间: “2023-03-05 00:00:00” 户号1430000001此时间的读数已由批次" + strconv.FormatInt(first.BatchID, 10), true},
		}
		for _, c := range cases {
			before := power.SQLChecksOverlap.Load()
			path := writeFile(t, c.name, c.content)
			if c.want == "" {
				r := load(t, db, cfg, KindPower, path)
				db.Exec(`DELETE FROM raw_power_readings WHERE batch_id = ?`, r.BatchID)
				db.Exec(`DELETE FROM load_batches WHERE batch_id = ?`, r.BatchID)
			} else {
				refusedReadings(t, db, cfg, path, c.want)
			}
			if ran := power.SQLChecksOverlap.Load() > before; ran != c.join {
				t.Errorf("%s block=%d: joined %v, want %v", c.name, block, ran, c.join)
			}
		}
	}
}

// The Go parser counts the readings checkReadings would report — a bad value or a time outside the
// campaign's data spans — and a file without any is not scanned again; one with a single such
// reading, in its last block, is, and refused naming it. The spans' bounds hold to the day.
func TestReadingsFlaggedByParser(t *testing.T) {
	const h = "户号,时间,电量\n"
	cfg0 := campaignSpans(t)
	first, last := cfg0[0], cfg0[1]
	var rows strings.Builder
	rows.WriteString(h)
	for hour := range 24 {
		fmt.Fprintf(&rows, "1430000001,%s %02d:00:00,1\n", first, hour)
	}
	fmt.Fprintf(&rows, "1430000002,%s 23:00:00,1\n", last)
	good := rows.String()
	cases := []struct {
		name, content, want string
	}{
		{"good.csv", good, ""},
		{"before.csv", good + "1430000002,2022-12-31 23:00:00,1\n", "before.csv 第27行 时间: “2022-12-31 23:00:00” 不在专项行动的阶段或常态化周期内"},
		{"empty-kwh.csv", good + "1430000002,2023-03-05 23:00:00,\n", "empty-kwh.csv 第27行 电量: 不能为空"},
		{"unknown.csv", good + "1439999999,2023-03-05 23:00:00,1\n", "unknown.csv 第27行 户号: “1439999999” 不在用电户档案中"},
	}
	defer func(block int) { *power.FastBlock = block }(*power.FastBlock)
	for _, block := range []int{1, 100, 8 << 20} {
		*power.FastBlock = block
		db, cfg := openDB(t)
		load(t, db, cfg, KindMeters, fixture("用电户档案.csv"))
		for _, c := range cases {
			before := power.SQLChecksReadings.Load()
			path := writeFile(t, c.name, c.content)
			if c.want == "" {
				r := load(t, db, cfg, KindPower, path)
				db.Exec(`DELETE FROM raw_power_readings WHERE batch_id = ?`, r.BatchID)
				db.Exec(`DELETE FROM load_batches WHERE batch_id = ?`, r.BatchID)
			} else {
				refusedReadings(t, db, cfg, path, c.want)
			}
			if ran := power.SQLChecksReadings.Load() > before; ran != (c.want != "") {
				t.Errorf("%s block=%d: checkReadings ran %v", c.name, block, ran)
			}
		}
	}
}

// campaignSpans is the first and the last day of the default campaign's first data span.
func campaignSpans(t *testing.T) [2]string {
	t.Helper()
	_, cfg := openDB(t)
	s := cfg.DataSpans()[0]
	return [2]string{s.From.Format("2006-01-02"), s.To.Format("2006-01-02")}
}
