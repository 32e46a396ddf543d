package main

import (
	"context"

	"landwatch/warehouse"
)

// open opens the warehouse chosen by --db / LANDWATCH_DB, migrating it unless readOnly.
func (a *app) open(ctx context.Context, readOnly bool) (*warehouse.DB, error) {
	return warehouse.Open(ctx, warehouse.Resolve(a.dbFlag), warehouse.Options{ReadOnly: readOnly})
}
