package power

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/duckdb/duckdb-go/v2"

	"landwatch/warehouse"
)

// The batch's meter-days (agg_power_meter_days, warehouse/meterdays.go), aggregated by the Go
// parser while it reads the file instead of by the SQL of warehouse/aggregates/agg_power_meter_days.sql
// over the inserted rows afterwards — the same figures, added up in the same order:
//
//   - a meter-day's readings are summed one by one in file order, from 0, as DuckDB's sum() adds
//     the rows of a group it reads in that order (plain double addition); night_late_kwh sums only
//     the readings before night_end_hour and is NULL without one; the day and the hour are those
//     of the stored time (CAST(ts AS DATE), hour(ts));
//   - each block's parser keeps its runs — consecutive readings of one meter on one day — in file
//     order; a run that begins its block keeps its readings one by one, so that a meter-day cut by
//     a block's end goes on being summed where the previous block left it;
//   - a meter-day whose readings are not consecutive in the file (another meter or day between
//     them) would be summed in another order by the SQL's groups: then nothing of the parse is
//     kept and the SQL aggregates the batch (warehouse.AddMeterDays), as it does for files the
//     parser leaves to DuckDB's reader.
//
// TestMeterDaysParsedAsSQL (powermeterdays_test.go) loads the same files both ways and compares
// the tables row by row, exactly.

const (
	usPerDay  = 86_400_000_000
	usPerHour = 3_600_000_000
)

// parseMeterDays switches the parser's meter-days on (tests compare them with the SQL's);
// parsedMeterDays counts the batches whose meter-days the parser gave.
var (
	parseMeterDays  = true
	parsedMeterDays atomic.Int64
)

// dayRun is the readings of one meter on one day, consecutive in a block.
type dayRun struct {
	meter                     int32 // the meter's key
	day                       int32 // days since 1970-01-01
	n, lateN                  int32
	kwh, dayPart, early, late float64
}

// blockDays is a block's runs; its first run's readings are kept one by one (vals, hours), not
// summed, as it may continue the previous block's last run.
type blockDays struct {
	runs  []dayRun
	vals  []float64
	hours []int8
}

// meterDayJob collects the blocks' runs.
type meterDayJob struct {
	end, start int        // night_end_hour, night_start_hour
	keys       *meterKeys // the load's meter keys, to give each meter-day its 户号
	ids        []string   // the 户号 by key (keys.ids), once the meter-days are given
	mu         sync.Mutex
	blocks     []blockDays
	bi, ri     int // where next goes on: block, run
}

// dayTracker is a parser's meter-days of the block it reads.
type dayTracker struct {
	blockDays
	meter   int32
	day     int64
	cur     *dayRun
	end, st int
}

// add counts a reading of the meter keyed m at us (as stored) of kwh.
func (t *dayTracker) add(m int32, us int64, kwh float64) {
	day := us / usPerDay
	rest := us - day*usPerDay
	if rest < 0 {
		day--
		rest += usPerDay
	}
	h := int(rest / usPerHour)
	r := t.cur
	if r == nil || day != t.day || m != t.meter {
		t.runs = append(t.runs, dayRun{meter: m, day: int32(day)})
		t.meter = m
		t.day = day
		r = &t.runs[len(t.runs)-1]
		t.cur = r
	}
	r.n++
	if len(t.runs) == 1 {
		t.vals, t.hours = append(t.vals, kwh), append(t.hours, int8(h))
		return
	}
	r.addHour(kwh, h, t.end, t.st)
}

// addHour adds a reading of hour h to the run's sums (not its count).
func (r *dayRun) addHour(kwh float64, h, end, start int) {
	r.kwh += kwh
	switch {
	case h < end:
		r.late += kwh
		r.lateN++
	case h >= start:
		r.early += kwh
	default:
		r.dayPart += kwh
	}
}

// flush hands the block's runs over.
func (t *dayTracker) flush(j *meterDayJob, block int) {
	j.mu.Lock()
	j.blocks[block] = t.blockDays
	j.mu.Unlock()
	t.blockDays, t.cur = blockDays{}, nil
}

// check reports whether every meter-day's readings were consecutive in the file — a run
// continues the one before it (the same meter and day) only as its block's first run, cut off by
// the block's end — and counts the readings.
func (j *meterDayJob) check() (readings int64, ok bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	type key struct {
		meter int32
		day   int32
	}
	// The usual file, meter by meter with each meter's days rising, is told by the meters alone: no
	// meter comes back after another, and within one the days rise. (Keys are handed out as the
	// parser meets new 户号, by two threads at once, so their order says nothing of the file's.)
	var prev *dayRun
	grouped := true
	metersSeen := map[int32]bool{}
	for _, b := range j.blocks {
		for i := range b.runs {
			r := &b.runs[i]
			readings += int64(r.n)
			switch {
			case prev != nil && prev.meter == r.meter && prev.day == r.day:
				if i > 0 {
					return 0, false // cannot happen: a block's runs differ from the one before
				}
			case prev != nil && prev.meter == r.meter:
				grouped = grouped && r.day > prev.day
			case grouped:
				grouped = !metersSeen[r.meter]
				metersSeen[r.meter] = true
			}
			prev = r
		}
	}
	if grouped {
		return readings, true
	}
	seen := map[key]bool{}
	prev = nil
	for _, b := range j.blocks {
		for i := range b.runs {
			r := &b.runs[i]
			if prev == nil || prev.meter != r.meter || prev.day != r.day {
				k := key{r.meter, r.day}
				if seen[k] {
					return 0, false
				}
				seen[k] = true
			}
			prev = r
		}
	}
	return readings, true
}

