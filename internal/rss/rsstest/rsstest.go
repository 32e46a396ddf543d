// Package rsstest measures, in a test, how far the process's resident memory rises while a
// function runs. It fails the test when the figure cannot be read, so that a memory bound never
// passes for want of a measurement.
package rsstest

import (
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
// memory back) and its peak while fn ran. The peak is the kernel's own mark (VmHWM), reset just
// before fn; where the mark cannot be reset the resident set (VmRSS) is sampled every millisecond
// and once more after fn. Any figure that cannot be read fails the test at once.
func During(t testing.TB, fn func()) Usage {
	t.Helper()
	debug.FreeOSMemory()
	before, err := rss.Current()
	if err != nil {
		t.Fatalf("memory before the measured run: %v", err)
	}
	resetErr := rss.ResetPeak()
	if resetErr == nil && !forcePoll {
		fn()
		peak, err := rss.Peak()
		if err != nil {
			t.Fatalf("memory peak of the measured run: %v", err)
		}
		return Usage{Before: before, Peak: max(peak, before)}
	}
	if resetErr != nil {
		t.Logf("%v; sampling VmRSS every %v instead", resetErr, pollEvery)
	}
	var (
		mu      sync.Mutex
		peak    = before
		readErr error
	)
	sample := func() {
		r, err := rss.Current()
		mu.Lock()
		defer mu.Unlock()
		if err != nil && readErr == nil {
			readErr = err
		}
		peak = max(peak, r)
	}
	stop, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		tick := time.NewTicker(pollEvery)
		defer tick.Stop()
		for {
			sample()
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	fn()
	close(stop)
	<-stopped
	sample()
	if readErr != nil {
		t.Fatalf("memory during the measured run: %v", readErr)
	}
	return Usage{Before: before, Peak: peak}
}
