package queries

import (
	"context"
	"fmt"
	"strings"

	"landwatch/campaign"
	"landwatch/internal/rss"
	"landwatch/warehouse"
)

// capMemory caps the process's memory for the length of a model run at the configuration's
// models.memory_limit (DuckDB's memory_limit is set to its share of it: duckdbShare), lets it spill
// what does not fit to the folder next to the warehouse (<warehouse>.tmp) and, when setThreads, runs
// it on models.threads threads (default 1: a run is about a hundred statements, most over small
// tables, where a second thread costs more in locks and hand-over than it saves; one thread also
// holds one hash table per aggregate instead of one per thread); restore puts the earlier settings
// back. It also makes DuckDB's allocator give freed memory back soon (allocatorSettings). All of
// these are DuckDB-wide settings: a load or a page running meanwhile is under the same
// cap, which is wanted (the process's memory is bounded as a whole), and would get the same
// threads, which is not — so a run in a process that serves pages (RunOptions.Serving) leaves the
// threads alone.
//
// threads says how many threads a run's models are built on (0: left alone) and how many a model
// whose header says "threads: all" gets: the threads DuckDB had before, or models.threads when that
// is more.
func capMemory(ctx context.Context, db *warehouse.DB, cfg *campaign.Config, setThreads bool) (restore func(), threads runThreads, err error) {
	var oldLimit, oldTemp string
	var oldThreads int64
	if err := db.QueryRowContext(ctx, `SELECT current_setting('memory_limit'), current_setting('temp_directory'),
		CAST(current_setting('threads') AS BIGINT)`).Scan(&oldLimit, &oldTemp, &oldThreads); err != nil {
		return nil, threads, fmt.Errorf("read memory_limit: %w", err)
	}
	limit := fmt.Sprintf("%dKiB", duckdbShare(cfg.Models.MemoryLimitBytes(), outsideDuckDB(ctx, db))>>10)
	if _, err := db.ExecContext(ctx, "SET memory_limit = "+quote(limit)); err != nil {
		return nil, threads, fmt.Errorf("set memory_limit %s: %w", limit, err)
	}
	if setThreads {
		if _, err := db.ExecContext(ctx, fmt.Sprintf("SET threads = %d", cfg.Models.ThreadCount())); err != nil {
			db.ExecContext(context.WithoutCancel(ctx), "SET memory_limit = "+quote(oldLimit))
			return nil, threads, fmt.Errorf("set threads %d: %w", cfg.Models.ThreadCount(), err)
		}
		threads = runThreads{run: int64(cfg.Models.ThreadCount()), all: max(oldThreads, int64(cfg.Models.ThreadCount()))}
	}
	oldAlloc, err := returnFreedMemory(ctx, db)
	if err != nil {
		db.ExecContext(context.WithoutCancel(ctx), "SET memory_limit = "+quote(oldLimit))
		if setThreads {
			db.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf("SET threads = %d", oldThreads))
		}
		return nil, runThreads{}, err
	}
	setTemp := false
	if db.Path != "" && oldTemp != db.Path+".tmp" {
		// DuckDB refuses to move a temporary folder it is using; then the run spills where it does
		_, err := db.ExecContext(ctx, "SET temp_directory = "+quote(db.Path+".tmp"))
		setTemp = err == nil
	}
	return func() {
		ctx := context.WithoutCancel(ctx)
		db.ExecContext(ctx, "SET memory_limit = "+quote(oldLimit))
		if setThreads {
			db.ExecContext(ctx, fmt.Sprintf("SET threads = %d", oldThreads))
		}
		if setTemp {
			db.ExecContext(ctx, "SET temp_directory = "+quote(oldTemp))
		}
		for name, v := range oldAlloc {
			db.ExecContext(ctx, "SET "+name+" = "+v)
		}
	}, threads, nil
}

// runThreads are the threads of a run: run for every model, all for a model whose header says
// "threads: all"; zero when the run leaves DuckDB's threads alone.
type runThreads struct{ run, all int64 }

// allocatorSettings make DuckDB's allocator give freed memory back to the system soon, for the
// length of a run. DuckDB's memory_limit counts the memory its operators hold, not the freed memory
// its allocator keeps for reuse: by default up to 128 MiB a thread, up to 512 MiB after a large
// deallocation, given back only when DuckDB next flushes. On `large`, a run's resident set peaked at
// 1.08–1.86 GiB under a 1 GiB models.memory_limit with those defaults (eight runs, highest while
// int_power_meter_days groups its meter-days) and at 1.01–1.08 GiB with these (four runs), at the
// same CPU time (docs/SCALE.md). Like memory_limit they are DuckDB-wide, so whatever runs beside the run
// gives its freed memory back soon too.
var allocatorSettings = []struct{ name, value string }{
	{"allocator_flush_threshold", "'32MiB'"},
	{"allocator_bulk_deallocation_flush_threshold", "'32MiB'"},
	{"allocator_background_threads", "true"},
}

// returnFreedMemory applies allocatorSettings and gives their earlier values, as SET takes them.
func returnFreedMemory(ctx context.Context, db *warehouse.DB) (old map[string]string, err error) {
	old = map[string]string{}
	for _, a := range allocatorSettings {
		var v string
		if err := db.QueryRowContext(ctx, `SELECT current_setting(?)`, a.name).Scan(&v); err != nil {
			return nil, fmt.Errorf("读取设置 %s：%w", a.name, err)
		}
		if a.value == "true" {
			old[a.name] = v
		} else {
			old[a.name] = quote(v)
		}
	}
	for i, a := range allocatorSettings {
		if _, err := db.ExecContext(ctx, "SET "+a.name+" = "+a.value); err != nil {
			for _, b := range allocatorSettings[:i] {
				db.ExecContext(context.WithoutCancel(ctx), "SET "+b.name+" = "+old[b.name])
			}
			return nil, fmt.Errorf("设置 %s：%w", a.name, err)
		}
	}
	return old, nil
}

// outsideDuckDB is what this process holds in memory outside DuckDB's buffer pool: its resident set
// less the memory DuckDB accounts for (duckdb_memory()) — the program's code, DuckDB's own code and
// catalog, the Go heap. 0 when the resident set cannot be read (not Linux).
func outsideDuckDB(ctx context.Context, db *warehouse.DB) int64 {
	cur, err := rss.Current()
	if err != nil {
		return 0
	}
	var tracked int64
	if err := db.QueryRowContext(ctx, `SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory()`).Scan(&tracked); err != nil {
		return 0
	}
	return max(cur-tracked, 0)
}

// duckdbShare is the memory_limit DuckDB gets so that the whole process stays under models.memory_limit
// (limit): DuckDB's limit counts only its buffer pool, not the rest of the process (outside, about
// 0.2 GiB on the large county) nor what DuckDB allocates beside its accounting (up to a tenth more,
// measured on the large county: docs/SCALE.md); it gets nine tenths of what the rest leaves, and at
// least half the limit.
func duckdbShare(limit, outside int64) int64 {
	return max((limit-outside)/10*9, limit/2)
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
