// Package rsstest measures, in a test, how far the process's resident memory rises while a
// function runs. It fails the test when the figure cannot be read, so that a memory bound never
// passes for want of a measurement.
package rsstest

import (
	"runtime"
	"runtime/debug"
	"sync"
	"testing"
	"time"

	"landwatch/internal/rss"
)

// Usage is the process's resident set size before a function ran and at its peak while it ran,
// in bytes.
type Usage struct {
	Before, Peak int64
}

// Growth is how far the peak rose above the size before.
func (u Usage) Growth() int64 { return u.Peak - u.Before }

// MiB is the growth in whole MiB, for messages.
func (u Usage) MiB() int64 { return u.Growth() >> 20 }

// pollEvery is how often the resident set is sampled when the kernel's peak mark cannot be reset.
var pollEvery = time.Millisecond

// forcePoll makes During sample instead of reading the peak mark (its own test covers that way).
var forcePoll = false

// During runs fn and returns the resident set before it (after the runtime has given freed
// memory back) and its peak while fn ran (see Start). Any figure that cannot be read fails the
// test at once.
func During(t testing.TB, fn func()) Usage {
	t.Helper()
	p := Start(t)
	fn()
	return p.Finish()
}

// Probe measures a stretch of a test between Start and Finish.
type Probe struct {
	t       testing.TB
	before  int64
	polling bool
	mu      sync.Mutex
	peak    int64
	readErr error
	stop    chan struct{}
	stopped chan struct{}
}

// Start reads the resident set (after the runtime has given freed memory back) and begins
// watching its peak: the kernel's own mark (VmHWM), reset here; where the mark cannot be reset
// the resident set (VmRSS) is sampled every millisecond and once more at Finish.
func Start(t testing.TB) *Probe {
	t.Helper()
	runtime.GC()
	debug.FreeOSMemory()
	before, err := rss.Current()
	if err != nil {
		t.Fatalf("memory before the measured run: %v", err)
	}
	p := &Probe{t: t, before: before, peak: before}
	resetErr := rss.ResetPeak()
	if resetErr == nil && !forcePoll {
		return p
	}
	if resetErr != nil {
		t.Logf("%v; sampling VmRSS every %v instead", resetErr, pollEvery)
	}
	p.polling = true
	p.stop, p.stopped = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(p.stopped)
		tick := time.NewTicker(pollEvery)
		defer tick.Stop()
		for {
			p.sample()
			select {
			case <-p.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return p
}

func (p *Probe) sample() {
	r, err := rss.Current()
	p.mu.Lock()
	defer p.mu.Unlock()
	if err != nil && p.readErr == nil {
		p.readErr = err
	}
	p.peak = max(p.peak, r)
}

// Finish ends the measurement and returns the resident set at Start and its peak since.
func (p *Probe) Finish() Usage {
	p.t.Helper()
	if !p.polling {
		peak, err := rss.Peak()
		if err != nil {
			p.t.Fatalf("memory peak of the measured run: %v", err)
		}
		return Usage{Before: p.before, Peak: max(peak, p.before)}
	}
	close(p.stop)
	<-p.stopped
	p.sample()
	if p.readErr != nil {
		p.t.Fatalf("memory during the measured run: %v", p.readErr)
	}
	return Usage{Before: p.before, Peak: p.peak}
}

// Retained is how much of the resident set is still held over the size at Start once garbage is
// collected and free memory returned to the system.
func (p *Probe) Retained() int64 {
	p.t.Helper()
	runtime.GC()
	debug.FreeOSMemory()
	r, err := rss.Current()
	if err != nil {
		p.t.Fatalf("memory after the measured run: %v", err)
	}
	return r - p.before
}
