package main

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"landwatch/warehouse"
)

// TestNoticeSweepStopsQuietly: when serve stops (its context ends) while the daily overdue check
// is reading the configuration, nothing is logged as a failure.
func TestNoticeSweepStopsQuietly(t *testing.T) {
	db, err := warehouse.Open(context.Background(), filepath.Join(t.TempDir(), "lw.duckdb"), warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var logs strings.Builder
	a := &app{log: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{ReplaceAttr: chineseLog}))}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	<-startNoticeSweep(ctx, a, db)
	if logs.Len() > 0 {
		t.Errorf("stopping logged: %s", logs.String())
	}
}
