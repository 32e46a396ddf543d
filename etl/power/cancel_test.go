package power_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"landwatch/etl/batch"
	"landwatch/etl/power"
)

// A load cancelled at each known point of its way — while the Go parser hands DuckDB its readings,
// once every reading is inserted, and just before the commit — answers with the cancellation and
// leaves nothing of the file behind; the same file then loads in full.
func TestCancelMidLoad(t *testing.T) {
	var b strings.Builder
	b.WriteString("户号,时间,电量\n")
	base := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	const hours = 8760
	meters := []string{"1430000001", "1430000002", "1430000003"}
	for h := range hours {
		ts := base.Add(time.Duration(h) * time.Hour).Format("2006-01-02 15:04:05")
		for _, m := range meters {
			b.WriteString(m + "," + ts + ",1.5\n")
		}
	}
	readings := b.String()
	for _, c := range []struct {
		fast  bool
		point string
	}{
		{true, batch.PauseReadingsChunk}, {true, batch.PauseReadingsLoaded}, {true, batch.PauseCommit},
		{false, batch.PauseReadingsLoaded}, {false, batch.PauseCommit},
	} {
		t.Run(fmt.Sprintf("go parser %v, %s", c.fast, c.point), func(t *testing.T) {
			oldFast, oldBlock := *power.FastPowerCSV, *power.FastBlock
			defer func() { *power.FastPowerCSV, *power.FastBlock = oldFast, oldBlock }()
			*power.FastPowerCSV, *power.FastBlock = c.fast, 64<<10 // several blocks, so the parser hands DuckDB several chunks
			db, cfg := openDB(t)
			load(t, db, cfg, KindMeters, fixture("用电户档案.csv"))
			path := writeFile(t, "big.csv", readings)
			before := leftBehind(t, db, "raw_power_readings", KindPower)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			reached := cancelAt(t, c.point, cancel)
			r, err := LoadFile(ctx, db, cfg, KindPower, path, Options{LoadedBy: "test"})
			if !reached() {
				t.Fatalf("the load never reached %q (result %+v, error %v)", c.point, r, err)
			}
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("want the cancellation, got %+v, %v", r, err)
			}
			if after := leftBehind(t, db, "raw_power_readings", KindPower); fmt.Sprint(after) != fmt.Sprint(before) {
				t.Errorf("left behind: %v, before the load %v", after, before)
			}
			batch.PauseAt.Store(nil)
			again := load(t, db, cfg, KindPower, path)
			if again.AlreadyLoaded || again.Rows != hours*int64(len(meters)) {
				t.Errorf("the same file after the cancelled load: %+v", again)
			}
			if n := count(t, db, `SELECT count(*) FROM raw_power_readings WHERE batch_id = ?`, again.BatchID); n != hours*len(meters) {
				t.Errorf("%d readings after the second load, want %d", n, hours*len(meters))
			}
		})
	}
}
