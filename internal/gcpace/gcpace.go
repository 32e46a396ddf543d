// Package gcpace paces Go's garbage collector for a process whose garbage comes in large, short-lived
// blocks: the portal's receipt hashes each allocate 19 MiB (store/accounts/hashing.go) and drop it
// when the hash is done. With the default pacing (GOGC=100: a cycle when the heap has grown by as
// much as survived the last one) and a live heap of a few MiB, a cycle started every 2–3 hashes,
// and the cycles took 3–4 % of the server's CPU under a stream of tips (`landwatch bench tips
// --cpuprofile`).
//
// While Start is in effect the collector lets the heap grow by Headroom beyond what survived the
// last cycle, or by as much as the default does when that is more. So the heap between cycles
// stays within
//
//	live + max(base, Headroom)
//
// where live is the heap that survived the last cycle and base that with the goroutine stacks and
// globals (a few MiB; the default lets the heap reach live + base): at most Headroom (256 MiB)
// above the default, and the default itself once base reaches Headroom. A memory limit set with
// GOMEMLIMIT still applies on top. When GOGC is set in the environment, the operator's choice
// stands and Start changes nothing.
package gcpace

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// Headroom is how far the heap may grow beyond the live heap before a cycle starts: about 13
// receipt hashes' worth (128 MiB, about six, left the collector 1.5 % of the CPU under a stream of
// tips, against 3–4 % with the default).
const Headroom = 256 << 20

// maxPercent bounds the percentage set for a tiny live heap (Headroom ÷ live would be huge).
const maxPercent = 10000

var state struct {
	mu      sync.Mutex
	users   int // Start calls not yet stopped
	gen     int // bumped by each first Start, so a sentinel of an earlier period stops re-arming
	saved   int // the percentage before the first Start
	percent int // the percentage last set
}

// Start paces the collector as the package comment says until the returned stop is called (stop
// may be called more than once). Calls may overlap (several servers in one process): the pacing
// holds until the last of them stops, and then the percentage in force before the first returns.
func Start() (stop func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	state.mu.Lock()
	defer state.mu.Unlock()
	state.users++
	if state.users == 1 {
		state.gen++
		state.percent = percentFor(liveHeap())
		state.saved = debug.SetGCPercent(state.percent)
		arm(state.gen)
	}
	return sync.OnceFunc(func() {
		state.mu.Lock()
		defer state.mu.Unlock()
		state.users--
		if state.users == 0 {
			state.gen++
			debug.SetGCPercent(state.saved)
		}
	})
}

// percentFor is the GOGC percentage that lets the heap grow by max(base, Headroom), where base is
// what the runtime applies the percentage to: the live heap with the goroutine stacks and globals
// (the default, 100, lets it grow by base).
func percentFor(_, base uint64) int {
	if base == 0 {
		return maxPercent
	}
	return int(min(max(100, Headroom*100/base), maxPercent))
}

// sentinel is an object dropped at once; its finalizer runs after the cycle that collected it, and
// sets the percentage for the next cycle from the heap that survived this one.
// (It holds a pointer so that it is never one of the tiny allocator's blocks, whose finalizers may
// never run.)
type sentinel struct{ _ *byte }

func arm(gen int) {
	s := new(sentinel)
	runtime.SetFinalizer(s, func(*sentinel) { after(gen) })
}

// after runs on the finalizer goroutine after each cycle while the pacing of gen is in force.
func after(gen int) {
	state.mu.Lock()
	defer state.mu.Unlock()
	if gen != state.gen {
		return
	}
	if p := percentFor(liveHeap()); p != state.percent {
		debug.SetGCPercent(p)
		state.percent = p
	}
	arm(gen)
}

// liveHeap is the heap the last cycle found alive (0 before the first cycle) and that with the
// goroutine stacks and the globals, which the runtime's percentage also applies to.
func liveHeap() (live, base uint64) {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/gc/scan/stack:bytes"}, {Name: "/gc/scan/globals:bytes"}}
	metrics.Read(s)
	for i, x := range s {
		if x.Value.Kind() != metrics.KindUint64 {
			return 0, 0
		}
		if i == 0 {
			live = x.Value.Uint64()
		}
		base += x.Value.Uint64()
	}
	return live, base
}
