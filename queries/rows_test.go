package queries

import "testing"

// A run reports each table model's rows as the table holds them (build reads them from CREATE
// TABLE … AS, which returns the rows it wrote) and -1 for a view; a kept table (reuse.go) reports
// the rows stored when it was built, which are still its rows.
func TestRunCountsRows(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.insert("raw_meters", row{"meter_id": "M1", "customer_type": "关闭矿井", "township": t1, "village": v1})
	for _, ts := range []string{"2023-04-03 10:00:00", "2023-04-04 10:00:00", "2023-04-05 10:00:00"} {
		f.insert("raw_power_readings", row{"meter_id": "M1", "ts": ts, "kwh": 500.0})
	}
	for round := 1; round <= 2; round++ {
		res := f.run("2023-04-30")
		nonEmpty := 0
		for _, m := range res.Models {
			if m.Materialized == "view" {
				if m.Rows != -1 {
					t.Errorf("round %d: view %s reports %d rows, want -1", round, m.Name, m.Rows)
				}
				continue
			}
			n := f.one(`SELECT count(*) AS n FROM ` + m.Name)["n"].(int64)
			if m.Rows != n {
				t.Errorf("round %d: %s reports %d rows, holds %d", round, m.Name, m.Rows, n)
			}
			if n > 0 {
				nonEmpty++
			}
		}
		if nonEmpty < 10 {
			t.Errorf("round %d: only %d tables hold rows; the check needs some", round, nonEmpty)
		}
	}
}
