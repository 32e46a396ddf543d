package queries

import (
	"fmt"
	"testing"
)

// PrepareMeterDays, before any models run, stores every batch's meter-days split by the configured
// night hours: the run that follows reads them instead of aggregating again, and its model equals
// the readings.
func TestPrepareMeterDays(t *testing.T) {
	f := newFixture(t)
	f.insert("raw_meters", row{"meter_id": "M1", "customer_type": "关闭矿井", "township": t1, "village": v1})
	a := f.newBatch("power")
	for _, ts := range []string{"2023-04-03 10:00:00", "2023-04-03 22:00:00", "2023-04-04 03:00:00"} {
		f.insert("raw_power_readings", row{"meter_id": "M1", "ts": ts, "kwh": 10.0})
	}
	if err := PrepareMeterDays(f.ctx, f.db); err != nil {
		t.Fatal(err)
	}
	if got, want := f.meterDayBatches(), fmt.Sprintf("%d:3/2 ", a); got != want {
		t.Fatalf("prepared %q, want %q", got, want)
	}
	// the run keeps them: a marked row shows that it read the stored meter-days
	f.exec(`UPDATE agg_power_meter_days SET kwh = kwh + 1000 WHERE batch_id = ?`, a)
	f.run("2023-04-30")
	if got := f.one(`SELECT max(kwh) AS kwh FROM int_power_meter_days`); got["kwh"] != 1020.0 {
		t.Fatalf("the run read %v, want the prepared 1020: it aggregated again (other night hours?)", got["kwh"])
	}
	f.exec(`UPDATE agg_power_meter_days SET kwh = kwh - 1000 WHERE batch_id = ?`, a)
	f.run("2023-04-30")
	f.sameAsReadings("after prepare", f.db)
	// nothing new: a second prepare changes nothing
	if err := PrepareMeterDays(f.ctx, f.db); err != nil {
		t.Fatal(err)
	}
	if got, want := f.meterDayBatches(), fmt.Sprintf("%d:3/2 ", a); got != want {
		t.Fatalf("prepared again %q, want %q", got, want)
	}
}
