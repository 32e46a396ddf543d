package warehouse

import (
	"database/sql"
	"database/sql/driver"
)

// noClose hides the connector's Close, so that closing a borrowed handle leaves the database open.
type noClose struct{ driver.Connector }

// Borrow returns a second handle on the same open database (same DuckDB instance, its own connection
// pool) whose Close leaves db open. A server that owns the warehouse runs forwarded commands on it.
func (db *DB) Borrow() *DB {
	return &DB{DB: sql.OpenDB(noClose{db.connector}), Path: db.Path, ReadOnly: db.ReadOnly, connector: db.connector, stage: db.stage}
}
