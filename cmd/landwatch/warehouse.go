package main

import (
	"context"

	"landwatch/audit"
	"landwatch/warehouse"
)

// open opens the warehouse chosen by --db / LANDWATCH_DB, migrating it unless readOnly. A command
// forwarded to the running server borrows the server's open warehouse instead (see serve.go).
func (a *app) open(ctx context.Context, readOnly bool) (*warehouse.DB, error) {
	if db := sharedDB(ctx); db != nil {
		return db.Borrow(), nil
	}
	return warehouse.Open(ctx, warehouse.Resolve(a.dbFlag), warehouse.Options{ReadOnly: readOnly})
}

type auditorKey struct{}

// auditor appends to the audit chain: through the running server for a forwarded command (its
// write lock holds the chain's head), else directly on the warehouse this process opened.
func (a *app) auditor(ctx context.Context, db *warehouse.DB) audit.Auditor {
	if au, ok := ctx.Value(auditorKey{}).(audit.Auditor); ok {
		return au
	}
	return audit.Standalone(db)
}

// openSQL opens the warehouse for `landwatch sql`: alone, read-only and sealed (no file but the
// warehouse can be read or written, nothing installed, the configuration locked); forwarded, the
// server's warehouse, which `serve` sealed when it started (warehouse/seal.go: no file but the
// warehouse and the loaders' staging folder), with the query check and a read-only transaction.
func (a *app) openSQL(ctx context.Context) (*warehouse.DB, error) {
	if db := sharedDB(ctx); db != nil {
		return db.Borrow(), nil
	}
	return warehouse.Open(ctx, warehouse.Resolve(a.dbFlag), warehouse.Options{ReadOnly: true, Sealed: true})
}
