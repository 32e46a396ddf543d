package queries

import (
	"context"
	"fmt"
	"strings"

	"landwatch/campaign"
	"landwatch/warehouse"
)

// capMemory caps DuckDB's memory for the length of a model run at the configuration's
// models.memory_limit and lets it spill what does not fit to the folder next to the warehouse
// (<warehouse>.tmp); restore puts the earlier settings back. Both are DuckDB-wide settings, so a
// load or a page running meanwhile is under the same cap.
func capMemory(ctx context.Context, db *warehouse.DB, cfg *campaign.Config) (restore func(), err error) {
	var oldLimit, oldTemp string
	if err := db.QueryRowContext(ctx, `SELECT current_setting('memory_limit'), current_setting('temp_directory')`).Scan(&oldLimit, &oldTemp); err != nil {
		return nil, fmt.Errorf("read memory_limit: %w", err)
	}
	limit := fmt.Sprintf("%dKiB", cfg.Models.MemoryLimitBytes()>>10)
	if _, err := db.ExecContext(ctx, "SET memory_limit = "+quote(limit)); err != nil {
		return nil, fmt.Errorf("set memory_limit %s: %w", limit, err)
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
		if setTemp {
			db.ExecContext(ctx, "SET temp_directory = "+quote(oldTemp))
		}
	}, nil
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
