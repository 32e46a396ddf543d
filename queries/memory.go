package queries

import (
	"context"
	"fmt"
	"strings"

	"landwatch/campaign"
	"landwatch/warehouse"
)

// capMemory caps DuckDB's memory for the length of a model run at the configuration's
// models.memory_limit, lets it spill what does not fit to the folder next to the warehouse
// (<warehouse>.tmp) and runs it on models.threads threads (default 1: a run is about a hundred
// statements, most over small tables, where a second thread costs more in locks and hand-over than
// it saves; one thread also holds one hash table per aggregate instead of one per thread); restore
// puts the earlier settings back. All three are DuckDB-wide settings, so a load or a page running
// meanwhile is under the same cap and threads.
func capMemory(ctx context.Context, db *warehouse.DB, cfg *campaign.Config) (restore func(), err error) {
	var oldLimit, oldTemp string
	var oldThreads int64
	if err := db.QueryRowContext(ctx, `SELECT current_setting('memory_limit'), current_setting('temp_directory'),
		CAST(current_setting('threads') AS BIGINT)`).Scan(&oldLimit, &oldTemp, &oldThreads); err != nil {
		return nil, fmt.Errorf("read memory_limit: %w", err)
	}
	limit := fmt.Sprintf("%dKiB", cfg.Models.MemoryLimitBytes()>>10)
	if _, err := db.ExecContext(ctx, "SET memory_limit = "+quote(limit)); err != nil {
		return nil, fmt.Errorf("set memory_limit %s: %w", limit, err)
	}
	if _, err := db.ExecContext(ctx, fmt.Sprintf("SET threads = %d", cfg.Models.ThreadCount())); err != nil {
		db.ExecContext(context.WithoutCancel(ctx), "SET memory_limit = "+quote(oldLimit))
		return nil, fmt.Errorf("set threads %d: %w", cfg.Models.ThreadCount(), err)
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
		db.ExecContext(ctx, fmt.Sprintf("SET threads = %d", oldThreads))
		if setTemp {
			db.ExecContext(ctx, "SET temp_directory = "+quote(oldTemp))
		}
	}, nil
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
