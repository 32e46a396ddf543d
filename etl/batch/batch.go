// Package batch is what every load shares: its options and result, its arrival stamp (when the
// file reached the county, checked against the dates it states and the frozen days), its
// load_batches row with its warnings, and the points where a test may hold it.
package batch

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"

	"landwatch/etl/read"
)

// Options of a load.
type Options struct {
	// LoadedBy is recorded in load_batches (a user name, or "cli").
	LoadedBy string
	// Progress receives a progress bar (terminal) or progress lines; nil is silent.
	Progress io.Writer
	// MemoryLimit caps DuckDB's memory while power readings load (default "1GB").
	MemoryLimit string
	// ReceivedAt is when the file reached the county, for a file that arrived earlier on paper or
	// USB; zero means now (the server clock). It may not lie in the future nor before any event
	// date the file states.
	ReceivedAt time.Time
	// ReceivedBy names who gave ReceivedAt (default LoadedBy); recorded with the batch.
	ReceivedBy string
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Log receives the load's debug lines (phase timings); nil discards them.
	Log *slog.Logger
	// Unit, when set, is the member unit (short name) handing in its own stage file (case-stages):
	// a row of another unit is refused like any bad value.
	Unit string
	// Dir is the folder of the file, where a video event list's screenshots lie (LoadFile sets it
	// from the path; an upload has none, so a video list is loaded from the command line).
	Dir string
}

// Logger is opt.Log, or one that discards.
func (opt Options) Logger() *slog.Logger {
	if opt.Log != nil {
		return opt.Log
	}
	return slog.New(slog.DiscardHandler)
}

// Result of loading one file.
type Result struct {
	BatchID       int64
	Kind          read.Kind
	File          string
	Rows          int64
	Warnings      []read.Warning
	AlreadyLoaded bool  // the same bytes were loaded before, as BatchID; nothing was done
	Replaced      int64 // the batch this file replaced (a corrected form), 0 if none
	Encoding      string
	ReceivedAt    time.Time // the arrival stamp (campaign local time, zone-less)
	ReceivedBy    string    // who gave a hand stamp; "" for the clock
	// MeterDaysCPU is, for a readings file, the processor time of its meter-day aggregate, part
	// of the load (warehouse.AddMeterDays): `landwatch bench load` shows the load with and without it.
	MeterDaysCPU time.Duration
}

