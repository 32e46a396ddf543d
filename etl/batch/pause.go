package batch

import "sync/atomic"

// The points of a load where a test may hold it (PauseAt), each reached before anything is
// committed: the Go parser has handed DuckDB a chunk of readings; every reading is inserted in the
// load's transaction; the batch is written and the transaction is about to commit.
const (
	PauseReadingsChunk  = "readings chunk"
	PauseReadingsLoaded = "readings loaded"
	PauseCommit         = "commit"
)

// PauseAt, set only by tests, is called with the name of each pause point a load reaches, so that
// a test can hold the load there and cancel it at a known point.
var PauseAt atomic.Pointer[func(point string)]

// Pause calls PauseAt's function, if a test set one, with the point a load reached.
func Pause(point string) {
	if f := PauseAt.Load(); f != nil {
		(*f)(point)
	}
}
