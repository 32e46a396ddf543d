package main

import (
	"context"

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
