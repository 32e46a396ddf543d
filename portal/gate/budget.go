package gate

import (
	"context"
	"errors"
	"sync"
	"time"
)

// Budget bounds the bytes of request bodies the server holds at once, all requests together
// (portal.max_inflight_mb): each body takes its size before it is read and gives it back when its
// handler has returned. A body that does not fit waits; one larger than the whole budget goes
// alone. Without it, eight uploads of the largest size at once took gigabytes.
type Budget struct {
	mu    sync.Mutex
	limit int64
	used  int64
	freed chan struct{} // closed and replaced whenever bytes are given back
}

func NewBudget(limit int64) *Budget {
	return &Budget{limit: limit, freed: make(chan struct{})}
}

// ErrBusy answers a body that found no room in time.
var ErrBusy = errors.New("服务器正忙：同时提交的内容过多，请稍后再试")

// Take reserves n bytes, waiting at most wait (or until ctx ends); false when there was no room.
func (b *Budget) Take(ctx context.Context, n int64, wait time.Duration) bool {
	var timer <-chan time.Time
	for {
		b.mu.Lock()
		if b.used == 0 || b.used+n <= b.limit {
			b.used += n
			b.mu.Unlock()
			return true
		}
		freed := b.freed
		b.mu.Unlock()
		if timer == nil {
			t := time.NewTimer(wait)
			defer t.Stop()
			timer = t.C
		}
		select {
		case <-freed:
		case <-timer:
			return false
		case <-ctx.Done():
			return false
		}
	}
}

// Give returns n bytes taken before.
func (b *Budget) Give(n int64) {
	b.mu.Lock()
	b.used -= n
	close(b.freed)
	b.freed = make(chan struct{})
	b.mu.Unlock()
}

// InUse is the bytes held now.
func (b *Budget) InUse() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.used
}
