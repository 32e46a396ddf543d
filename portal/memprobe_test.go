package portal

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// procStatusBytes reads one field of /proc/self/status (VmRSS, VmHWM) in bytes; an error when the
// file or the field cannot be read, so a test measuring memory fails instead of passing blind.
func procStatusBytes(field string) (int64, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), field+":")
		if !ok {
			continue
		}
		v := strings.TrimSpace(rest)
		num, ok := strings.CutSuffix(v, " kB")
		if !ok {
			return 0, fmt.Errorf("/proc/self/status %s: unexpected value %q", field, v)
		}
		kb, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
		if err != nil || kb <= 0 {
			return 0, fmt.Errorf("/proc/self/status %s: unexpected value %q", field, v)
		}
		return kb << 10, nil
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("/proc/self/status has no %s", field)
}

// memProbe measures the process's peak resident memory over a stretch of a test, as growth over
// the resident memory at its start (after a collection that returns free memory to the system).
// The peak is the larger of a sampled VmRSS (every millisecond) and VmHWM when the kernel let the
// probe reset it (/proc/self/clear_refs) at the start. Any failure to read is a test failure.
type memProbe struct {
	t        *testing.T
	base     int64
	hwmReset bool
	mu       sync.Mutex
	peak     int64
	err      error
	stop     chan struct{}
	done     chan struct{}
}

func startMemProbe(t *testing.T) *memProbe {
	t.Helper()
	runtime.GC()
	debug.FreeOSMemory()
	base, err := procStatusBytes("VmRSS")
	if err != nil {
		t.Fatalf("memory probe: %v", err)
	}
	if _, err := procStatusBytes("VmHWM"); err != nil {
		t.Fatalf("memory probe: %v", err)
	}
	p := &memProbe{t: t, base: base, peak: base, stop: make(chan struct{}), done: make(chan struct{})}
	p.hwmReset = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
	go func() {
		defer close(p.done)
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			r, err := procStatusBytes("VmRSS")
			p.mu.Lock()
			if err != nil && p.err == nil {
				p.err = err
			}
			p.peak = max(p.peak, r)
			p.mu.Unlock()
			select {
			case <-p.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return p
}

// finish stops sampling and returns the peak growth over the start, in bytes.
func (p *memProbe) finish() int64 {
	p.t.Helper()
	close(p.stop)
	<-p.done
	if p.err != nil {
		p.t.Fatalf("memory probe: %v", p.err)
	}
	peak := p.peak
	if p.hwmReset {
		hwm, err := procStatusBytes("VmHWM")
		if err != nil {
			p.t.Fatalf("memory probe: %v", err)
		}
		peak = max(peak, hwm)
	}
	return peak - p.base
}

// retained is the resident memory still held over the start once garbage is collected and free
// memory returned to the system.
func (p *memProbe) retained() int64 {
	p.t.Helper()
	runtime.GC()
	debug.FreeOSMemory()
	r, err := procStatusBytes("VmRSS")
	if err != nil {
		p.t.Fatalf("memory probe: %v", err)
	}
	return r - p.base
}

func TestMemProbeReads(t *testing.T) {
	for _, f := range []string{"VmRSS", "VmHWM"} {
		if v, err := procStatusBytes(f); err != nil || v <= 0 {
			t.Errorf("%s: %d %v", f, v, err)
		}
	}
	if _, err := procStatusBytes("VmNoSuchField"); err == nil {
		t.Error("a missing field reads without error")
	}
}
