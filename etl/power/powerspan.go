package power

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"landwatch/campaign"
	"landwatch/warehouse"
)

// What the Go parser (powerfast.go) learns of a readings file while it reads it, so that the
// plausibility checks of powercheck.go need not scan the whole batch again:
//
//   - per meter, whether its times rise strictly in file order: then no reading of that meter
//     repeats another, and the duplicate check (two window functions over the batch) is needed
//     only for the meters whose times do not rise — for those, it runs in SQL as before;
//   - per meter, its first and last time (the least and the greatest): the overlap with earlier
//     batches is first asked of the committed readings only, within those ranges (a range filter
//     the readings' zone maps answer), and only when some range meets a committed reading is the
//     batch joined against them in SQL to name the rows;
//   - how many readings lie above the ceiling per interval (power.max_kwh_per_interval);
//   - how many readings checkReadings would report: a sentinel, or a time outside the campaign's
//     data spans. None: checkReadings need not scan the batch.
//
// Only readings with a real time count (not the sentinels of powerfast.go, which checkReadings
// reports): exactly the rows the SQL checks look at (ts ≥ year 1000). Interval keys are checked
// by the parser itself (a time not at an interval's start gets its sentinel).

// meterSpan is what one meter's readings told the parser, over one block or, merged, the file.
type meterSpan struct {
	last    int64 // the time of the meter's latest reading in file order (µs since 1970)
	lo, hi  int64 // its least and greatest time
	ordered bool  // every reading of the meter came after the one before it in time
}

