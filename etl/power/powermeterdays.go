package power

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

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
	meter                     string
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
	end, start int // night_end_hour, night_start_hour
	mu         sync.Mutex
	blocks     []blockDays
}

// dayTracker is a parser's meter-days of the block it reads.
type dayTracker struct {
	blockDays
	meter   []byte
	day     int64
	cur     *dayRun
	end, st int
}

// add counts a reading of meter m at us (as stored) of kwh.
func (t *dayTracker) add(m []byte, us int64, kwh float64) {
	day := us / usPerDay
	rest := us - day*usPerDay
	if rest < 0 {
		day--
		rest += usPerDay
	}
	h := int(rest / usPerHour)
	r := t.cur
	if r == nil || day != t.day || string(m) != string(t.meter) {
		if r != nil && string(m) == string(t.meter) {
			t.runs = append(t.runs, dayRun{meter: r.meter, day: int32(day)})
		} else {
			t.runs = append(t.runs, dayRun{meter: string(m), day: int32(day)})
			t.meter = append(t.meter[:0], m...)
		}
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
	t.blockDays, t.cur, t.meter = blockDays{}, nil, t.meter[:0]
}

// merge puts the blocks' runs together in file order: a run continuing the one before it (a
// meter-day cut by a block's end) is added to it reading by reading. It returns false when a
// meter-day's readings were not all consecutive.
func (j *meterDayJob) merge() ([]dayRun, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	total := 0
	for _, b := range j.blocks {
		total += len(b.runs)
	}
	out := make([]dayRun, 0, total)
	sorted := true
	for bi, b := range j.blocks {
		j.blocks[bi] = blockDays{} // let the block's runs go once merged
		for i := range b.runs {
			r := &b.runs[i]
			var into *dayRun
			if k := len(out); k > 0 {
				p := &out[k-1]
				switch {
				case p.meter == r.meter && p.day == r.day:
					into = p
				case r.meter < p.meter || r.meter == p.meter && r.day < p.day:
					sorted = false
				}
			}
			if into == nil {
				out = append(out, dayRun{meter: r.meter, day: r.day})
				into = &out[len(out)-1]
			}
			if i == 0 {
				into.n += r.n
				for k, v := range b.vals {
					into.addHour(v, int(b.hours[k]), j.end, j.start)
				}
				continue
			}
			if into.n == 0 { // a run summed from 0: its sums stand
				*into = *r
				continue
			}
			// cannot happen: only a block's first run continues another, and it keeps its readings
			return nil, false
		}
	}
	if !sorted {
		type key struct {
			meter string
			day   int32
		}
		seen := make(map[key]bool, len(out))
		for _, r := range out {
			k := key{r.meter, r.day}
			if seen[k] {
				return nil, false
			}
			seen[k] = true
		}
	}
	return out, true
}

var (
	meterDayJobs   sync.Map // id → []dayRun
	meterDayJobSeq atomic.Int64
)

// insertParsedMeterDays writes the parser's meter-days of the batch (warehouse.InsertMeterDays).
func insertParsedMeterDays(ctx context.Context, l *powerLoad, j *meterDayJob, runs []dayRun, readings int64) error {
	id := meterDayJobSeq.Add(1)
	meterDayJobs.Store(id, runs)
	defer meterDayJobs.Delete(id)
	parsedMeterDays.Add(1)
	return warehouse.InsertMeterDays(ctx, l.tx, l.batchID, j.end, j.start, fmt.Sprintf("SELECT * FROM lw_meter_days(%d)", id), readings)
}

// meterDaySource is lw_meter_days(id): the runs of a parse, one row each.
type meterDaySource struct {
	runs []dayRun
	next int
}

func (s *meterDaySource) ColumnInfos() []duckdb.ColumnInfo {
	bigint, _ := duckdb.NewTypeInfo(duckdb.TYPE_BIGINT)
	integer, _ := duckdb.NewTypeInfo(duckdb.TYPE_INTEGER)
	varchar, _ := duckdb.NewTypeInfo(duckdb.TYPE_VARCHAR)
	double, _ := duckdb.NewTypeInfo(duckdb.TYPE_DOUBLE)
	return []duckdb.ColumnInfo{{Name: "meter_id", T: varchar}, {Name: "day", T: integer},
		{Name: "kwh", T: double}, {Name: "day_part_kwh", T: double}, {Name: "night_early_kwh", T: double},
		{Name: "night_late_kwh", T: double}, {Name: "night_late_n", T: bigint}, {Name: "readings", T: bigint}}
}

func (s *meterDaySource) Cardinality() *duckdb.CardinalityInfo {
	return &duckdb.CardinalityInfo{Cardinality: uint(len(s.runs)), Exact: true}
}

func (s *meterDaySource) Init() duckdb.ParallelTableSourceInfo {
	return duckdb.ParallelTableSourceInfo{MaxThreads: 1}
}

func (s *meterDaySource) NewLocalState() any { return nil }

func (s *meterDaySource) FillChunk(_ any, chunk duckdb.DataChunk) error {
	out := newChunkWriter(&chunk, 8)
	n := 0
	for capacity := duckdb.GetDataChunkCapacity(); n < capacity && s.next < len(s.runs); n++ {
		r := &s.runs[s.next]
		s.next++
		out.text(0, n, []byte(r.meter))
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
