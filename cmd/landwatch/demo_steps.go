package main

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"landwatch/internal/rss"
	"landwatch/warehouse"
)

// demoSharedFrom is the first of the demo's steps (counted from 0) that runs on the shared
// warehouse: the ones before generate the county, create the warehouse and load it (and keep the
// loaded, closed file in the cache, demo_cache.go).
const demoSharedFrom = 3

// demoShared is the warehouse the demo's later steps share: opened once, lent to each step as a
// forwarded command borrows the server's (sharedDB, serve.go), closed (checkpointed) once.
type demoShared struct {
	a  *app
	db *warehouse.DB
}

// with returns ctx carrying the shared warehouse, opening it on first use.
func (s *demoShared) with(ctx context.Context) (context.Context, error) {
	if s.db == nil {
		db, err := s.a.open(ctx, false)
		if err != nil {
			return nil, err
		}
		s.db = db
	}
	return context.WithValue(ctx, sharedKey{}, s.db), nil
}

// close closes the shared warehouse, if open; a second call does nothing.
func (s *demoShared) close() error {
	if s.db == nil {
		return nil
	}
	db := s.db
	s.db = nil
	return db.Close()
}

// demoStep is one step of the demo.
type demoStep struct {
	title string
	argv  []string // the command line it runs (or, with fn, shows); nil shows none
	needs int      // the step before that this one needs, or -1
	// fn, when set, runs instead of the command line, with the app whose output is the step's
	fn func(ctx context.Context, a *app) error
	// beside: the step runs in the background, from the start of step from (its own or an earlier
	// one) until step until is due (len(steps): the end). It may only run beside steps whose
	// figures it cannot change nor they its own, and neither may write the audit chain while the
	// other runs (its entries' order is the order the steps were written in).
	beside      bool
	from, until int
}

// demoRun runs the demo's steps in order, the steps marked beside in the background. Each step
// prints into a buffer of its own, and the buffers go into the log in step order, so the log reads
// the same whichever step finishes first.
type demoRun struct {
	a        *app
	dir      string
	steps    []demoStep
	shared   *demoShared
	progress *demoProgress

	outs    []bytes.Buffer
	done    []chan struct{} // closed when the step ends; nil until it starts
	joined  []bool
	errs    []error
	failed  map[int]bool
	flushed int // the steps whose output is in the log
}

func (r *demoRun) run(ctx context.Context) error {
	n := len(r.steps)
	r.outs, r.done, r.joined, r.errs, r.failed = make([]bytes.Buffer, n), make([]chan struct{}, n), make([]bool, n), make([]error, n), map[int]bool{}
	defer r.finish() // nothing left running when the shared warehouse closes
	for p := range r.steps {
		for i, s := range r.steps {
			if s.beside && r.running(i) && s.until <= p {
				if err := r.join(i); err != nil {
					return err
				}
			}
		}
		for i, s := range r.steps {
			if s.beside && s.from == p && r.done[i] == nil {
				if err := r.start(ctx, i); err != nil {
					return err
				}
			}
		}
		if r.done[p] != nil {
			continue // running beside
		}
		r.progress.step(p+1, n, r.steps[p].title)
		if err := r.start(ctx, p); err != nil {
			return err
		}
		if err := r.join(p); err != nil {
			return err
		}
	}
	for i := range r.steps {
		if err := r.join(i); err != nil {
			return err
		}
	}
	return nil
}

// running reports whether step i was started and has not been joined.
func (r *demoRun) running(i int) bool { return r.done[i] != nil && !r.joined[i] }

