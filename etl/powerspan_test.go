package etl

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
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
	defer func(block int) { fastBlock = block }(fastBlock)
	for _, block := range []int{1, 40, 8 << 20} {
		fastBlock = block
		db, cfg := openDB(t)
		load(t, db, cfg, KindMeters, fixture("用电户档案.csv"))
		for _, c := range cases {
			before, fast := sqlChecks.duplicates.Load(), fastLoads.Load()
			path := writeFile(t, c.name, c.content)
			if c.want == "" {
				r := load(t, db, cfg, KindPower, path)
				db.Exec(`DELETE FROM raw_power_readings WHERE batch_id = ?`, r.BatchID)
				db.Exec(`DELETE FROM load_batches WHERE batch_id = ?`, r.BatchID)
			} else {
				refusedReadings(t, db, cfg, path, c.want)
			}
			if fastLoads.Load() == fast && c.want == "" {
				t.Errorf("%s block=%d: not read by the Go parser", c.name, block)
			}
			if ran := sqlChecks.duplicates.Load() > before; ran != c.sql {
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
	defer func(block int) { fastBlock = block }(fastBlock)
	for _, block := range []int{1, 8 << 20} {
		fastBlock = block
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
			before := sqlChecks.overlap.Load()
			path := writeFile(t, c.name, c.content)
			if c.want == "" {
				r := load(t, db, cfg, KindPower, path)
				db.Exec(`DELETE FROM raw_power_readings WHERE batch_id = ?`, r.BatchID)
				db.Exec(`DELETE FROM load_batches WHERE batch_id = ?`, r.BatchID)
			} else {
				refusedReadings(t, db, cfg, path, c.want)
			}
			if ran := sqlChecks.overlap.Load() > before; ran != c.join {
				t.Errorf("%s block=%d: joined %v, want %v", c.name, block, ran, c.join)
			}
		}
	}
}
