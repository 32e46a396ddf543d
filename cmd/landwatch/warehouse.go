package main

import (
	"context"

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
