package power_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"landwatch/campaign"
	"landwatch/etl/power"
	"landwatch/warehouse"
)

// TestPowerReadingsPlausible: a reading given twice in one file (same 户号 and 时间), a reading
// already loaded by an earlier batch, and a kWh above the configured ceiling are refused, naming
// the rows (and the earlier batch); nothing of the file is loaded. Loading the same file again
// stays a no-op, on both parsers.
func TestPowerReadingsPlausible(t *testing.T) {
	for _, fast := range []bool{true, false} {
		name := "read_csv"
		if fast {
			name = "go parser"
		}
		t.Run(name, func(t *testing.T) {
			old := *power.FastPowerCSV
			*power.FastPowerCSV = fast
			defer func() { *power.FastPowerCSV = old }()
			db, cfg := openDB(t)
			load(t, db, cfg, KindMeters, fixture("用电户档案.csv"))
			path := writeFile(t, "dup.csv", "户号,时间,电量\n1430000001,2023-03-05 00:00:00,1\n1430000001,2023-03-05 01:00:00,2\n1430000001,2023-03-05 00:00:00,3\n")
			refused(t, db, cfg, KindPower, path, "dup.csv 第4行 时间: “2023-03-05 00:00:00” 与第2行重复")

			first := writeFile(t, "march.csv", "户号,时间,电量\n1430000001,2023-03-06 00:00:00,1\n1430000001,2023-03-06 01:00:00,2\n")
			b := load(t, db, cfg, KindPower, first)
			if again := load(t, db, cfg, KindPower, first); !again.AlreadyLoaded {
				t.Fatal("the same file loaded twice")
			}
			overlap := writeFile(t, "march2.csv", "户号,时间,电量\n1430000001,2023-03-06 02:00:00,1\n1430000001,2023-03-06 01:00:00,2\n")
			refusedReadings(t, db, cfg, overlap, "march2.csv 第3行 时间: “2023-03-06 01:00:00” 户号1430000001此时间的读数已由批次"+strconv.FormatInt(b.BatchID, 10)+"（march.csv）导入")

			huge := writeFile(t, "huge.csv", "户号,时间,电量\n1430000001,2023-03-07 00:00:00,1\n1430000001,2023-03-07 01:00:00,1e29\n")
			refusedReadings(t, db, cfg, huge, "huge.csv 第3行 电量: “1e+29” 超过每个时段 100000 千瓦时的上限")
			if n := count(t, db, `SELECT count(*) FROM raw_power_readings`); n != 2 {
				t.Fatalf("%d readings loaded", n)
			}
		})
	}
}

// refusedReadings loads a bad readings file into a warehouse that has readings already and checks
// the messages and that nothing was added.
func refusedReadings(t *testing.T, db *warehouse.DB, cfg *campaign.Config, path string, want ...string) {
	t.Helper()
	before := count(t, db, `SELECT count(*) FROM raw_power_readings`)
	batches := count(t, db, `SELECT count(*) FROM load_batches`)
	_, err := LoadFile(context.Background(), db, cfg, KindPower, path, Options{})
	var fe *FileError
	if !errors.As(err, &fe) {
		t.Fatalf("want a FileError, got %v", err)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error does not contain %q:\n%s", w, err)
		}
	}
	if after := count(t, db, `SELECT count(*) FROM raw_power_readings`); after != before {
		t.Errorf("readings %d → %d", before, after)
	}
	if after := count(t, db, `SELECT count(*) FROM load_batches`); after != batches {
		t.Errorf("batches %d → %d", batches, after)
	}
}
