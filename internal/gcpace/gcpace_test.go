package gcpace

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
)

func TestPercentFor(t *testing.T) {
	for _, c := range []struct {
		base uint64
		want int
	}{
		{0, maxPercent},
		{1 << 10, maxPercent}, // a tiny heap: bounded
		{4 << 20, 6400},       // 4 MiB: grow by 256 MiB
		{64 << 20, 400},       // 64 MiB: grow by 256 MiB
		{Headroom, 100},       // from here on the default
		{4 * Headroom, 100},
	} {
		if got := percentFor(c.base, c.base); got != c.want {
			t.Errorf("percentFor(%d) = %d, want %d", c.base, got, c.want)
		}
	}
}

// TestStartStop: the pacing raises the percentage while in force, re-arms itself across cycles,
// holds until the last of overlapping Starts stops, and then puts back what was set before.
func TestStartStop(t *testing.T) {
	t.Setenv("GOGC", "")
	before := debug.SetGCPercent(77)
	defer debug.SetGCPercent(before)
	stop1 := Start()
	stop2 := Start()
	for range 3 {
		runtime.GC()
		runtime.GC() // the finalizer of the first cycle's sentinel runs, then the next is armed
	}
	if p := current(); p <= 100 {
		t.Fatalf("percentage while paced = %d, want > 100", p)
	}
	// the percentage follows the live heap from cycle to cycle: with 96 MiB more alive it drops
	low := current()
	keep := make([]byte, 96<<20)
	for range 3 {
		runtime.GC()
		runtime.GC()
	}
	if p := current(); p >= low || p < 100 {
		t.Fatalf("percentage with 96 MiB more alive = %d, want below %d and at least 100", p, low)
	}
	runtime.KeepAlive(keep)
	stop1()
	stop1()
	runtime.GC()
	if p := current(); p <= 100 {
		t.Fatalf("percentage after one of two stops = %d, want > 100", p)
	}
	stop2()
	if p := current(); p != 77 {
		t.Fatalf("percentage after both stops = %d, want 77", p)
	}
	runtime.GC()
	runtime.GC()
	if p := current(); p != 77 {
		t.Fatalf("percentage after cycles past the stop = %d, want 77 (a sentinel kept pacing)", p)
	}
}

// TestGOGCStands: with GOGC set, Start changes nothing.
func TestGOGCStands(t *testing.T) {
	t.Setenv("GOGC", "150")
	before := debug.SetGCPercent(150)
	defer debug.SetGCPercent(before)
	stop := Start()
	runtime.GC()
	runtime.GC()
	if p := current(); p != 150 {
		t.Fatalf("percentage with GOGC=150 = %d", p)
	}
	stop()
}

// current reads the percentage without setting it (the finalizer may be setting it meanwhile).
func current() int {
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	metrics.Read(s)
	return int(s[0].Value.Uint64())
}
