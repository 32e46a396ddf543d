package queries

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"landwatch/warehouse"
)

// Querier reads the marts: a *sql.DB, *sql.Conn or *sql.Tx.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// ErrNotBuilt says the models have never been built, or not as far as the date asked for. It is
// the one error of "no run yet" and "not run that far": pages, reports and commands test for it.
var ErrNotBuilt = errors.New("尚未计算到该日期的数据模型")

// LatestAsOf is the as-of date of the last successful models run (run_parameters, which
// queries.Run writes in the transaction that builds the marts): the one answer to "the last run"
// that pages, reports, the scheduler and the commands read; ErrNotBuilt before the first run. A
// freeze does not change it (FreezeDate builds its day apart, in a transaction of its own).
func LatestAsOf(ctx context.Context, q Querier) (time.Time, error) {
	var d sql.NullTime
	if err := q.QueryRowContext(ctx, `SELECT max(as_of) FROM run_parameters`).Scan(&d); err != nil {
		return time.Time{}, fmt.Errorf("read run_parameters: %w", err)
	}
	if !d.Valid {
		return time.Time{}, fmt.Errorf("%w：请先运行 `landwatch models run`", ErrNotBuilt)
	}
	return warehouse.DateOnly(d.Time), nil
}

// At calls fn with the marts as of day, for any day up to the last models run: the warehouse's own
// marts when the last run is as of day, else the models built afresh as of day in a scratch schema
// of one connection, inside a transaction that is rolled back afterwards — so other readers and the
// built marts never see it. Figures are as known then (README "As known then") and frozen dates
// show their snapshot, so a past day's figures come out as they were.
func At(ctx context.Context, db *warehouse.DB, day time.Time, fn func(q Querier) error) error {
	day = warehouse.DateOnly(day)
	latest, err := LatestAsOf(ctx, db)
	if err != nil {
		return err
	}
	switch {
	case day.Equal(latest):
		return fn(db)
	case day.After(latest):
		return fmt.Errorf("%w：最近一次计算截至 %s，%s 尚未计算；请先运行 `landwatch models run --as-of %s`",
			ErrNotBuilt, latest.Format(time.DateOnly), day.Format(time.DateOnly), day.Format(time.DateOnly))
	}
	return atScratch(ctx, db, day, false, func(_ *sql.Tx, q Querier) error { return fn(q) })
}

// atScratch builds the models as of day as temporary tables and views of one connection, inside a
// transaction, and calls fn in it. Temporary objects shadow the warehouse's own for that connection
// alone and need no write access; they are dropped before the transaction ends, which commits only
// when keep is set (fn's writes to the warehouse stay), else rolls back.
func atScratch(ctx context.Context, db *warehouse.DB, day time.Time, keep bool, fn func(tx *sql.Tx, q Querier) error) error {
	models, err := Models()
	if err != nil {
		return err
	}
	conn, err := db.DB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() // a no-op after Commit
	if _, err := buildAll(ctx, tx, models, true, runThreads{}, 0, day, time.Now(), io.Discard); err != nil {
		return fmt.Errorf("models as of %s: %w", day.Format(time.DateOnly), err)
	}
	if err := fn(tx, tx); err != nil {
		return err
	}
	if !keep {
		return nil
	}
	// the connection goes back to the pool without them
	for i := len(models) - 1; i >= 0; i-- {
		if _, err := tx.ExecContext(ctx, "DROP "+tempKind(models[i])+" temp.main."+models[i].Name); err != nil {
			return fmt.Errorf("drop %s: %w", models[i].Name, err)
		}
	}
	if _, err := tx.ExecContext(ctx, "DROP TABLE IF EXISTS temp.main.agg_power_meter_days"); err != nil { // meterdays.go
		return err
	}
	if _, err := tx.ExecContext(ctx, "DROP TABLE temp.main.run_parameters"); err != nil {
		return err
	}
	return tx.Commit()
}

// Freeze is a frozen date.
type Freeze struct {
	AsOf       time.Time
	FrozenAt   time.Time // county local time
	FrozenBy   string
	SHA256     string
	Scorecards int
	Violations int
	Ledger     int
	// Columns are the columns of each frozen table when the day was frozen, which its hash covers;
	// nil for a freeze recorded before they were kept (every column is hashed then).
	Columns map[string][]string
}

