package queries

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"landwatch/campaign"
	"landwatch/internal/rss"
	"landwatch/warehouse"
)

// RunOptions for Run.
type RunOptions struct {
	// AsOf is the day every figure is computed as of; zero means DefaultAsOf.
	AsOf time.Time
	// Progress, when set, gets one line per model and a summary of the tests.
	Progress io.Writer
	// Serving: the process serves pages while the run goes on (the portal after an upload, the
	// weekly briefing of `serve`). DuckDB's threads are a setting of the whole database, so the run
	// then leaves them as they are instead of setting models.threads, which would leave the pages
	// served meanwhile that many threads; the memory cap holds either way (capMemory).
	Serving bool
}

// ModelResult is one built model.
type ModelResult struct {
	Name         string
	Layer        string
	Materialized string
	Rows         int64 // -1 for a view (not counted)
	Elapsed      time.Duration
	// Kept: the table of an earlier run was kept, nothing it is computed from had changed (reuse.go).
	Kept bool
	// CPU is this process's processor time while the model was built (DuckDB's threads included);
	// TestsCPU the same while its data tests ran.
	CPU, TestsCPU time.Duration
}

// RunResult is a successful build.
type RunResult struct {
	RunID   int64
	AsOf    time.Time
	Models  []ModelResult
	Tests   int
	Elapsed time.Duration
	// TestsCPU is the processor time of all data tests (each model's share is in Models).
	TestsCPU time.Duration
}

// TestFailure is a data test that returned rows; the build is rolled back.
type TestFailure struct {
	Model  string
	Test   string
	Count  int64
	Sample []string // up to five failing rows, "col=value" joined with ", "
}

func (f *TestFailure) Error() string {
	return fmt.Sprintf("数据校验未通过：模型 %s 的校验 %s 有 %d 行不符：\n  %s",
		f.Model, f.Test, f.Count, strings.Join(f.Sample, "\n  "))
}

// TestFailures is every failing test of a run.
type TestFailures []*TestFailure

func (fs TestFailures) Error() string {
	msgs := make([]string, len(fs))
	for i, f := range fs {
		msgs[i] = f.Error()
	}
	return strings.Join(msgs, "\n")
}

// DefaultAsOf is today in the campaign's time zone, or the campaign's last day once it has passed.
func DefaultAsOf(cfg *campaign.Config, now time.Time) time.Time {
	loc := cfg.Location()
	t := now.In(loc)
	today := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	if end := cfg.End(); today.After(end) {
		return end
	}
	return today
}