// Sum is the sha256 of a file's bytes, in hex.
func Sum(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

// FindLoaded returns the latest batch that loaded the same bytes as the same kind (0 when none),
// and, when a correction replaced it, when that correction arrived.
func FindLoaded(ctx context.Context, q Querier, kind read.Kind, sha string) (id, rows int64, replacedAt sql.NullTime, err error) {
	err = q.QueryRowContext(ctx, `SELECT b.batch_id, b.rows, coalesce(r.received_at, r.loaded_at) FROM load_batches b
		LEFT JOIN load_batches r ON r.batch_id = b.replaced_by
		WHERE b.kind = ? AND b.sha256 = ? ORDER BY b.batch_id DESC LIMIT 1`, string(kind), sha).Scan(&id, &rows, &replacedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, replacedAt, nil
	}
	return id, rows, replacedAt, err
}

// Querier is a database or a transaction.
type Querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Batch is the load_batches row of one load.
type Batch struct {
	ID       int64
	Kind     read.Kind
	File     string
	SHA      string
	Rows     int64
	LoadedBy string
	Township string
	FormDate *time.Time
	Level    string
	Village  string
	FormRow  int // the row of an inspection form's header line
	Replaces int64
	Arrival  Arrival
}

// NewID takes the next batch id.
func NewID(ctx context.Context, tx Querier) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT nextval('batch_seq')`).Scan(&id)
	return id, err
}

// Insert records the batch and its warnings.
func Insert(ctx context.Context, tx Querier, b *Batch, warns []read.Warning) error {
	if err := InsertRow(ctx, tx, b, len(warns)); err != nil {
		return err
	}
	return InsertRows(ctx, tx, "load_warnings", WarningCols, WarningRows(b.ID, warns))
}

// InsertRow records the batch in load_batches, and the batch it replaces as replaced.
func InsertRow(ctx context.Context, tx Querier, b *Batch, warnings int) error {
	by := b.LoadedBy
	if by == "" {
		by = "unknown"
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO load_batches (batch_id, kind, file_name, sha256, rows, warnings, loaded_by, loaded_at,
		township, form_date, replaces, replaced_by, form_level, form_village, received_at, received_given_by) VALUES (?, ?, ?, ?, ?, ?, ?, current_timestamp::TIMESTAMP,
		NULLIF(?, ''), ?, NULLIF(?, 0), NULL, NULLIF(?, ''), NULLIF(?, ''), ?, NULLIF(?, ''))`,
		b.ID, string(b.Kind), b.File, b.SHA, b.Rows, warnings, by, b.Township, b.FormDate, b.Replaces, b.Level, b.Village,
		b.Arrival.At, b.Arrival.GivenBy); err != nil {
		return fmt.Errorf("记录导入批次：%w", err)
	}
	if b.Replaces != 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE load_batches SET replaced_by = ? WHERE batch_id = ?`, b.ID, b.Replaces); err != nil {
			return fmt.Errorf("标记导入批次 %d 已被替换：%w", b.Replaces, err)
		}
	}
	return nil
}

// RowCols are the load_batches columns of Row, in its order.
var RowCols = []string{"batch_id", "kind", "file_name", "sha256", "rows", "warnings", "loaded_by", "loaded_at",
	"township", "form_date", "replaces", "replaced_by", "form_level", "form_village", "received_at", "received_given_by"}

// Row is the load_batches row InsertRow writes for b (loadedAt: the transaction's
// current_timestamp::TIMESTAMP), for a batch that replaces none, to be written with others.
func Row(b *Batch, warnings int, loadedAt time.Time) []any {
	by := b.LoadedBy
	if by == "" {
		by = "unknown"
	}
	orNil := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	var formDate any
	if b.FormDate != nil {
		formDate = *b.FormDate
	}
	var replaces any
	if b.Replaces != 0 {
		replaces = b.Replaces
	}
	return []any{b.ID, string(b.Kind), b.File, b.SHA, b.Rows, int64(warnings), by, loadedAt,
		orNil(b.Township), formDate, replaces, nil, orNil(b.Level), orNil(b.Village), b.Arrival.At, orNil(b.Arrival.GivenBy)}
}

// WarningCols are the columns of load_warnings a batch writes.
var WarningCols = []string{"batch_id", "source_row", "column_name", "message"}

// WarningRows are the load_warnings rows of a batch's warnings.
func WarningRows(id int64, warns []read.Warning) [][]any {
	rows := make([][]any, 0, len(warns))
	for _, w := range warns {
		var row, col any
		if w.Row > 0 {
			row = w.Row
		}
		if w.Column != "" {
			col = w.Column
		}
		rows = append(rows, []any{id, row, col, w.Msg})
	}
	return rows
}

// InsertRows inserts rows with multi-row VALUES statements (small files; readings use DuckDB's
// readers instead).
func InsertRows(ctx context.Context, tx Querier, table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	per := max(1, 1000/len(cols))
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	for start := 0; start < len(rows); start += per {
		end := min(len(rows), start+per)
		var b strings.Builder
		fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES ", table, strings.Join(cols, ", "))
		args := make([]any, 0, (end-start)*len(cols))
		for i := start; i < end; i++ {
			if i > start {
				b.WriteString(", ")
			}
			b.WriteString(tuple)
			args = append(args, rows[i]...)
		}
		if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("写入 %s：%w", table, err)
		}
	}
	return nil
}
