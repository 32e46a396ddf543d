package aggregates

import (
	"strings"
	"testing"
)

// The night hours and the batches are put in place of every parameter the Spark job fills from
// its own tables; no batch matches nothing.
func TestMeterDaysParameters(t *testing.T) {
	q, err := MeterDays(6, 22, []int64{3, 17})
	if err != nil {
		t.Fatal(err)
	}
	var code []string // the SQL without its comments
	for _, l := range strings.Split(q, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "--") {
			code = append(code, l)
		}
	}
	for _, left := range []string{"FROM p)", "meter_day_batches"} {
		if strings.Contains(strings.Join(code, "\n"), left) {
			t.Errorf("%q left in the SQL:\n%s", left, q)
		}
	}
	for _, want := range []string{"hour(r.ts) >= 6 AND hour(r.ts) < 22", "hour(r.ts) >= 22", "hour(r.ts) < 6", "r.batch_id IN (3, 17)"} {
		if !strings.Contains(q, want) {
			t.Errorf("no %q in the SQL:\n%s", want, q)
		}
	}
	if q, _ := MeterDays(6, 22, nil); !strings.Contains(q, "r.batch_id IN (NULL)") {
		t.Errorf("no batches: %s", q)
	}
}