// realTimeUS is the least time the plausibility checks look at (checkReadingsPlausible).
var realTimeUS = time.Date(1000, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()

// readingsSummary gathers the blocks' spans in file order, as the parsers finish blocks in any
// order.
type readingsSummary struct {
	mu      sync.Mutex
	pending map[int]map[int32]*meterSpan // finished blocks not yet merged
	next    int                          // the next block to merge
	meters  map[int32]*meterSpan         // merged, blocks [0, next), by meter key
	over    int64                        // readings above the ceiling, or not finite
	flagged int64                        // readings with a sentinel time or outside the data spans
}

func newReadingsSummary() *readingsSummary {
	return &readingsSummary{pending: map[int]map[int32]*meterSpan{}, meters: map[int32]*meterSpan{}}
}

// finish hands over block k's spans and merges every block that now follows the merged ones.
func (s *readingsSummary) finish(k int, spans map[int32]*meterSpan, over, flagged int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.over += over
	s.flagged += flagged
	s.pending[k] = spans
	for {
		b, ok := s.pending[s.next]
		if !ok {
			return
		}
		delete(s.pending, s.next)
		s.next++
		for m, sp := range b {
			g := s.meters[m]
			if g == nil {
				s.meters[m] = sp
				continue
			}
			g.ordered = g.ordered && sp.ordered && sp.lo > g.last // sp.lo is its first time when ordered
			g.last, g.lo, g.hi = sp.last, min(g.lo, sp.lo), max(g.hi, sp.hi)
		}
	}
}

// before reports whether every reading with a real time lies a day or more before at (a
// zone-less wall clock): then none is after the file's received stamp (checkReadingsArrival),
// however the stamp's zone is read.
func (s *readingsSummary) before(at time.Time) bool {
	limit := time.Date(at.Year(), at.Month(), at.Day(), at.Hour(), at.Minute(), at.Second(), at.Nanosecond(), time.UTC).
		Add(-24 * time.Hour).UnixMicro()
	for _, sp := range s.meters {
		if sp.hi >= limit {
			return false
		}
	}
	return true
}

// complete reports whether every one of n blocks was merged.
func (s *readingsSummary) complete(n int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.next == n && len(s.pending) == 0
}

// unordered lists the keys of the meters whose times did not rise strictly, sorted.
func (s *readingsSummary) unordered() []int32 {
	var out []int32
	for m, sp := range s.meters {
		if !sp.ordered {
			out = append(out, m)
		}
	}
	slices.Sort(out)
	return out
}

// spanTracker is a parser's view of the block it reads.
type spanTracker struct {
	spans   map[int32]*meterSpan
	over    int64
	flagged int64
	inside  int // the data span the last reading fell in
	lastKey int32
	last    *meterSpan
}

// add records a reading of the meter keyed m at us (a real time) of kwh.
func (t *spanTracker) add(m int32, us int64, kwh float64, ceiling float64) {
	if kwh > ceiling || math.IsInf(kwh, 0) || math.IsNaN(kwh) {
		t.over++
	}
	if t.spans == nil {
		t.spans = map[int32]*meterSpan{}
		t.last = nil
	}
	sp := t.last
	if sp == nil || m != t.lastKey {
		sp = t.spans[m]
		if sp == nil {
			sp = &meterSpan{last: us, lo: us, hi: us, ordered: true}
			t.spans[m] = sp
			t.last, t.lastKey = sp, m
			return
		}
		t.last, t.lastKey = sp, m
	}
	sp.ordered = sp.ordered && us > sp.last
	sp.last, sp.lo, sp.hi = us, min(sp.lo, us), max(sp.hi, us)
}

// within counts a reading at us outside every data span ([from, to) in µs) as flagged.
func (t *spanTracker) within(us int64, spans [][2]int64) {
	if t.inside < len(spans) && us >= spans[t.inside][0] && us < spans[t.inside][1] {
		return
	}
	for i, s := range spans {
		if us >= s[0] && us < s[1] {
			t.inside = i
			return
		}
	}
	t.flagged++
}

// dataSpansUS is cfg.DataSpans() as the [from, to) microseconds checkReadings compares ts with.
func dataSpansUS(cfg *campaign.Config) [][2]int64 {
	var out [][2]int64
	for _, s := range cfg.DataSpans() {
		out = append(out, [2]int64{s.From.UnixMicro(), s.To.AddDate(0, 0, 1).UnixMicro()})
	}
	return out
}

// flush hands the block's spans to the summary and starts afresh.
func (t *spanTracker) flush(s *readingsSummary, block int) {
	spans := t.spans
	if spans == nil {
		spans = map[int32]*meterSpan{}
	}
	s.finish(block, spans, t.over, t.flagged)
	t.spans, t.over, t.flagged, t.last = nil, 0, 0, nil
}

// maxListedMeters bounds the meters a check names in its SQL; with more, it checks the whole batch.
const maxListedMeters = 20000

// readingsOverlapCommitted says whether any committed reading of a batch not replaced shares a
// meter with the file and lies within that meter's range of times in the file. It reads through
// db, outside the load's transaction, so the scan sees committed row groups only, which the
// range filter on ts lets DuckDB skip by their statistics.
func readingsOverlapCommitted(ctx context.Context, db *warehouse.DB, s *readingsSummary) (bool, error) {
	if len(s.meters) == 0 {
		return false, nil
	}
	keys := make([]int32, 0, len(s.meters))
	for m := range s.meters {
		keys = append(keys, m)
	}
	slices.Sort(keys)
	var los, his strings.Builder
	glo, ghi := int64(math.MaxInt64), int64(math.MinInt64)
	for i, m := range keys {
		sp := s.meters[m]
		if i > 0 {
			los.WriteByte(',')
			his.WriteByte(',')
		}
		los.WriteString(strconv.FormatInt(sp.lo, 10))
		his.WriteString(strconv.FormatInt(sp.hi, 10))
		glo, ghi = min(glo, sp.lo), max(ghi, sp.hi)
	}
	var one int
	err := db.QueryRowContext(ctx, `WITH r AS (SELECT unnest(string_split(?, ',')::INTEGER[]) AS meter_key,
			make_timestamp(unnest(string_split(?, ',')::BIGINT[])) AS lo, make_timestamp(unnest(string_split(?, ',')::BIGINT[])) AS hi)
		SELECT 1 FROM raw_power_readings o JOIN r ON o.meter_key = r.meter_key AND o.ts BETWEEN r.lo AND r.hi
		JOIN load_batches b ON b.batch_id = o.batch_id AND b.replaced_by IS NULL
		WHERE o.ts BETWEEN make_timestamp(?) AND make_timestamp(?) LIMIT 1`,
		keyList(keys), los.String(), his.String(), glo, ghi).Scan(&one)
	if err == sql.ErrNoRows {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("与已导入的用电数据核对：%w", err)
	}
	return true, nil
}