// next gives the next meter-day in file order, the runs that continue one another added up: a
// block's first run reading by reading, where the previous block left it. The blocks already
// given are let go.
func (j *meterDayJob) next() (dayRun, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	var acc dayRun
	started := false
	for j.bi < len(j.blocks) {
		b := &j.blocks[j.bi]
		if j.ri >= len(b.runs) {
			j.blocks[j.bi] = blockDays{}
			j.bi, j.ri = j.bi+1, 0
			continue
		}
		r := &b.runs[j.ri]
		if started && (j.ri > 0 || r.meter != acc.meter || r.day != acc.day) {
			break // the next meter-day
		}
		if j.ri == 0 {
			if !started {
				acc = dayRun{meter: r.meter, day: r.day}
			}
			acc.n += r.n
			for k, v := range b.vals {
				acc.addHour(v, int(b.hours[k]), j.end, j.start)
			}
		} else {
			acc = *r // summed from 0 in its block
		}
		started = true
		j.ri++
	}
	return acc, started
}

// id is the 户号 of the meter keyed k (the table kept holds the 户号, as the SQL's join gives it:
// turned back here, the insert needs no join).
func (j *meterDayJob) id(k int32) string {
	if j.ids == nil {
		j.ids = j.keys.ids()
	}
	return j.ids[k]
}

var (
	meterDayJobs   sync.Map // id → *meterDayJob
	meterDayJobSeq atomic.Int64
)

// insertParsedMeterDays writes the parser's meter-days of the batch (warehouse.InsertMeterDays).
func insertParsedMeterDays(ctx context.Context, l *powerLoad, j *meterDayJob, readings int64) error {
	id := meterDayJobSeq.Add(1)
	meterDayJobs.Store(id, j)
	defer meterDayJobs.Delete(id)
	parsedMeterDays.Add(1)
	return warehouse.InsertMeterDays(ctx, l.tx, l.batchID, j.end, j.start, fmt.Sprintf("SELECT * FROM lw_meter_days(%d)", id), readings)
}

// meterDaySource is lw_meter_days(id): the meter-days of a parse, one row each.
type meterDaySource struct{ job *meterDayJob }

func (s *meterDaySource) ColumnInfos() []duckdb.ColumnInfo {
	bigint, _ := duckdb.NewTypeInfo(duckdb.TYPE_BIGINT)
	integer, _ := duckdb.NewTypeInfo(duckdb.TYPE_INTEGER)
	varchar, _ := duckdb.NewTypeInfo(duckdb.TYPE_VARCHAR)
	double, _ := duckdb.NewTypeInfo(duckdb.TYPE_DOUBLE)
	return []duckdb.ColumnInfo{{Name: "meter_id", T: varchar}, {Name: "day", T: integer},
		{Name: "kwh", T: double}, {Name: "day_part_kwh", T: double}, {Name: "night_early_kwh", T: double},
		{Name: "night_late_kwh", T: double}, {Name: "night_late_n", T: bigint}, {Name: "readings", T: bigint}}
}

func (s *meterDaySource) Cardinality() *duckdb.CardinalityInfo { return nil }

func (s *meterDaySource) Init() duckdb.ParallelTableSourceInfo {
	return duckdb.ParallelTableSourceInfo{MaxThreads: 1}
}

func (s *meterDaySource) NewLocalState() any { return nil }

func (s *meterDaySource) FillChunk(_ any, chunk duckdb.DataChunk) error {
	out := newChunkWriter(&chunk, 8)
	n := 0
	for capacity := duckdb.GetDataChunkCapacity(); n < capacity; n++ {
		r, ok := s.job.next()
		if !ok {
			break
		}
		id := s.job.id(r.meter)
		out.text(0, n, unsafe.Slice(unsafe.StringData(id), len(id)))
		out.int32(1, n, r.day)
		out.float64(2, n, r.kwh)
		out.float64(3, n, r.dayPart)
		out.float64(4, n, r.early)
		out.float64(5, n, r.late)
		out.int64(6, n, int64(r.lateN))
		out.int64(7, n, int64(r.n))
	}
	return chunk.SetSize(n)
}
