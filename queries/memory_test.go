package queries

import (
	"testing"

	"landwatch/campaign"
)

// A model run is capped at models.memory_limit and spills next to the warehouse; afterwards the
// earlier settings are back.
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
	oldLimit, oldTemp := setting("memory_limit"), setting("temp_directory")
	cfg := campaign.Default()
	cfg.Models.MemoryLimit = "300MiB"
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
	restore()
	if got := setting("memory_limit"); got != oldLimit {
		t.Errorf("memory_limit after the run %q, want %q", got, oldLimit)
	}
	if got := setting("temp_directory"); got != oldTemp {
		t.Errorf("temp_directory after the run %q, want %q", got, oldTemp)
	}
}