// ErrFrozen refuses a second freeze of a date.
var ErrFrozen = errors.New("该日期已锁定")

// Frozen returns the freeze of day, or nil.
func Frozen(ctx context.Context, q Querier, day time.Time) (*Freeze, error) {
	fs, err := Freezes(ctx, q)
	if err != nil {
		return nil, err
	}
	for _, f := range fs {
		if f.AsOf.Equal(warehouse.DateOnly(day)) {
			return &f, nil
		}
	}
	return nil, nil
}

// Freezes lists every frozen date, latest first.
func Freezes(ctx context.Context, q Querier) ([]Freeze, error) {
	rows, err := q.QueryContext(ctx, `SELECT as_of, frozen_at, frozen_by, sha256, scorecards, violations, ledger, columns
		FROM freezes ORDER BY as_of DESC`)
	if err != nil {
		return nil, fmt.Errorf("read freezes: %w", err)
	}
	defer rows.Close()
	var out []Freeze
	for rows.Next() {
		var f Freeze
		var cols sql.NullString
		if err := rows.Scan(&f.AsOf, &f.FrozenAt, &f.FrozenBy, &f.SHA256, &f.Scorecards, &f.Violations, &f.Ledger, &cols); err != nil {
			return nil, err
		}
		if cols.Valid {
			if err := json.Unmarshal([]byte(cols.String), &f.Columns); err != nil {
				return nil, fmt.Errorf("freeze of %s: columns: %w", f.AsOf.Format(time.DateOnly), err)
			}
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// FreezeOptions for FreezeDate.
type FreezeOptions struct {
	By  string           // who freezes
	Now func() time.Time // the clock (default time.Now)
}

// FreezeDate stores day's scorecards, violations and ledger as a snapshot (frozen_* tables) with
// its hash. The day must lie up to the last models run and must not be frozen already; from then on
// the marts show the snapshot for day, and no file stamped on or before day loads (etl).
func FreezeDate(ctx context.Context, db *warehouse.DB, day time.Time, opt FreezeOptions) (*Freeze, error) {
	day = warehouse.DateOnly(day)
	if f, err := Frozen(ctx, db, day); err != nil {
		return nil, err
	} else if f != nil {
		return nil, fmt.Errorf("%w：%s 已于 %s 由 %s 锁定，不能重复锁定", ErrFrozen, day.Format(time.DateOnly),
			f.FrozenAt.Format("2006-01-02 15:04"), f.FrozenBy)
	}
	latest, err := LatestAsOf(ctx, db)
	if err != nil {
		return nil, err
	}
	if day.After(latest) {
		return nil, fmt.Errorf("%w：最近一次计算截至 %s，请先运行 `landwatch models run --as-of %s` 再锁定", ErrNotBuilt,
			latest.Format(time.DateOnly), day.Format(time.DateOnly))
	}
	cfg, err := db.Config(ctx)
	if err != nil {
		return nil, err
	}
	now := time.Now
	if opt.Now != nil {
		now = opt.Now
	}
	l := now().In(cfg.Location())
	f := &Freeze{AsOf: day, FrozenBy: opt.By,
		FrozenAt: time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC)}
	err = atScratch(ctx, db, day, true, func(tx *sql.Tx, q Querier) error {
		for _, s := range snapshots {
			if _, err := tx.ExecContext(ctx, `INSERT INTO `+s.table+` BY NAME `+s.rows, day); err != nil {
				return fmt.Errorf("freeze %s: %w", s.table, err)
			}
		}
		var err error
		if f.Columns, err = snapshotColumns(ctx, tx); err != nil {
			return err
		}
		f.SHA256, f.Scorecards, f.Violations, f.Ledger, err = SnapshotHash(ctx, tx, day, f.Columns)
		if err != nil {
			return err
		}
		cols, err := json.Marshal(f.Columns)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO freezes (as_of, frozen_at, frozen_by, sha256, scorecards, violations, ledger, columns)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			day, f.FrozenAt, f.FrozenBy, f.SHA256, f.Scorecards, f.Violations, f.Ledger, string(cols)); err != nil {
			return fmt.Errorf("record freeze: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// snapshots are what a freeze stores: the marts' rows as of the day (the one parameter), each into
// its frozen table.
var snapshots = []struct{ table, rows, key string }{
	{"frozen_scorecards", `SELECT * EXCLUDE (frozen_at) FROM mart_township_scorecard WHERE as_of = ?`, "township"},
	{"frozen_violations", `SELECT CAST(? AS DATE) AS as_of, * EXCLUDE (frozen_at) FROM mart_violations`, "violation_id"},
	{"frozen_ledger", `SELECT CAST(? AS DATE) AS as_of, * EXCLUDE (frozen_at) FROM mart_ledger`, "item_id"},
}

// snapshotColumns lists each frozen table's columns (as_of aside), in table order.
func snapshotColumns(ctx context.Context, q Querier) (map[string][]string, error) {
	out := map[string][]string{}
	for _, s := range snapshots {
		rows, err := q.QueryContext(ctx, `SELECT * EXCLUDE (as_of) FROM `+s.table+` LIMIT 0`)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", s.table, err)
		}
		cols, err := rows.Columns()
		rows.Close()
		if err != nil {
			return nil, err
		}
		out[s.table] = cols
	}
	return out, nil
}

// SnapshotHash is the SHA-256 of day's frozen rows (the given columns of each table, or every
// column when cols has none for it, as text, in key order, table by table) and the row count of
// each table. `audit verify` recomputes it with the columns recorded at the freeze.
func SnapshotHash(ctx context.Context, q Querier, day time.Time, cols map[string][]string) (sum string, scorecards, violations, ledger int, err error) {
	h := sha256.New()
	counts := make([]int, len(snapshots))
	for i, s := range snapshots {
		sel := "* EXCLUDE (as_of)"
		if c := cols[s.table]; len(c) > 0 {
			quoted := make([]string, len(c))
			for j, name := range c {
				quoted[j] = `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
			}
			sel = strings.Join(quoted, ", ")
		}
		rows, err := q.QueryContext(ctx, `SELECT `+sel+` FROM `+s.table+` WHERE as_of = ? ORDER BY `+s.key, warehouse.DateOnly(day))
		if err != nil {
			return "", 0, 0, 0, fmt.Errorf("read %s: %w", s.table, err)
		}
		cols, _ := rows.Columns()
		fmt.Fprintf(h, "%s\x1e%s\x1e", s.table, strings.Join(cols, "\x1f"))
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for j := range vals {
			ptrs[j] = &vals[j]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return "", 0, 0, 0, err
			}
			for _, v := range vals {
				switch x := v.(type) {
				case nil:
					h.Write([]byte("\x00"))
				case time.Time:
					h.Write([]byte(x.UTC().Format(time.RFC3339Nano)))
				default:
					fmt.Fprint(h, x)
				}
				h.Write([]byte("\x1f"))
			}
			h.Write([]byte("\x1e"))
			counts[i]++
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return "", 0, 0, 0, err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), counts[0], counts[1], counts[2], nil
}

// VerifyFreezes recomputes every snapshot's hash and names each frozen date whose stored rows no
// longer match what was recorded when it was frozen.
func VerifyFreezes(ctx context.Context, q Querier) ([]string, error) {
	fs, err := Freezes(ctx, q)
	if err != nil {
		return nil, err
	}
	var bad []string
	for _, f := range fs {
		sum, sc, v, l, err := SnapshotHash(ctx, q, f.AsOf, f.Columns)
		if err != nil {
			return nil, err
		}
		if sum != f.SHA256 || sc != f.Scorecards || v != f.Violations || l != f.Ledger {
			bad = append(bad, fmt.Sprintf("%s 的锁定数据被改动（记分卡%d/%d行，违法点位%d/%d行，台账%d/%d行，哈希不符）",
				f.AsOf.Format(time.DateOnly), sc, f.Scorecards, v, f.Violations, l, f.Ledger))
		}
	}
	return bad, nil
}
