package power

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"landwatch/warehouse"
)

// The readings store their meter as a key (power_meter_keys, warehouse/migrations/0148_power_meter_keys.sql).
// A load reads the keys at its start, with the registry (raw_meters): the Go parser (powerfast.go)
// turns each 户号 into its key with one map lookup per run of a meter's readings (the rows of a
// run reuse the key of the row before). A 户号 without a key gets the next one when the parser
// first meets it (keys stay dense; which of two new 户号 parsed at the same time by two threads
// gets the smaller one is not fixed), and the new keys are inserted in the load's transaction, so
// a refused file leaves none. The read_csv and Parquet paths assign them in SQL instead (warehouse.AddMeterKeysSQL).
// Readings loads of one warehouse run one at a time (lockMeterKeys): two loads running together
// would read the same largest key and hand out the same next ones.

// meterKey is what a load knows of one 户号.
type meterKey struct {
	id         string
	key        atomic.Int32 // 0 until keyed: a 户号 new to the warehouse is keyed when the file first has it
	registered bool         // the current registry holds it
	fresh      bool         // the key is new: inserted into power_meter_keys if the file used it
}

// meterKeys maps the 户号 to their keys for one load.
type meterKeys struct {
	known map[string]*meterKey // the registry's meters and every 户号 with a key; not written while parsing
	mu    sync.Mutex
	other map[string]*meterKey // 户号 of the file that are neither
	next  int32                // the largest key handed out
}

// loadMeterKeys reads the keys and the registry as the transaction tx sees them.
func loadMeterKeys(ctx context.Context, tx *sql.Tx) (*meterKeys, error) {
	k := &meterKeys{known: map[string]*meterKey{}, other: map[string]*meterKey{}}
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(meter_key), 0) FROM power_meter_keys`).Scan(&k.next); err != nil {
		return nil, fmt.Errorf("读取电表键：%w", err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT meter_id, k.meter_key, m.meter_id IS NOT NULL
		FROM power_meter_keys k
		FULL JOIN (SELECT DISTINCT m.meter_id FROM raw_meters m JOIN load_batches b USING (batch_id)
			WHERE b.replaced_by IS NULL AND m.meter_id IS NOT NULL) m USING (meter_id)`)
	if err != nil {
		return nil, fmt.Errorf("读取电表登记：%w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var key sql.NullInt32
		var reg bool
		if err := rows.Scan(&id, &key, &reg); err != nil {
			return nil, err
		}
		e := &meterKey{id: id, registered: reg, fresh: !key.Valid}
		e.key.Store(key.Int32)
		k.known[id] = e
	}
	return k, rows.Err()
}

// maxOtherMeters bounds the 户号 outside the registry the parser keys in memory: a file with more
// (refused in any case) is left to read_csv, whose keys SQL assigns in one statement.
var maxOtherMeters = 20000

// lookup gives 户号 m's key, the next one if m has none yet, and whether the registry holds m; ok
// is false for one 户号 too many outside the registry (maxOtherMeters).
func (k *meterKeys) lookup(m []byte) (key int32, registered, ok bool) {
	e := k.known[string(m)]
	if e != nil {
		if key := e.key.Load(); key != 0 {
			return key, e.registered, true
		}
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if e == nil {
		if e = k.other[string(m)]; e == nil {
			if len(k.other) >= maxOtherMeters {
				return 0, false, false
			}
			e = &meterKey{id: string(m), fresh: true}
			k.other[e.id] = e
		}
	}
	if e.key.Load() == 0 {
		k.next++
		e.key.Store(k.next)
	}
	return e.key.Load(), e.registered, true
}

// insertUsed inserts the fresh keys the file used into power_meter_keys.
func (k *meterKeys) insertUsed(ctx context.Context, tx *sql.Tx) error {
	var used []*meterKey
	for _, m := range []map[string]*meterKey{k.known, k.other} {
		for _, e := range m {
			if e.fresh && e.key.Load() != 0 {
				used = append(used, e)
			}
		}
	}
	slices.SortFunc(used, func(a, b *meterKey) int { return int(a.key.Load()) - int(b.key.Load()) })
	const per = 500
	for len(used) > 0 {
		n := min(len(used), per)
		args := make([]any, 0, 2*n)
		for _, e := range used[:n] {
			args = append(args, e.key.Load(), e.id)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO power_meter_keys VALUES "+
			strings.TrimSuffix(strings.Repeat("(?, ?), ", n), ", "), args...); err != nil {
			return fmt.Errorf("写入电表键：%w", err)
		}
		used = used[n:]
	}
	return nil
}

// ids gives every key the load knows its 户号, indexed by the key.
func (k *meterKeys) ids() []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	out := make([]string, k.next+1)
	for _, m := range []map[string]*meterKey{k.known, k.other} {
		for id, e := range m {
			if key := e.key.Load(); key > 0 && key <= k.next {
				out[key] = id
			}
		}
	}
	return out
}

// keyLocks holds a one-slot channel per warehouse: the readings load that holds it may hand out
// meter keys.
var keyLocks sync.Map // *sql.DB → chan struct{}

// lockMeterKeys waits until no other readings load of db runs (or ctx ends); unlock lets the next go.
func lockMeterKeys(ctx context.Context, db *warehouse.DB) (unlock func(), err error) {
	c, _ := keyLocks.LoadOrStore(db.DB, make(chan struct{}, 1))
	slot := c.(chan struct{})
	select {
	case slot <- struct{}{}:
		var once sync.Once
		return func() { once.Do(func() { <-slot }) }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// keyList is keys as one parameter, joined by commas.
func keyList(keys []int32) string {
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprint(&b, k)
	}
	return b.String()
}
