package power

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"os"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/duckdb/duckdb-go/v2/mapping"

	"landwatch/etl/batch"
	"landwatch/warehouse"
)

// The fast path for readings csv files. DuckDB's read_csv is parallel, but numbering its rows
// (row_number() OVER ()) is not, which made the load 2–3.5× slower than DuckDB's own read. Here a
// parallel table function written in Go, lw_power_csv(job), parses the file itself: the file is
// mapped into memory, cut into blocks at line ends, each block's first source_row is known from a
// parallel count of the lines before it, and DuckDB's worker threads each parse whole blocks into
// (source_row, meter_key, ts_us, kwh) vectors, the 户号 turned into its key (powerkeys.go). The INSERT and its SQL checks stay as they were.
//
// The parser accepts a strict subset of what read_csv accepts: fields separated by the header's
// delimiter, optionally "quoted" (with "" inside) on one line, times as YYYY-MM-DD HH:MM:SS (or
// with T), numbers as -123.45. Anything else — a bad time, a bad number, a quoted line break, a
// wrong number of fields, invalid UTF-8, a lone CR — makes the table function fail with
// errFallback, and the load runs again through read_csv, which reads or names every bad line as
// before. Both paths give the same source_row: the line number in the file (header = 1) counted
// over non-blank lines — a blank line (empty or only CR) is skipped and not counted, as read_csv
// skips it.

var errFallback = errors.New("readings csv needs DuckDB's reader")

// fastPowerCSV switches the Go parser on (tests compare both paths); fastLoads counts the files
// it read.
var (
	fastPowerCSV = true
	fastLoads    atomic.Int64
)

// fastBlock is the size of the blocks the parsers take (tests make it small).
var fastBlock = 8 << 20

const (
	countAhead    = 8 // blocks
	maxFastFields = 64
)

