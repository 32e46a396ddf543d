package power_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"landwatch/etl/power"
	"landwatch/warehouse"
)

// registryCSV is a meter registry whose ids are not all digits.
const registryCSV = "户号,户名,用电类别,乡镇,村,经度,纬度,地址,备注\n" +
	"M-1,甲,居民,郭道镇,郭道村,112.18,36.79,,\nM-2,乙,居民,郭道镇,郭道村,112.18,36.79,,\n" +
	"M-3,丙,居民,郭道镇,郭道村,112.18,36.79,,\nM-4,丁,居民,郭道镇,郭道村,112.18,36.79,,\n"

func meterKeys(t *testing.T, db *warehouse.DB) string {
	t.Helper()
	return fmt.Sprint(rowsOf(t, db, `SELECT meter_key, meter_id FROM power_meter_keys ORDER BY meter_key`))
}

// TestPowerMeterKeys: a readings load keys only the 户号 its file has (not digits here), with the
// next keys after those already handed out; a file that is refused (a 户号 not in the registry)
// leaves no key behind, of its unknown 户号 nor of its known ones; the
// readings read back through their keys are the file's, on every path (the Go parser, read_csv,
// Parquet).
func TestPowerMeterKeys(t *testing.T) {
	for _, path := range []string{"go parser", "read_csv", "parquet"} {
		t.Run(path, func(t *testing.T) {
			old := *power.FastPowerCSV
			*power.FastPowerCSV = path == "go parser"
			defer func() { *power.FastPowerCSV = old }()
			db, cfg := openDB(t)
			load(t, db, cfg, KindMeters, writeFile(t, "meters.csv", registryCSV))
			file := func(name, body string) string {
				p := writeFile(t, name+".csv", "户号,时间,电量\n"+body)
				if path != "parquet" {
					return p
				}
				pq := writeFile(t, name+".parquet", "")
				if _, err := db.Exec(fmt.Sprintf(`COPY (SELECT * FROM read_csv('%s', all_varchar = true)) TO '%s' (FORMAT parquet)`, p, pq)); err != nil {
					t.Fatal(err)
				}
				return pq
			}
			load(t, db, cfg, KindPower, file("a", "M-3,2023-03-05 00:00:00,1\nM-3,2023-03-05 01:00:00,2\nM-1,2023-03-05 00:00:00,3\n"))
			first := meterKeys(t, db) // the two keys' order is the parser's or the ids'
			if first != "[[1 M-1] [2 M-3]]" && first != "[[1 M-3] [2 M-1]]" {
				t.Fatalf("keys after the first file %s", first)
			}
			refusedReadings(t, db, cfg, file("bad", "M-2,2023-03-06 00:00:00,1\nX-9,2023-03-06 00:00:00,1\n"), "X-9", "不在用电户档案中")
			if got := meterKeys(t, db); got != first {
				t.Fatalf("keys after a refused file %s, before %s", got, first)
			}
			load(t, db, cfg, KindPower, file("b", "M-4,2023-03-07 00:00:00,4\nM-3,2023-03-07 00:00:00,5\n"))
			if got, want := meterKeys(t, db), first[:len(first)-1]+" [3 M-4]]"; got != want {
				t.Fatalf("keys after the second file %s, want %s", got, want)
			}
			got := fmt.Sprint(rowsOf(t, db, `SELECT k.meter_id, strftime(r.ts, '%d %H'), r.kwh FROM raw_power_readings r
				JOIN power_meter_keys k USING (meter_key) ORDER BY r.batch_id, r.source_row`))
			if want := "[[M-3 05 00 1] [M-3 05 01 2] [M-1 05 00 3] [M-4 07 00 4] [M-3 07 00 5]]"; got != want {
				t.Errorf("readings %s, want %s", got, want)
			}
		})
	}
}

// TestPowerMeterKeysConcurrent: readings loads running at the same time, each bringing 户号 new to
// the warehouse (some the same), hand out every key once and key every 户号 once; each load's
// readings keep their own 户号.
func TestPowerMeterKeysConcurrent(t *testing.T) {
	db, cfg := openDB(t)
	load(t, db, cfg, KindMeters, writeFile(t, "meters.csv", registryCSV))
	files := []string{
		writeFile(t, "a.csv", "户号,时间,电量\nM-1,2023-03-05 00:00:00,1\nM-3,2023-03-05 00:00:00,1\n"),
		writeFile(t, "b.csv", "户号,时间,电量\nM-2,2023-03-06 00:00:00,2\nM-3,2023-03-06 00:00:00,2\n"),
		writeFile(t, "c.csv", "户号,时间,电量\nM-4,2023-03-07 00:00:00,3\nM-1,2023-03-07 00:00:00,3\n"),
	}
	var wg sync.WaitGroup
	errs := make([]error, len(files))
	for i, f := range files {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = LoadFile(context.Background(), db, cfg, KindPower, f, Options{LoadedBy: "test"})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("load %s: %v", files[i], err)
		}
	}
	if n := count(t, db, `SELECT count(*) FROM power_meter_keys`); n != 4 ||
		count(t, db, `SELECT count(DISTINCT meter_key) FROM power_meter_keys`) != 4 || count(t, db, `SELECT count(DISTINCT meter_id) FROM power_meter_keys`) != 4 {
		t.Errorf("keys: %s", meterKeys(t, db))
	}
	got := fmt.Sprint(rowsOf(t, db, `SELECT k.meter_id, strftime(r.ts, '%d'), r.kwh FROM raw_power_readings r
		JOIN power_meter_keys k USING (meter_key) ORDER BY r.ts, k.meter_id`))
	if want := "[[M-1 05 1] [M-3 05 1] [M-2 06 2] [M-3 06 2] [M-1 07 3] [M-4 07 3]]"; got != want {
		t.Errorf("readings %s, want %s", got, want)
	}
}

// TestPowerMeterKeysManyUnknown: a file with more 户号 outside the registry than the parser keys in
// memory (power.maxOtherMeters) is left to read_csv, which names them as the parser would have,
// and leaves no key behind.
func TestPowerMeterKeysManyUnknown(t *testing.T) {
	old := *power.MaxOtherMeters
	*power.MaxOtherMeters = 2
	defer func() { *power.MaxOtherMeters = old }()
	db, cfg := openDB(t)
	load(t, db, cfg, KindMeters, writeFile(t, "meters.csv", registryCSV))
	fast := power.FastLoads.Load()
	refused(t, db, cfg, KindPower, writeFile(t, "x.csv", "户号,时间,电量\nM-1,2023-03-05 00:00:00,1\n"+
		"X-1,2023-03-05 00:00:00,1\nX-2,2023-03-05 00:00:00,1\nX-3,2023-03-05 00:00:00,1\n"),
		"x.csv 第3行 户号: “X-1” 不在用电户档案中", "第5行 户号: “X-3” 不在用电户档案中")
	if power.FastLoads.Load() != fast {
		t.Error("the Go parser's insert stood")
	}
	if got := meterKeys(t, db); got != "[]" {
		t.Errorf("keys left: %s", got)
	}
}
