package rss

import (
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	status := "Name:\tx\nVmPeak:\t    3060 kB\nVmHWM:\t    1620 kB\nVmRSS:\t     1500 kB\nThreads:\t1\n"
	for field, want := range map[string]int64{"VmRSS": 1500 << 10, "VmHWM": 1620 << 10} {
		if got, err := parse([]byte(status), field); err != nil || got != want {
			t.Errorf("%s: %d, %v; want %d", field, got, err, want)
		}
	}
	for _, c := range []struct{ status, want string }{
		{"Name:\tx\nThreads:\t1\n", "没有 VmRSS 一行"},
		{"", "没有 VmRSS 一行"},
		{"VmRSS:\t\n", "不以 kB 为单位"},
		{"VmRSS:\t 12 MB\n", "不以 kB 为单位"},
		{"VmRSS:\t x kB\n", "不是正整数"},
		{"VmRSS:\t 0 kB\n", "不是正整数"},
		{"VmRSS:\t -5 kB\n", "不是正整数"},
		{"VmRSSx:\t 5 kB\n", "没有 VmRSS 一行"},
	} {
		got, err := parse([]byte(c.status), "VmRSS")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %d, %v; want an error with %q", c.status, got, err, c.want)
		}
	}
}

// The process's own figures: positive, the peak at least the current size; 64 MiB touched raise
// both, and once they are freed a reset brings the peak back down.
func TestSelf(t *testing.T) {
	must := func(v int64, err error) int64 {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	debug.FreeOSMemory()
	cur, peak := must(Current()), must(Peak())
	if cur <= 0 || peak < cur {
		t.Fatalf("VmRSS %d, VmHWM %d", cur, peak)
	}
	big := make([]byte, 64<<20)
	for i := 0; i < len(big); i += 4096 {
		big[i] = 1
	}
	grown := must(Current())
	if grown-cur < 48<<20 {
		t.Errorf("64 MiB touched: VmRSS %d MiB → %d MiB", cur>>20, grown>>20)
	}
	high := must(Peak())
	if high < grown {
		t.Errorf("VmHWM %d below VmRSS %d", high, grown)
	}
	runtime.KeepAlive(big)
	big = nil
	debug.FreeOSMemory()
	if err := ResetPeak(); err != nil {
		t.Fatal(err)
	}
	if low := must(Peak()); high-low < 32<<20 {
		t.Errorf("after freeing 64 MiB and a reset the peak is %d MiB (was %d MiB)", low>>20, high>>20)
	}
}