// Run builds every model as of opt.AsOf in one transaction, then runs every data test; when a test
// fails nothing is kept and the error (TestFailures) names the model, the test and failing rows.
func Run(ctx context.Context, db *warehouse.DB, opt RunOptions) (*RunResult, error) {
	models, err := Models()
	if err != nil {
		return nil, err
	}
	cfg, err := db.Config(ctx)
	if err != nil {
		return nil, err
	}
	asOf := opt.AsOf
	if asOf.IsZero() {
		asOf = DefaultAsOf(cfg, time.Now())
	}
	restore, threads, err := capMemory(ctx, db, cfg, !opt.Serving)
	if err != nil {
		return nil, err
	}
	defer restore()
	asOf = time.Date(asOf.Year(), asOf.Month(), asOf.Day(), 0, 0, 0, 0, time.UTC)
	progress := opt.Progress
	if progress == nil {
		progress = io.Discard
	}
	start := time.Now()
	res := &RunResult{AsOf: asOf}
	err = db.InTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT nextval('model_run_seq')`).Scan(&res.RunID); err != nil {
			return fmt.Errorf("start model run: %w", err)
		}
		fmt.Fprintf(progress, "计算数据模型，截至 %s\n", asOf.Format("2006-01-02"))
		built, err := buildAll(ctx, tx, models, false, threads, res.RunID, asOf, start, progress)
		if err != nil {
			return err
		}
		res.Models = built
		tStart, tCPU := time.Now(), rss.CPU()
		var failed TestFailures
		for i, m := range models {
			if err := ctx.Err(); err != nil {
				return err
			}
			c0 := rss.CPU()
			fs, err := runModelTests(ctx, tx, m, res.Models[i].Kept)
			if err != nil {
				return err
			}
			res.Models[i].TestsCPU = rss.CPU() - c0
			res.Tests += len(m.Tests)
			failed = append(failed, fs...)
		}
		res.TestsCPU = rss.CPU() - tCPU
		fmt.Fprintf(progress, "数据测试 %d 项，未通过 %d 项（用时 %.1f 秒）\n", res.Tests, len(failed), time.Since(tStart).Seconds())
		if len(failed) > 0 {
			return failed
		}
		if err := dropRunCopies(ctx, tx, models); err != nil {
			return err
		}
		res.Elapsed = time.Since(start)
		_, err = tx.ExecContext(ctx, `INSERT INTO model_runs VALUES (?, ?, ?, ?, ?, ?)`,
			res.RunID, asOf, start.UTC(), time.Now().UTC(), len(res.Models), res.Tests)
		return err
	})
	if err != nil {
		var tf TestFailures
		if errors.As(err, &tf) {
			return nil, err
		}
		return nil, fmt.Errorf("models as of %s: %w", asOf.Format("2006-01-02"), err)
	}
	fmt.Fprintf(progress, "共计算 %d 个数据模型，用时 %.1f 秒\n", len(res.Models), res.Elapsed.Seconds())
	return res, nil
}

// buildAll writes the run's parameters and builds every model as of asOf: as the warehouse's own
// tables, or (temp) as temporary tables and views of the transaction's connection, which shadow the
// warehouse's for that connection alone and need no write access. threads are the run's (zero:
// DuckDB's threads are left alone).
//
// A view whose header says "in_run: table" is, once built, copied into a temporary table of the same
// name: a temporary object shadows the warehouse's for the transaction's connection, in the SQL of
// models and views too, so every model and data test after it in the run reads its rows from the
// copy instead of computing the view again (the enforcement cases, for instance, are read by a dozen
// models through the views over them). Other connections, and this one once dropRunCopies has run or
// the transaction is rolled back, read the view itself: it stays live for the forms and pages of
// today (live.go). A temporary build (temp) builds such a view as a temporary table straight away
// (tempKind).
func buildAll(ctx context.Context, tx *sql.Tx, models []*Model, temp bool, threads runThreads, runID int64, asOf, start time.Time, progress io.Writer) ([]ModelResult, error) {
	mac, err := macros()
	if err != nil {
		return nil, err
	}
	if !temp {
		if _, err := tx.ExecContext(ctx, `DELETE FROM run_parameters`); err != nil {
			return nil, fmt.Errorf("write run_parameters: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO run_parameters VALUES (?, ?, ?)`, runID, asOf, start.UTC()); err != nil {
			return nil, fmt.Errorf("write run_parameters: %w", err)
		}
	} else {
		if _, err := tx.ExecContext(ctx, `CREATE OR REPLACE TEMP TABLE run_parameters AS SELECT CAST(? AS BIGINT) AS run_id,
			CAST(? AS DATE) AS as_of, CAST(? AS TIMESTAMP) AS started_at`, runID, asOf, start.UTC()); err != nil {
			return nil, fmt.Errorf("write run_parameters: %w", err)
		}
		// the connection's own macros, so that the warehouse's are not rewritten
		mac = strings.ReplaceAll(mac, "CREATE OR REPLACE MACRO", "CREATE OR REPLACE TEMP MACRO")
	}
	if _, err := tx.ExecContext(ctx, mac); err != nil {
		return nil, fmt.Errorf("macros.sql: %w", err)
	}
	// what each model's name is now in the warehouse (a table or a view), read once
	kinds := map[string]string{}
	if !temp {
		rows, err := tx.QueryContext(ctx, `SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = current_schema()`)
		if err != nil {
			return nil, fmt.Errorf("read the warehouse's tables: %w", err)
		}
		for rows.Next() {
			var name, kind string
			if err := rows.Scan(&name, &kind); err != nil {
				rows.Close()
				return nil, err
			}
			kinds[name] = kind
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, err
		}
	}
	byName := map[string]*Model{}
	for _, m := range models {
		byName[m.Name] = m
	}
	sums := map[string]string{} // the sources' sums, read once per run (reuse.go)
	var out []ModelResult
	refreshed := false
	for _, m := range models {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		c0 := rss.CPU()
		if !refreshed && readsMeterDays(m) {
			// before the first model that reads the batches' meter-days (meterdays.go)
			if err := refreshMeterDays(ctx, tx, temp); err != nil {
				return nil, err
			}
			refreshed = true
		}
		all := m.AllThreads && threads.all > threads.run && threads.run > 0
		if all {
			if _, err := tx.ExecContext(ctx, fmt.Sprintf("SET threads = %d", threads.all)); err != nil {
				return nil, fmt.Errorf("model %s: set threads %d: %w", m.Name, threads.all, err)
			}
		}
		var r ModelResult
		if m.Reuse && !temp {
			r, err = buildOrKeep(ctx, tx, m, byName, kinds, sums)
		} else {
			r, err = build(ctx, tx, m, temp, kinds[m.Name])
		}
		if all {
			if _, err2 := tx.ExecContext(ctx, fmt.Sprintf("SET threads = %d", threads.run)); err2 != nil && err == nil {
				err = fmt.Errorf("model %s: set threads %d: %w", m.Name, threads.run, err2)
			}
		}
		if err != nil {
			return nil, err
		}
		if m.InRun && !temp {
			t0 := time.Now()
			if _, err := tx.ExecContext(ctx, "CREATE TEMP TABLE "+m.Name+" AS SELECT * FROM "+m.Name); err != nil {
				return nil, fmt.Errorf("model %s: copy for the run: %w", m.Name, err)
			}
			r.Elapsed += time.Since(t0)
		}
		r.CPU = rss.CPU() - c0
		out = append(out, r)
		rows := "-"
		if r.Rows >= 0 {
			rows = fmt.Sprint(r.Rows)
		}
		mat := map[string]string{"table": "表", "view": "视图"}[m.Materialized]
		if r.Kept {
			mat = "沿用"
		}
		fmt.Fprintf(progress, "  %-44s %s %10s 行 %8.3f 秒\n", m.Name, mat, rows, r.Elapsed.Seconds())
	}
	return out, nil
}