// The sentinel times (microseconds since 1970) that mark bad readings; checkReadings reads them.
var (
	sentinelEmptyTime    = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
	sentinelUnknownMeter = time.Date(2, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
	sentinelNegativeKWh  = time.Date(3, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
	sentinelEmptyKWh     = time.Date(4, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
	sentinelOffInterval  = time.Date(5, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro() // the time itself in kwh
)

type csvBlock struct {
	off, end int   // bytes [off, end) of the mapped file, starting at a line start
	row      int64 // source_row of the block's first non-blank line, once ready is closed
	ready    chan struct{}
}

type csvJob struct {
	ctx            context.Context
	data           []byte
	blocks         []csvBlock
	delim          byte
	fields         int
	meter, ts, kwh int
	keys           *meterKeys // the 户号's keys, and which the registry holds
	interval       int64      // a reading interval in microseconds (power.interval_minutes)
	truncate       bool       // a time within an interval moves to its start instead of being refused
	ceiling        float64    // power.max_kwh_per_interval, counted in summary
	summary        *readingsSummary
	meterDays      *meterDayJob // the batch's meter-days, when the parser computes them (powermeterdays.go)
	dataSpans      [][2]int64   // the campaign's data spans, [from, to) in µs (dataSpansUS)
	next           atomic.Int64 // the next block to parse
	fallback       atomic.Pointer[string]
	exact          bool        // count lines skipping blank ones (slower); else every line end counts
	recount        atomic.Bool // a blank line was met while not counting exactly
	rows           atomic.Int64
	ahead          chan struct{} // a token per counted block not yet parsed
	done           chan struct{}
	counter        sync.WaitGroup
	closeOnce      sync.Once
	closeErr       error
	// mapMu keeps the mapping alive while a FillChunk runs: a cancelled query can return to Go
	// while DuckDB's threads are still inside FillChunk, and close must not unmap under them.
	mapMu    sync.RWMutex
	unmapped bool
}

var (
	csvJobs   sync.Map // id → *csvJob
	csvJobSeq atomic.Int64
	udfOnce   sync.Map // *sql.DB → *sync.Once
)

// newCSVJob maps the file, cuts it into blocks and starts counting their lines.
func newCSVJob(ctx context.Context, path string, pc *powerColumns, keys *meterKeys, exact bool) (*csvJob, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	j := &csvJob{ctx: ctx, delim: pc.delim[0], fields: len(pc.names), keys: keys, exact: exact,
		ceiling: math.Inf(1), summary: newReadingsSummary()}
	for i, n := range pc.names {
		switch n {
		case pc.meter:
			j.meter = i
		case pc.ts:
			j.ts = i
		case pc.kwh:
			j.kwh = i
		}
	}
	if st.Size() == 0 {
		return j, nil
	}
	j.data, err = syscall.Mmap(int(f.Fd()), 0, int(st.Size()), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, fmt.Errorf("mmap: %w", err)
	}
	start := bytes.IndexByte(j.data, '\n') + 1
	if start == 0 {
		return j, nil // only a header
	}
	for off := start; off < len(j.data); {
		end := min(off+fastBlock, len(j.data))
		if end < len(j.data) {
			if i := bytes.IndexByte(j.data[end:], '\n'); i < 0 {
				end = len(j.data)
			} else {
				end += i + 1
			}
		}
		j.blocks = append(j.blocks, csvBlock{off: off, end: end, ready: make(chan struct{})})
		off = end
	}
	// A goroutine counts the lines of the blocks in order, at most countAhead blocks ahead of the
	// parsers (so the mapped pages stay few), and tells each block its first source_row.
	j.ahead, j.done = make(chan struct{}, max(countAhead, 2*runtime.NumCPU())), make(chan struct{})
	j.counter.Add(1)
	go func() {
		defer j.counter.Done()
		row := int64(2)
		for k := range j.blocks {
			select {
			case j.ahead <- struct{}{}:
			case <-j.done:
				return
			}
			if k+1 < len(j.blocks) { // ask the kernel to read the next block meanwhile
				j.advise(j.blocks[k+1].off, j.blocks[k+1].end, syscall.MADV_WILLNEED)
			}
			b := &j.blocks[k]
			b.row = row
			close(b.ready)
			row += countLines(j.data[b.off:b.end], j.exact)
		}
	}()
	return j, nil
}

// countLines counts the lines of b (which starts at a line start): every line end, or, exactly,
// the non-blank lines.
func countLines(b []byte, exact bool) int64 {
	n := int64(bytes.Count(b, []byte{'\n'}))
	if len(b) > 0 && b[len(b)-1] != '\n' {
		n++ // the last line has no line end
	}
	if !exact {
		return n
	}
	n = 0
	for len(b) > 0 {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		if !blankLine(line) {
			n++
		}
	}
	return n
}

func blankLine(line []byte) bool { return len(line) == 0 || len(line) == 1 && line[0] == '\r' }

// release drops the mapped pages of [off, end) from this process's resident set (the page cache
// keeps them), so the mapping does not count the whole file against the memory budget.
func (j *csvJob) release(off, end int) { j.advise(off, end, syscall.MADV_DONTNEED) }

// advise passes advice on the whole pages within [off, end) of the mapping.
func (j *csvJob) advise(off, end, advice int) {
	const page = 4096
	lo, hi := (off+page-1)/page*page, end/page*page
	if end == len(j.data) {
		hi = len(j.data)
	}
	if hi > lo {
		syscall.Madvise(j.data[lo:hi], advice)
	}
}

// close stops the line counter and unmaps the file; the query must be over.
func (j *csvJob) close() error {
	j.closeOnce.Do(func() {
		if j.done != nil {
			close(j.done)
		}
		j.counter.Wait()
		j.mapMu.Lock()
		defer j.mapMu.Unlock()
		j.unmapped = true
		if j.data != nil {
			j.closeErr = syscall.Munmap(j.data)
		}
	})
	return j.closeErr
}

func (j *csvJob) fail(msg string) error {
	j.fallback.CompareAndSwap(nil, &msg)
	return fmt.Errorf("%w: %s", errFallback, msg)
}

// registerPowerUDF registers the parser's table functions with the database once: lw_power_csv
// (a file's readings) and lw_meter_days (their meter-days, powermeterdays.go), each taking the id
// of a job kept in its map.
func registerPowerUDF(ctx context.Context, db *warehouse.DB) error {
	o, _ := udfOnce.LoadOrStore(db.DB, new(sync.Once))
	var err error
	o.(*sync.Once).Do(func() {
		c, e := db.DB.Conn(ctx)
		if e != nil {
			err = e
			return
		}
		defer c.Close()
		if err = registerJobUDF(c, "lw_power_csv", &csvJobs, func(j any) duckdb.ParallelChunkTableSource {
			return &powerSource{job: j.(*csvJob)}
		}); err != nil {
			return
		}
		err = registerJobUDF(c, "lw_meter_days", &meterDayJobs, func(j any) duckdb.ParallelChunkTableSource {
			return &meterDaySource{job: j.(*meterDayJob)}
		})
	})
	if err != nil {
		udfOnce.Delete(db.DB)
	}
	return err
}

// registerJobUDF registers on c the table function name, whose one argument is the id of a job in
// jobs and whose rows are source's for that job; one registered already is left as it is.
func registerJobUDF(c *sql.Conn, name string, jobs *sync.Map, source func(job any) duckdb.ParallelChunkTableSource) error {
	bigint, _ := duckdb.NewTypeInfo(duckdb.TYPE_BIGINT)
	e := duckdb.RegisterTableUDF(c, name, duckdb.ParallelChunkTableFunction{
		Config: duckdb.TableFunctionConfig{Arguments: []duckdb.TypeInfo{bigint}},
		BindArguments: func(named map[string]any, args ...any) (duckdb.ParallelChunkTableSource, error) {
			id, _ := args[0].(int64)
			j, ok := jobs.Load(id)
			if !ok {
				return nil, fmt.Errorf("%s: no job %d", name, id)
			}
			return source(j), nil
		},
	})
	if e != nil && !strings.Contains(e.Error(), "already exists") {
		return fmt.Errorf("register %s: %w", name, e)
	}
	return nil
}

type powerSource struct{ job *csvJob }

type powerLocal struct {
	b         []byte // rest of the current block
	row       int64
	active    bool
	blockN    int
	lastMeter []byte // the last 户号 looked up, its key and whether the registry holds it
	lastKey   int32
	lastReg   bool
	lastDate  [10]byte // the last date read (YYYY-MM-DD) and its microseconds
	lastDay   int64
	spans     spanTracker // the block's meters (powerspan.go)
	days      dayTracker  // the block's meter-days (powermeterdays.go)
	plain     bool        // the block is ASCII without quotes or CRs (plainASCII)
}

// timestamp reads a time as parseTimestampUS does; the date of the last one is kept.
func (st *powerLocal) timestamp(t []byte) (int64, bool) {
	if len(t) == 19 && st.lastDay != 0 && [10]byte(t[:10]) == st.lastDate {
		if c, ok := clock(t[10:]); ok {
			return st.lastDay + c, true
		}
		return 0, false
	}
	us, ok := parseTimestampUS(t)
	if ok {
		c, _ := clock(t[10:])
		st.lastDate, st.lastDay = [10]byte(t[:10]), us-c
	}
	return us, ok
}

// meterKey gives 户号 m's key; readings usually come meter by meter, so a row with the 户号 of the
// row before reuses its key without a lookup.
func (st *powerLocal) meterKey(keys *meterKeys, m []byte) (key int32, registered, ok bool) {
	if st.lastKey != 0 && bytes.Equal(m, st.lastMeter) {
		return st.lastKey, st.lastReg, true
	}
	st.lastMeter = append(st.lastMeter[:0], m...)
	st.lastKey, st.lastReg, ok = keys.lookup(m)
	return st.lastKey, st.lastReg, ok
}

func (s *powerSource) ColumnInfos() []duckdb.ColumnInfo {
	bigint, _ := duckdb.NewTypeInfo(duckdb.TYPE_BIGINT)
	integer, _ := duckdb.NewTypeInfo(duckdb.TYPE_INTEGER)
	double, _ := duckdb.NewTypeInfo(duckdb.TYPE_DOUBLE)
	return []duckdb.ColumnInfo{{Name: "source_row", T: bigint}, {Name: "meter_key", T: integer},
		{Name: "ts_us", T: bigint}, {Name: "kwh", T: double}}
}

func (s *powerSource) Cardinality() *duckdb.CardinalityInfo { return nil }

func (s *powerSource) Init() duckdb.ParallelTableSourceInfo {
	return duckdb.ParallelTableSourceInfo{MaxThreads: max(1, min(len(s.job.blocks), runtime.NumCPU()))}
}

func (s *powerSource) NewLocalState() any {
	st := &powerLocal{}
	if d := s.job.meterDays; d != nil {
		st.days.end, st.days.st = d.end, d.start
	}
	return st
}

func (s *powerSource) FillChunk(local any, chunk duckdb.DataChunk) error {
	j, st := s.job, local.(*powerLocal)
	j.mapMu.RLock()
	defer j.mapMu.RUnlock()
	if j.unmapped { // the load was cancelled and its query abandoned
		return context.Canceled
	}
	out := newChunkWriter(&chunk, 4)
	capacity := duckdb.GetDataChunkCapacity()
	n := 0
	var fields [maxFastFields][]byte
	for n < capacity {
		if len(st.b) == 0 {
			if st.active {
				st.active = false
				b := j.blocks[st.blockN]
				j.release(b.off, b.end)
				st.spans.flush(j.summary, st.blockN)
				if j.meterDays != nil {
					st.days.flush(j.meterDays, st.blockN)
				}
				<-j.ahead
			}
			if err := j.ctx.Err(); err != nil {
				return err
			}
			if j.fallback.Load() != nil {
				return errFallback
			}
			k := int(j.next.Add(1) - 1)
			if k >= len(j.blocks) {
				break
			}
			b := &j.blocks[k]
			select {
			case <-b.ready:
			case <-j.ctx.Done():
				return j.ctx.Err()
			}
			st.b, st.row, st.active, st.blockN = j.data[b.off:b.end], b.row, true, k
			st.plain = plainASCII(st.b)
		}
		var nf int
		var err error
		if st.plain {
			nf, st.b = splitASCIILine(st.b, j.delim, fields[:j.fields])
		} else {
			line := st.b
			if i := bytes.IndexByte(st.b, '\n'); i >= 0 {
				line, st.b = st.b[:i], st.b[i+1:]
			} else {
				st.b = nil
			}
			if len(line) > 0 && line[len(line)-1] == '\r' {
				line = line[:len(line)-1]
			}
			switch {
			case len(line) == 0: // nf 0: blank
			case bytes.IndexByte(line, '"') < 0:
				nf, err = splitPlain(line, j.delim, fields[:j.fields])
			default:
				nf, err = splitFields(line, j.delim, fields[:0:j.fields])
			}
		}
		if nf == 0 && err == nil {
			// A blank line is skipped and not counted. The counter took it for a line unless it
			// counted exactly: then the load starts again, counting exactly.
			if !j.exact {
				j.recount.Store(true)
				return j.fail("a blank line")
			}
			continue
		}
		row := st.row
		st.row++
		if err != nil {
			return j.fail(fmt.Sprintf("row %d: %v", row, err))
		}
		if nf != j.fields {
			return j.fail(fmt.Sprintf("row %d: %d fields", row, nf))
		}
		for i := range nf {
			if !st.plain && i != j.kwh && i != j.ts && !utf8.Valid(fields[i]) {
				return j.fail(fmt.Sprintf("row %d: invalid UTF-8", row))
			}
		}
		// The checks of the read_csv path's INSERT, as sentinel times (see readingsSQL).
		var us int64
		var kwh float64
		var ok bool
		m, t, k := fields[j.meter], fields[j.ts], fields[j.kwh]
		if t != nil {
			if us, ok = st.timestamp(t); !ok {
				return j.fail(fmt.Sprintf("row %d: time %q", row, t))
			}
		}
		if k != nil {
			if kwh, ok = parseDecimal(k); !ok {
				return j.fail(fmt.Sprintf("row %d: number %q", row, k))
			}
		}
		keyed := false
		mk, registered, ok := st.meterKey(j.keys, m)
		if !ok {
			return j.fail(fmt.Sprintf("row %d: more than %d meters not in the registry", row, maxOtherMeters))
		}
		switch {
		case t == nil:
			us = sentinelEmptyTime
		case m == nil || !registered:
			us = sentinelUnknownMeter
		case k == nil:
			us, kwh = sentinelEmptyKWh, math.NaN()
		case kwh < 0:
			us = sentinelNegativeKWh
		case j.interval > 0 && us%j.interval != 0:
			// not an interval's start: refused (the time kept in kwh), or moved to the start
			if j.truncate {
				us -= (us%j.interval + j.interval) % j.interval
				keyed = true
			} else {
				us, kwh = sentinelOffInterval, float64(us)
			}
		default:
			keyed = true
		}
		if keyed && us >= realTimeUS {
			st.spans.add(mk, us, kwh, j.ceiling)
			st.spans.within(us, j.dataSpans)
			if j.meterDays != nil {
				st.days.add(mk, us, kwh)
			}
		} else {
			st.spans.flagged++
		}
		if k == nil {
			kwh = math.NaN()
		}
		out.int64(0, n, row)
		out.int32(1, n, mk)
		out.int64(2, n, us)
		out.float64(3, n, kwh)
		n++
	}
	j.rows.Add(int64(n))
	if n > 0 {
		batch.Pause(batch.PauseReadingsChunk)
	}
	return chunk.SetSize(n)
}

// chunkWriter writes the output chunk's vectors. duckdb-go's SetChunkValue costs a type switch per
// value and a cgo call per string; when the chunk's C handle can be reached (duckdb.DataChunk
// holds it as its first field, checked once by reflection) the values are stored straight into
// the vectors' memory instead, through the C API's own accessors (duckdb_vector_get_data, the
// duckdb_string_t layout of duckdb.h: a string of at most 12 bytes is stored inline).
type chunkWriter struct {
	chunk *duckdb.DataChunk
	vecs  [8]mapping.Vector
	data  [8]unsafe.Pointer
	raw   bool
}

var rawChunkOK = func() bool {
	t := reflect.TypeOf(duckdb.DataChunk{})
	f := t.Field(0)
	return f.Offset == 0 && f.Type == reflect.TypeOf(mapping.DataChunk{})
}()

// newChunkWriter writes chunk, which has cols columns (at most 8).
func newChunkWriter(chunk *duckdb.DataChunk, cols int) *chunkWriter {
	w := &chunkWriter{chunk: chunk}
	if !rawChunkOK || chunk.ColumnCount() != cols || cols > len(w.vecs) {
		return w
	}
	c := *(*mapping.DataChunk)(unsafe.Pointer(chunk))
	if mapping.DataChunkGetColumnCount(c) != mapping.IdxT(cols) {
		return w
	}
	for i := range cols {
		w.vecs[i] = mapping.DataChunkGetVector(c, mapping.IdxT(i))
		w.data[i] = mapping.VectorGetData(w.vecs[i])
	}
	w.raw = true
	return w
}

func (w *chunkWriter) int32(col, row int, v int32) {
	if w.raw {
		*(*int32)(unsafe.Add(w.data[col], 4*row)) = v
		return
	}
	duckdb.SetChunkValue(*w.chunk, col, row, v)
}

func (w *chunkWriter) int64(col, row int, v int64) {
	if w.raw {
		*(*int64)(unsafe.Add(w.data[col], 8*row)) = v
		return
	}
	duckdb.SetChunkValue(*w.chunk, col, row, v)
}

func (w *chunkWriter) float64(col, row int, v float64) {
	if w.raw {
		*(*float64)(unsafe.Add(w.data[col], 8*row)) = v
		return
	}
	duckdb.SetChunkValue(*w.chunk, col, row, v)
}

func (w *chunkWriter) text(col, row int, b []byte) { // nil is written as ''
	s := unsafe.String(unsafe.SliceData(b), len(b)) // DuckDB copies it
	if !w.raw {
		duckdb.SetChunkValue(*w.chunk, col, row, s)
		return
	}
	if len(b) > 12 {
		mapping.VectorAssignStringElement(w.vecs[col], mapping.IdxT(row), s)
		return
	}
	p := (*[16]byte)(unsafe.Add(w.data[col], 16*row))
	*p = [16]byte{} // the unused inline bytes must be zero
	*(*uint32)(unsafe.Pointer(p)) = uint32(len(b))
	copy(p[4:], b)
}

// plainASCII reports whether b holds only ASCII bytes and no quote or CR. The lines of such a block
// are valid UTF-8, and none needs its quotes undone or a CR taken off its end, so each is cut and
// split in one pass (splitASCIILine). A generated or exported readings file is such a block
// throughout; any other block is read line by line as before.
func plainASCII(b []byte) bool {
	if bytes.IndexByte(b, '"') >= 0 || bytes.IndexByte(b, '\r') >= 0 {
		return false
	}
	for len(b) >= 32 {
		w := binary.LittleEndian.Uint64(b) | binary.LittleEndian.Uint64(b[8:]) |
			binary.LittleEndian.Uint64(b[16:]) | binary.LittleEndian.Uint64(b[24:])
		if w&0x8080808080808080 != 0 {
			return false
		}
		b = b[32:]
	}
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// splitASCIILine splits the first line of b, a block that plainASCII accepted, at delim (an ASCII
// byte) into out (as splitPlain: an empty field is nil, len(out) slots) and returns the number of
// fields — 0 for a blank line — and the rest of b after the line's end. It looks at 8 bytes at a
// time: in ASCII, a byte equal to the delimiter or the line end is the one whose XOR with it is 0,
// which adding 0x7f does not carry into the byte's high bit.
func splitASCIILine(b []byte, delim byte, out [][]byte) (int, []byte) {
	const ones, low7, high = 0x0101010101010101, 0x7f7f7f7f7f7f7f7f, 0x8080808080808080
	dm, nl := uint64(delim)*ones, uint64('\n')*ones
	n, start, i := 0, 0, 0
	end := len(b) // the line's end: its '\n', or the end of b
scan:
	for ; i+8 <= len(b); i += 8 {
		w := binary.LittleEndian.Uint64(b[i:])
		m := (^((w ^ dm) + low7) | ^((w ^ nl) + low7)) & high
		for m != 0 {
			p := i + bits.TrailingZeros64(m)>>3
			if b[p] == '\n' {
				end = p
				break scan
			}
			if n < len(out) {
				out[n] = nil
				if p > start {
					out[n] = b[start:p:p]
				}
			}
			n++
			start = p + 1
			m &= m - 1
		}
	}
	if end == len(b) {
		for ; i < len(b); i++ {
			if c := b[i]; c == '\n' {
				end = i
				break
			} else if c == delim {
				if n < len(out) {
					out[n] = nil
					if i > start {
						out[n] = b[start:i:i]
					}
				}
				n++
				start = i + 1
			}
		}
	}
	var rest []byte
	if end < len(b) {
		rest = b[end+1:]
	}
	if end == 0 {
		return 0, rest
	}
	if n < len(out) {
		out[n] = nil
		if end > start {
			out[n] = b[start:end:end]
		}
	}
	return n + 1, rest
}

// splitPlain splits a line without quotes at delim into out, which has room for exactly the
// expected number of fields; an empty field is nil. It returns the number of fields (len(out)+1
// when there are more).
func splitPlain(line []byte, delim byte, out [][]byte) (int, error) {
	if bytes.IndexByte(line, '\r') >= 0 {
		return 0, errors.New("CR inside a line")
	}
	for n := range out {
		i := bytes.IndexByte(line, delim)
		last := i < 0
		if last {
			i = len(line)
		}
		out[n] = nil
		if i > 0 {
			out[n] = line[:i:i]
		}
		if last {
			return n + 1, nil
		}
		line = line[i+1:]
	}
	return len(out) + 1, nil
}

// splitFields splits a line at delim into out (at most cap(out) fields; more are counted, not kept).
// An empty unquoted field is nil; a quoted field must close on the line and be followed by the
// delimiter or the line end. It returns the number of fields.
func splitFields(line []byte, delim byte, out [][]byte) (int, error) {
	out = out[:cap(out)]
	n := 0
	for {
		var f []byte
		if len(line) > 0 && line[0] == '"' {
			var buf []byte
			i := 1
			for {
				q := bytes.IndexByte(line[i:], '"')
				if q < 0 {
					return 0, errors.New("unclosed quote")
				}
				if i+q+1 < len(line) && line[i+q+1] == '"' {
					buf = append(buf, line[i:i+q+1]...)
					i += q + 2
					continue
				}
				if buf != nil {
					f = append(buf, line[i:i+q]...)
				} else {
					f = line[i : i+q : i+q] // non-nil: "" is an empty text, not NULL
				}
				line = line[i+q+1:]
				break
			}
			if len(line) > 0 && line[0] != delim {
				return 0, errors.New("text after a closing quote")
			}
			if bytes.IndexByte(f, '\r') >= 0 {
				return 0, errors.New("CR in a field")
			}
		} else {
			i := bytes.IndexByte(line, delim)
			if i < 0 {
				i = len(line)
			}
			if i > 0 {
				f = line[:i:i]
			}
			if bytes.IndexByte(f, '"') >= 0 || bytes.IndexByte(f, '\r') >= 0 {
				return 0, errors.New("quote or CR inside a field")
			}
			line = line[i:]
		}
		if n < len(out) {
			out[n] = f
		}
		n++
		if len(line) == 0 {
			for k := n; k < len(out); k++ {
				out[k] = nil
			}
			return n, nil
		}
		line = line[1:] // the delimiter
		if len(line) == 0 {
			if n < len(out) {
				out[n] = nil
			}
			return n + 1, nil
		}
	}
}

var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
	1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// parseDecimal reads -?digits[.digits] exactly as strconv.ParseFloat (correctly rounded); other
// forms (exponents, signs, spaces) are left to DuckDB.
func parseDecimal(s []byte) (float64, bool) {
	neg := false
	i := 0
	if len(s) > 0 && s[0] == '-' {
		neg, i = true, 1
	}
	var mant uint64
	digits, frac := 0, 0
	dot := false
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			if digits < 19 {
				mant = mant*10 + uint64(c-'0')
			}
			digits++
			if dot {
				frac++
			}
		case c == '.' && !dot:
			dot = true
		default:
			return 0, false
		}
	}
	if digits == 0 {
		return 0, false
	}
	var v float64
	if digits <= 15 && frac < len(pow10) {
		v = float64(mant) / pow10[frac] // exact operands: one correctly rounded division
	} else {
		f, err := strconv.ParseFloat(string(s), 64)
		if err != nil {
			return 0, false
		}
		return f, true
	}
	if neg {
		v = -v
	}
	return v, true
}

// parseTimestampUS reads YYYY-MM-DD HH:MM:SS (or with T) as microseconds since 1970; other forms are
// left to DuckDB.
func parseTimestampUS(s []byte) (int64, bool) {
	if len(s) != 19 || s[4] != '-' || s[7] != '-' {
		return 0, false
	}
	c, ok := clock(s[10:])
	if !ok {
		return 0, false
	}
	y, mo, d := digits(s[0:4]), digits(s[5:7]), digits(s[8:10])
	if y < 1 || mo < 1 || mo > 12 || d < 1 {
		return 0, false
	}
	leap := y%4 == 0 && (y%100 != 0 || y%400 == 0)
	dim := [...]int{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[mo-1]
	if mo == 2 && leap {
		dim = 29
	}
	if d > dim {
		return 0, false
	}
	// Days from civil (Howard Hinnant).
	yy := y
	if mo <= 2 {
		yy--
	}
	era := yy / 400
	yoe := yy - era*400
	m3 := (mo + 9) % 12
	doy := (153*m3+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	days := int64(era)*146097 + int64(doe) - 719468
	return days*86_400_000_000 + c, true
}

// clock reads " HH:MM:SS" (or "THH:MM:SS") as microseconds.
func clock(s []byte) (int64, bool) {
	if len(s) != 9 || (s[0] != ' ' && s[0] != 'T') || s[3] != ':' || s[6] != ':' {
		return 0, false
	}
	h, mi, se := digits(s[1:3]), digits(s[4:6]), digits(s[7:9])
	if h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59 {
		return 0, false
	}
	return int64((h*60+mi)*60+se) * 1_000_000, true
}

// digits reads an unsigned decimal; -1 if b holds anything else.
func digits(b []byte) int {
	v := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return -1
		}
		v = v*10 + int(c-'0')
	}
	return v
}

// GeneratedRowMismatches counts the readings of a batch loaded from a generated benchmark file
// (meter 1430000000 + n for line n ÷ hours, one reading an hour from 2023-01-01) whose source_row
// does not match their content: the check that the parallel parser numbers lines exactly.
func GeneratedRowMismatches(ctx context.Context, db *warehouse.DB, batchID int64, hours int) (int64, error) {
	var bad int64
	err := db.QueryRowContext(ctx, `SELECT count(*) FROM raw_power_readings r JOIN power_meter_keys k USING (meter_key) WHERE batch_id = ? AND
		(k.meter_id <> CAST(1430000000 + (source_row - 2) // ? AS VARCHAR)
		 OR ts <> TIMESTAMP '2023-01-01' + to_hours(CAST((source_row - 2) % ? AS BIGINT)))`, batchID, hours, hours).Scan(&bad)
	if err != nil {
		return 0, fmt.Errorf("check source rows: %w", err)
	}
	return bad, nil
}

// DiscardBenchBatch removes a readings batch from the load benchmark's scratch warehouse between its
// runs (`landwatch bench load`); nothing else deletes a batch.
func DiscardBenchBatch(ctx context.Context, db *warehouse.DB, batchID int64) error {
	for _, q := range []string{"DELETE FROM raw_power_readings WHERE batch_id = ?", "DELETE FROM agg_power_meter_days WHERE batch_id = ?",
		"DELETE FROM agg_power_meter_day_batches WHERE batch_id = ?", "DELETE FROM load_batches WHERE batch_id = ?"} {
		if _, err := db.ExecContext(ctx, q, batchID); err != nil {
			return fmt.Errorf("discard batch %d: %w", batchID, err)
		}
	}
	_, err := db.ExecContext(ctx, "CHECKPOINT")
	return err
}
