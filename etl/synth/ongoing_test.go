package synth

import (
	"testing"
)

// Every patrol after the scenario lies in a configured period or the look-back, in a file that
// arrives on or after its day, for many seeds (the loader refuses a file stating a later day).
func TestOngoingPatrolsArriveAfterTheirDays(t *testing.T) {
	for seed := int64(1); seed <= 40; seed++ {
		w := planned(t, "tiny", seed)
		ps := w.ongoingPatrols()
		if len(ps) == 0 {
			t.Fatal("no patrol after the scenario")
		}
		for _, p := range ps {
			if p.Day > p.Recv {
				t.Fatalf("seed %d: %s patrol of %s in %s, received %s", seed, p.township, p.Day, p.file, p.Recv)
			}
			if p.Day <= w.Scale.ReadTo {
				t.Fatalf("seed %d: %s patrol of %s before the scenario's last day %s", seed, p.township, p.Day, w.Scale.ReadTo)
			}
		}
	}
}
