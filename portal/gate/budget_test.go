package gate

import (
	"context"
	"testing"
	"time"
)

// The budget of bytes in flight: bodies that fit go at once, one that does not waits until bytes
// are given back or is refused when none are, and one larger than the whole budget goes alone.
func TestByteBudget(t *testing.T) {
	ctx := context.Background()
	b := NewBudget(100)
	if !b.Take(ctx, 60, time.Hour) || !b.Take(ctx, 40, time.Hour) {
		t.Fatal("bodies within the budget waited")
	}
	if b.Take(ctx, 1, time.Millisecond) {
		t.Fatal("a body beyond the budget was let in while nothing was given back")
	}
	got := make(chan bool)
	go func() { got <- b.Take(ctx, 50, time.Hour) }()
	b.Give(60)
	if !<-got {
		t.Fatal("a waiting body was not let in when bytes were given back")
	}
	if b.InUse() != 90 {
		t.Errorf("in use %d, want 90", b.InUse())
	}
	b.Give(40)
	b.Give(50)
	if !b.Take(ctx, 500, time.Millisecond) {
		t.Error("a body larger than the whole budget was refused with nothing else in flight")
	}
	if b.Take(ctx, 1, time.Millisecond) {
		t.Error("a body was let in beside one larger than the budget")
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if b.Take(cancelled, 1, time.Hour) {
		t.Error("a body whose request ended was let in")
	}
}
