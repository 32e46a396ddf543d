// Package casestore owns the loaded enforcement cases and other clues as the member units work
// them, with their SQL: the office assigns a case or clue to a department (assignments, the latest
// row wins); the department sees only what is assigned to its own scope and records progress
// (case_updates, clue_updates: append-only). Every assignment and update is in the audit chain.
// Cases and clues are read as they stand now from the views int_cases_now and int_clues_now, which
// decide the current version and apply the updates, so the models must have been built once; the
// models read the updates in turn (queries/README.md).
package casestore

import (
	"context"
	"errors"
	"time"

	"landwatch/audit"
	"landwatch/campaign"
	"landwatch/warehouse"
)

// Store is the cases and clues of one warehouse.
type Store struct {
	db    *warehouse.DB
	cfg   *campaign.Config
	chain *audit.Chain
	now   func() time.Time
}

// New is the cases and clues of db; audited writes go through chain.
func New(db *warehouse.DB, cfg *campaign.Config, chain *audit.Chain, now func() time.Time) *Store {
	return &Store{db: db, cfg: cfg, chain: chain, now: now}
}

// ErrNotBuilt: the staging models that hold the cases and clues do not exist yet.
var ErrNotBuilt = errors.New("案件和线索尚未整理：请办公室先更新一次统计，再交办案件和线索")

// built reports whether every one of the models exists in the warehouse (one query for all).
func (s *Store) built(ctx context.Context, models ...string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(DISTINCT table_name) FROM information_schema.tables WHERE list_contains(?, table_name)`,
		models).Scan(&n)
	return n == len(models), err
}

// fileNos numbers n photos from 1, for links.
func fileNos(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i + 1
	}
	return out
}