// start starts step i (in the background when it runs beside others).
func (r *demoRun) start(ctx context.Context, i int) error {
	s, total := r.steps[i], len(r.steps)
	out := &r.outs[i]
	if s.argv != nil {
		fmt.Fprintf(out, "\n==> [%d/%d] %s: landwatch %s\n", i+1, total, s.title, strings.Join(s.argv, " "))
	} else {
		fmt.Fprintf(out, "\n==> [%d/%d] %s\n", i+1, total, s.title)
	}
	done := make(chan struct{})
	r.done[i] = done
	if s.needs >= 0 && r.failed[s.needs] {
		fmt.Fprintf(out, "    跳过：需要第 %d 步\n", s.needs+1)
		r.failed[i] = true
		close(done)
		return nil
	}
	if i >= demoSharedFrom && r.shared != nil {
		var err error
		if ctx, err = r.shared.with(ctx); err != nil {
			return err
		}
	}
	beside := 0 // other steps still running as this one starts
	for j, d := range r.done {
		if j == i || d == nil {
			continue
		}
		select {
		case <-d:
		default:
			beside++
		}
	}
	sa := *r.a
	sa.stdout, sa.stderr = out, out
	exec := func() {
		defer close(done)
		t, cpu := time.Now(), rss.CPU()
		var err error
		if s.fn != nil {
			err = s.fn(ctx, &sa)
		} else {
			err = sa.runCommand(ctx, s.argv...)
		}
		if err != nil {
			r.errs[i] = err
			return
		}
		switch {
		case s.beside:
			fmt.Fprintf(out, "    完成，用时 %.1f 秒（与其他步骤同时运行）\n", time.Since(t).Seconds())
		case beside > 0:
			fmt.Fprintf(out, "    完成，用时 %.1f 秒（处理器 %.1f 秒，含同时运行的步骤）\n", time.Since(t).Seconds(), (rss.CPU() - cpu).Seconds())
		default:
			fmt.Fprintf(out, "    完成，用时 %.1f 秒（处理器 %.1f 秒）\n", time.Since(t).Seconds(), (rss.CPU() - cpu).Seconds())
		}
	}
	if s.beside {
		go exec()
	} else {
		exec()
	}
	return nil
}

// join waits for step i, if started, then writes into the log what the steps finished in order
// printed; the error is step i's.
func (r *demoRun) join(i int) error {
	if r.done[i] == nil {
		return nil
	}
	<-r.done[i]
	r.joined[i] = true
	for r.flushed < len(r.steps) && r.done[r.flushed] != nil {
		select {
		case <-r.done[r.flushed]:
		default:
			return r.stepErr(i)
		}
		r.a.stdout.Write(r.outs[r.flushed].Bytes())
		r.flushed++
	}
	return r.stepErr(i)
}

func (r *demoRun) stepErr(i int) error {
	if err := r.errs[i]; err != nil {
		return fmt.Errorf("第 %d 步（%s）：%w（全过程见 %s）", i+1, r.steps[i].title, err, filepath.Join(r.dir, demoLogName))
	}
	return nil
}

// finish waits for every step started and writes what is left into the log, in step order.
func (r *demoRun) finish() {
	for i, d := range r.done {
		if d != nil {
			<-d
		}
		if i >= r.flushed && d != nil {
			r.a.stdout.Write(r.outs[i].Bytes())
		}
	}
	r.flushed = len(r.steps)
}

// demoBeside marks the steps of the demo that run beside others (steps as listed in demo.go, the
// accounts last; prevWeek is the day of last week's briefing). Both write neither the audit chain
// nor anything the models read, and the steps they run beside write nothing they read:
//
//   - last week's briefing builds its models as of its own day in a scratch schema of its own
//     connection (queries.At) and writes its PDF and its row in briefings; it runs beside the
//     duty list, the transfers (recorded after its day, so not in its figures) and the look-back's
//     models run, and is done before the look-back's first step after that run;
//   - the accounts (users and their audit entries, Argon2id hashes) run beside the last models run
//     and what follows it when that is only queries and briefings (no audit entry, no notice).
func demoBeside(steps []demoStep, prevWeek string) {
	isRun := func(s demoStep) bool { return len(s.argv) > 1 && s.argv[0] == "models" && s.argv[1] == "run" }
	for i, s := range steps {
		if len(s.argv) == 4 && s.argv[0] == "report" && s.argv[1] == "weekly" && s.argv[3] == prevWeek {
			for j := i + 1; j < len(steps); j++ {
				if isRun(steps[j]) {
					steps[i].beside, steps[i].from, steps[i].until = true, i, j+1
					break
				}
			}
		}
	}
	last := len(steps) - 1
	if last < 0 || steps[last].argv != nil {
		return
	}
	from := last
	for j := last - 1; j >= 0; j-- {
		s := steps[j]
		if isRun(s) {
			from = j
			break
		}
		if len(s.argv) == 0 || !(s.argv[0] == "sql" || len(s.argv) > 1 && s.argv[0] == "report" && s.argv[1] == "weekly") {
			break
		}
	}
	steps[last].beside, steps[last].from, steps[last].until = true, from, len(steps)
}
