package queries

import (
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
	cfg := campaign.Default()
	cfg.Models.MemoryLimit = "300MiB"
	cfg.Models.Threads = 2
	restore, err := capMemory(f.ctx, f.db, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got := setting("memory_limit"); got != "300.0 MiB" {
		t.Errorf("memory_limit during the run %q, want 300.0 MiB", got)
	}
	if got := setting("temp_directory"); got != f.db.Path+".tmp" {
		t.Errorf("temp_directory during the run %q, want %s.tmp", got, f.db.Path)
	}
	if got := setting("threads"); got != "2" {
		t.Errorf("threads during the run %q, want 2", got)
	}
	restore()
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
	restore, err := capMemory(f.ctx, f.db, campaign.Default())
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
