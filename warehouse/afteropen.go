package warehouse

import "context"

// afterOpen are the steps a package above registers to run at the end of every read-write Open,
// after the migrations and the configuration: queries keeps the views that say what stands now
// there (queries/live.go), so a warehouse opened by this binary has them before any models run.
var afterOpen []func(context.Context, *DB) error

// AfterOpen registers fn to run at the end of every read-write Open, in the order registered. Call
// it from an init function only: Open reads the list without a lock.
func AfterOpen(fn func(context.Context, *DB) error) { afterOpen = append(afterOpen, fn) }
