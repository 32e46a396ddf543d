package rsstest

import (
	"runtime"
	"testing"

	"landwatch/internal/rss"
)

// touch allocates n bytes and writes to every page, so that they are resident.
func touch(n int) []byte {
	b := make([]byte, n)
	for i := 0; i < len(b); i += 4096 {
		b[i] = 1
	}
	return b
}

// Both ways of measuring see 64 MiB made resident inside the run, and one run that allocates
// nothing much grows by far less.
func TestDuring(t *testing.T) {
	for _, poll := range []bool{false, true} {
		forcePoll = poll
		var held []byte
		u := During(t, func() { held = touch(64 << 20) })
		runtime.KeepAlive(held)
		if u.Before <= 0 || u.Growth() < 48<<20 {
			t.Errorf("poll %v: 64 MiB touched, measured %+v (growth %d MiB)", poll, u, u.MiB())
		}
		held = nil
		// Memory freed before the run is not counted in it.
		quiet := During(t, func() {})
		if quiet.Growth() > 16<<20 {
			t.Errorf("poll %v: an empty run grew by %d MiB", poll, quiet.MiB())
		}
	}
	forcePoll = false
}

// The kernel's peak mark sees memory touched and freed within the run, which sampling at the end
// alone would miss. Where the mark cannot be reset, bounds are measured by sampling, which can
// miss a short peak: that is said as a failure.
func TestDuringPeakInside(t *testing.T) {
	if err := rss.ResetPeak(); err != nil {
		t.Fatalf("%v: memory bounds here are measured by sampling VmRSS, which can miss a short peak", err)
	}
	u := During(t, func() {
		b := touch(64 << 20)
		runtime.KeepAlive(b)
	})
	if u.Growth() < 48<<20 {
		t.Errorf("64 MiB touched and dropped inside the run: growth %d MiB", u.MiB())
	}
}
