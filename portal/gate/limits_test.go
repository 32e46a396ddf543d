package gate

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestBackoffBounded: a limiter keeps long keys as hashes, sweeps keys whose failures are
// forgotten, and holds at most its cap of keys under a flood of new ones.
func TestBackoffBounded(t *testing.T) {
	now := time.Date(2023, 3, 10, 9, 0, 0, 0, time.UTC)
	b := NewBackoff(5, time.Second, time.Minute)
	b.maxKeys = 100
	long := strings.Repeat("名", 100000)
	b.Fail(long, now)
	if b.Failures(long, now) != 1 || b.Size() != 1 {
		t.Fatalf("a long key: %d failures, %d keys", b.Failures(long, now), b.Size())
	}
	for k := range b.m {
		if len(k) > maxKeyLen {
			t.Errorf("key of %d bytes kept", len(k))
		}
	}
	for i := range 1000 {
		b.Fail(fmt.Sprintf("10.0.%d.%d", i/250, i%250), now.Add(time.Duration(i)*time.Millisecond))
		if b.Size() > b.maxKeys {
			t.Fatalf("%d keys after %d new ones (cap %d)", b.Size(), i+1, b.maxKeys)
		}
	}
	if b.Failures("10.0.3.249", now.Add(time.Second)) != 1 {
		t.Error("the newest key was dropped")
	}
	later := now.Add(b.forget + sweepEvery + time.Second)
	b.Fail("10.9.9.9", later)
	if b.Size() != 1 {
		t.Errorf("%d keys kept after their failures were forgotten, want 1", b.Size())
	}
}
