// Package tipstore owns the citizens' tips and everything hanging on them, with their SQL: the tips
// with receipts (stored only as keyed lookups and Argon2id hashes), the free text sealed with the
// warehouse's key, messages, evidence files next to the warehouse, the status history, rewards with
// claim codes, and payouts. Every write that the audit chain must vouch for goes through the chain
// (audit). The HTTP layer (portal) reads and writes tips only through a Store.
package tipstore

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"landwatch/audit"
	"landwatch/campaign"
	"landwatch/store/accounts"
	"landwatch/warehouse"
	"landwatch/warehouse/secret"
)

// Store is the tips of one warehouse. Open starts its committer; Close stops it.
type Store struct {
	db       *warehouse.DB
	cfg      *campaign.Config
	keys     *secret.Keys
	chain    *audit.Chain
	hasher   *accounts.Hasher
	now      func() time.Time
	filesDir string

	tipq chan *tipJob
	// coming counts the tips past validation that have not reached tipq yet (being hashed)
	coming atomic.Int64
	// quit asks the committer to stop; stopped is closed when it has.
	quit      chan struct{}
	stopped   chan struct{}
	closeOnce sync.Once
}

// Config is what a Store needs.
type Config struct {
	DB       *warehouse.DB
	Campaign *campaign.Config
	Keys     *secret.Keys
	Chain    *audit.Chain
	Hasher   *accounts.Hasher
	Now      func() time.Time
}

// Open opens the tips of the warehouse: on a writable warehouse it encrypts free text stored before
// encryption and makes the evidence folder its owner's only; then it starts the committer.
func Open(ctx context.Context, c Config) (*Store, error) {
	s := &Store{db: c.DB, cfg: c.Campaign, keys: c.Keys, chain: c.Chain, hasher: c.Hasher, now: c.Now, filesDir: FilesDir(c.DB.Path),
		tipq: make(chan *tipJob, maxBatch), quit: make(chan struct{}), stopped: make(chan struct{})}
	if !c.DB.ReadOnly {
		if err := s.sealExisting(ctx); err != nil {
			return nil, err
		}
		if err := os.Chmod(s.filesDir, 0o700); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("evidence folder: %w", err)
		}
	}
	s.startCommitter()
	return s, nil
}

// Close stops the committer and waits for it: tips already queued are committed first, later ones
// are refused (ErrClosed). Close may be called more than once.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		close(s.quit)
		<-s.stopped
	})
	return nil
}

// FilesDirPath is the evidence folder.
func (s *Store) FilesDirPath() string { return s.filesDir }