// tempKind is what a temporary build (buildAll with temp) makes of m: a TABLE or a VIEW.
func tempKind(m *Model) string {
	if m.Materialized == "view" && !m.InRun {
		return "VIEW"
	}
	return "TABLE"
}

// dropRunCopies drops the temporary copies buildAll made of the "in_run: table" views, so that the
// transaction's connection reads the views again.
func dropRunCopies(ctx context.Context, tx *sql.Tx, models []*Model) error {
	for _, m := range models {
		if m.InRun {
			if _, err := tx.ExecContext(ctx, "DROP TABLE temp.main."+m.Name); err != nil {
				return fmt.Errorf("model %s: drop the run's copy: %w", m.Name, err)
			}
		}
	}
	return nil
}

// buildOrKeep keeps the table of m when its fingerprint is the stored one (reuse.go), else builds
// it and stores the fingerprint.
func buildOrKeep(ctx context.Context, tx *sql.Tx, m *Model, byName map[string]*Model, kinds, sums map[string]string) (ModelResult, error) {
	t0 := time.Now()
	fp, err := fingerprint(ctx, tx, m, byName, kinds, sums)
	if err != nil {
		return ModelResult{}, err
	}
	if kinds[m.Name] == "BASE TABLE" {
		rows, ok, err := reusable(ctx, tx, m, fp)
		if err != nil {
			return ModelResult{}, err
		}
		if ok {
			return ModelResult{Name: m.Name, Layer: m.Layer, Materialized: m.Materialized, Rows: rows, Kept: true, Elapsed: time.Since(t0)}, nil
		}
	}
	r, err := build(ctx, tx, m, false, kinds[m.Name])
	if err != nil {
		return r, err
	}
	r.Elapsed = time.Since(t0)
	return r, keepFingerprint(ctx, tx, m, fp, r.Rows)
}

