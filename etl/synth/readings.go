package synth

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"sync"

	"landwatch/etl/synth/kit"
	"landwatch/etl/synth/power"
)

// readingsFile is one readings file to write: the meters ms of the model pm, the days from … to.
type readingsFile struct {
	rel      string
	pm       *power.Model
	ms       []*power.Meter
	from, to kit.Date
}

// writeReadingsFiles writes the readings files on as many goroutines as the program has processors
// and returns each file's rows, in the order of files. A reading is a pure function of the model, the
// meter, the day and the hour (power.Model.Wh), so every file's bytes are the same whatever the
// order the files are written in; the first error (of the first failing file in order) is returned.
func writeReadingsFiles(ctx context.Context, out string, files []readingsFile) ([]int64, error) {
	rows := make([]int64, len(files))
	errs := make([]error, len(files))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(files)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				rows[i], errs[i] = writeReadingsFile(ctx, out, files[i])
			}
		}()
	}
	for i := range files {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return rows, nil
}

func writeReadingsFile(ctx context.Context, out string, rf readingsFile) (int64, error) {
	f, err := power.CreateFile(filepath.Join(out, rf.rel))
	if err != nil {
		return 0, err
	}
	rows, err := rf.pm.WriteReadings(ctx, f, rf.ms, rf.from, rf.to)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, fmt.Errorf("write %s: %w", rf.rel, err)
	}
	return rows, nil
}
