package queries

import (
	"fmt"
	"strings"
	"testing"

	"landwatch/campaign"
)

// A model run is capped at models.memory_limit, spills next to the warehouse and runs on
// models.threads threads; afterwards the earlier settings are back.
func TestCapMemory(t *testing.T) {
	f := newFixture(t)
	setting := func(name string) string {
		var v string
		if err := f.db.QueryRowContext(f.ctx, `SELECT current_setting(?)`, name).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	if _, err := f.db.ExecContext(f.ctx, `SET memory_limit = '3GiB'`); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.ExecContext(f.ctx, `SET threads = 3`); err != nil {
		t.Fatal(err)
	}
	oldLimit, oldTemp, oldThreads := setting("memory_limit"), setting("temp_directory"), setting("threads")
	oldAlloc := map[string]string{}
	for _, a := range allocatorSettings {
		oldAlloc[a.name] = setting(a.name)
	}
	cfg := campaign.Default()
	cfg.Models.MemoryLimit = "300MiB"
	cfg.Models.Threads = 2
	restore, threads, err := capMemory(f.ctx, f.db, cfg, true)
	if err != nil {
		t.Fatal(err)
	}
	if threads != (runThreads{run: 2, all: 3}) {
		t.Errorf("the run's threads %+v, want 2 for every model and 3 (the threads before) for threads: all", threads)
	}
	var limit int64
	if err := f.db.QueryRowContext(f.ctx, `SELECT CAST(CAST(regexp_extract(current_setting('memory_limit'), '^([0-9.]+) MiB$', 1) AS DOUBLE) * 1048576 AS BIGINT)`).Scan(&limit); err != nil {
		t.Fatalf("memory_limit during the run %q: %v", setting("memory_limit"), err)
	}
	if limit < 150<<20-1<<20 || limit > 270<<20+1<<20 {
		t.Errorf("memory_limit during the run %q, want DuckDB's share of 300 MiB (150 … 270 MiB)", setting("memory_limit"))
	}
	if got := setting("temp_directory"); got != f.db.Path+".tmp" {
		t.Errorf("temp_directory during the run %q, want %s.tmp", got, f.db.Path)
	}
	if got := setting("threads"); got != "2" {
		t.Errorf("threads during the run %q, want 2", got)
	}
	for _, a := range allocatorSettings {
		if got, want := setting(a.name), strings.Trim(a.value, "'"); !strings.EqualFold(strings.ReplaceAll(got, ".0 ", ""), want) {
			t.Errorf("%s during the run %q, want %s", a.name, got, want)
		}
	}
	restore()
	for name, v := range oldAlloc {
		if got := setting(name); got != v {
			t.Errorf("%s after the run %q, want %q", name, got, v)
		}
	}
	if got := setting("threads"); got != oldThreads || got != "3" {
		t.Errorf("threads after the run %q, want 3", got)
	}
	if got := setting("memory_limit"); got != oldLimit {
		t.Errorf("memory_limit after the run %q, want %q", got, oldLimit)
	}
	if got := setting("temp_directory"); got != oldTemp {
		t.Errorf("temp_directory after the run %q, want %q", got, oldTemp)
	}
}

// Without models.threads a run uses DefaultModelsThreads.
func TestCapMemoryDefaultThreads(t *testing.T) {
	f := newFixture(t)
	if _, err := f.db.ExecContext(f.ctx, `SET threads = 2`); err != nil {
		t.Fatal(err)
	}
	restore, _, err := capMemory(f.ctx, f.db, campaign.Default(), true)
	if err != nil {
		t.Fatal(err)
	}
	defer restore()
	var n int
	if err := f.db.QueryRowContext(f.ctx, `SELECT CAST(current_setting('threads') AS INTEGER)`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != campaign.DefaultModelsThreads {
		t.Errorf("threads during the run %d, want %d", n, campaign.DefaultModelsThreads)
	}
}

// threadsSeen is a run's progress writer that reads DuckDB's threads on another connection at each
// line the run writes, that is while the run goes on.
type threadsSeen struct {
	f    *fixture
	seen map[string]bool
}

func (w *threadsSeen) Write(p []byte) (int, error) {
	var v string
	if err := w.f.db.QueryRowContext(w.f.ctx, `SELECT current_setting('threads')`).Scan(&v); err != nil {
		return 0, err
	}
	w.seen[v] = true
	return len(p), nil
}

// A run in a process that serves pages (RunOptions.Serving) leaves DuckDB's threads to the pages
// and is still under the memory cap; a run that does not serve sets models.threads. Both as seen
// from another connection while the run goes on.
func TestRunServingKeepsThreads(t *testing.T) {
	f := newFixture(t)
	if _, err := f.db.ExecContext(f.ctx, `SET threads = 3`); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.ExecContext(f.ctx, `SET memory_limit = '3GiB'`); err != nil {
		t.Fatal(err)
	}
	during := func(serving bool) map[string]bool {
		w := &threadsSeen{f: f, seen: map[string]bool{}}
		if _, err := Run(f.ctx, f.db, RunOptions{AsOf: day(t, "2023-04-30"), Progress: w, Serving: serving}); err != nil {
			t.Fatal(err)
		}
		return w.seen
	}
	if seen := during(true); len(seen) != 1 || !seen["3"] {
		t.Errorf("threads while serving: %v, want only 3 (the process's own)", seen)
	}
	if seen := during(false); !seen[fmt.Sprint(campaign.DefaultModelsThreads)] || seen["3"] && len(seen) == 1 {
		t.Errorf("threads while not serving: %v, want %d (models.threads)", seen, campaign.DefaultModelsThreads)
	}
	var v string
	if err := f.db.QueryRowContext(f.ctx, `SELECT current_setting('threads')`).Scan(&v); err != nil || v != "3" {
		t.Errorf("threads after the runs %q (%v), want 3", v, err)
	}
}

// Serving or not, the run is under the memory cap; serving, the threads stay as they were.
func TestCapMemoryServing(t *testing.T) {
	f := newFixture(t)
	if _, err := f.db.ExecContext(f.ctx, `SET threads = 3`); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.ExecContext(f.ctx, `SET memory_limit = '3GiB'`); err != nil {
		t.Fatal(err)
	}
	cfg := campaign.Default()
	cfg.Models.MemoryLimit = "300MiB"
	cfg.Models.Threads = 1
	restore, rt, err := capMemory(f.ctx, f.db, cfg, false)
	if err != nil {
		t.Fatal(err)
	}
	if rt != (runThreads{}) {
		t.Errorf("a serving run's threads %+v, want none set", rt)
	}
	var threads, limit string
	if err := f.db.QueryRowContext(f.ctx, `SELECT current_setting('threads'), current_setting('memory_limit')`).Scan(&threads, &limit); err != nil {
		t.Fatal(err)
	}
	restore()
	if threads != "3" {
		t.Errorf("threads during a serving run %q, want 3", threads)
	}
	if !strings.HasSuffix(limit, "MiB") {
		t.Errorf("memory_limit during a serving run %q, want DuckDB's share of 300 MiB", limit)
	}
}

// DuckDB gets nine tenths of what the rest of the process leaves of the cap, and at least half of it.
func TestDuckDBShare(t *testing.T) {
	for _, c := range []struct{ limit, outside, want int64 }{
		{1000, 0, 900},
		{1000, 200, 720},
		{1000, 500, 500},
		{1000, 900, 500},
	} {
		if got := duckdbShare(c.limit, c.outside); got != c.want {
			t.Errorf("duckdbShare(%d, %d) = %d, want %d", c.limit, c.outside, got, c.want)
		}
	}
}