// build builds one model; kind is what its name is in the warehouse now ("BASE TABLE", "VIEW" or
// ""). A table's rows are counted; a view's are not (-1): counting would run it.
func build(ctx context.Context, tx *sql.Tx, m *Model, temp bool, kind string) (ModelResult, error) {
	t0 := time.Now()
	r := ModelResult{Name: m.Name, Layer: m.Layer, Materialized: m.Materialized}
	body := strings.TrimRight(strings.TrimSpace(m.SQL), ";")
	if temp {
		stmt := "CREATE OR REPLACE TEMP " + tempKind(m) + " " + m.Name + " AS\n" + body
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return r, fmt.Errorf("model %s (%s): %w", m.Name, m.File, err)
		}
		r.Elapsed = time.Since(t0)
		return r, nil
	}
	// an object of the other kind under the name (a model that changed materialization) goes first
	var err error
	switch {
	case kind == "VIEW" && m.Materialized == "table":
		_, err = tx.ExecContext(ctx, "DROP VIEW "+m.Name)
	case kind == "BASE TABLE" && m.Materialized == "view":
		_, err = tx.ExecContext(ctx, "DROP TABLE "+m.Name)
	}
	if err != nil {
		return r, fmt.Errorf("model %s: %w", m.Name, err)
	}
	if m.Materialized == "view" {
		if _, err := tx.ExecContext(ctx, "CREATE OR REPLACE VIEW "+m.Name+" AS\n"+body); err != nil {
			return r, fmt.Errorf("model %s (%s): %w", m.Name, m.File, err)
		}
		r.Rows = -1
		r.Elapsed = time.Since(t0)
		return r, nil
	}
	// DuckDB's CREATE TABLE … AS returns one row, the number of rows it wrote: the table's rows,
	// without a count(*) of it after
	if err := tx.QueryRowContext(ctx, "CREATE OR REPLACE TABLE "+m.Name+" AS\n"+body).Scan(&r.Rows); err != nil {
		return r, fmt.Errorf("model %s (%s): %w", m.Name, m.File, err)
	}
	r.Elapsed = time.Since(t0)
	return r, nil
}

func runTest(ctx context.Context, tx *sql.Tx, t Test) (*TestFailure, error) {
	body := strings.TrimRight(strings.TrimSpace(t.SQL), ";")
	var n int64
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM (\n"+body+"\n)").Scan(&n); err != nil {
		return nil, fmt.Errorf("模型 %s 的数据校验 %s：%w", t.Model, t.Name, err)
	}
	if n == 0 {
		return nil, nil
	}
	f := &TestFailure{Model: t.Model, Test: t.Name, Count: n}
	rows, err := tx.QueryContext(ctx, "SELECT * FROM (\n"+body+"\n) LIMIT 5")
	if err != nil {
		return nil, fmt.Errorf("模型 %s 的数据校验 %s：%w", t.Model, t.Name, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		parts := make([]string, len(cols))
		for i, c := range cols {
			parts[i] = c + "=" + show(vals[i])
		}
		f.Sample = append(f.Sample, strings.Join(parts, ", "))
	}
	return f, rows.Err()
}

func show(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 {
			return x.Format("2006-01-02")
		}
		return x.Format("2006-01-02 15:04:05")
	default:
		return fmt.Sprint(v)
	}
}
