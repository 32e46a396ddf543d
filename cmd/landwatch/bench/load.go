// Package bench is `landwatch bench`: the measurements behind docs/SCALE.md, each in the process
// that runs it — loading readings against DuckDB's own CSV reader (load), a generated county's small
// files (manifest), the models against the bare meter-day aggregate (models), tips through the
// real portal against the Argon2id bound (tips). Each works in scratch warehouses of its own folder
// but `bench models`, which rebuilds the models of the warehouse it is given.
package bench

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"landwatch/audit"
	"landwatch/campaign"
	"landwatch/etl"
	"landwatch/internal/rss"
	"landwatch/warehouse"
)

// Env is what a bench run takes from the command that starts it.
type Env struct {
	Stdout, Stderr io.Writer
	// Open opens the warehouse the command's --db names (`bench models` measures it).
	Open func(ctx context.Context) (*warehouse.DB, error)
	// AuditLoaded writes the audit entries `landwatch load manifest` writes for what it loaded.
	AuditLoaded func(ctx context.Context, au audit.Auditor, by, dir string, results []*etl.Result) error
}

// UsageError is a bench given the wrong arguments: the command prints its usage.
type UsageError string

func (e UsageError) Error() string { return string(e) }

// Options are the flags of one `bench load`.
type Options struct {
	rows               int64
	dir, csv, memLimit string
	repeat             int
}

// Flags declares the flags of `bench load` on fs, into o.
func (o *Options) Flags(fs *flag.FlagSet) {
	fs.Int64Var(&o.rows, "rows", 100_000_000, "生成的读数文件行数")
	fs.StringVar(&o.dir, "dir", "bench-data", "生成的读数文件和临时数据仓库所在目录（不纳入版本库）")
	fs.StringVar(&o.csv, "csv", "", "使用这个读数文件，不另行生成")
	fs.StringVar(&o.memLimit, "memory-limit", "1GB", "两者运行时 DuckDB 的内存上限（memory_limit）")
	fs.IntVar(&o.repeat, "repeat", 3, "每种各运行几次，交替进行（比较中位数）")
}

// Run runs `landwatch bench load|manifest|models|tips` with the arguments after `bench`.
func (o *Options) Run(ctx context.Context, e Env, args []string) error {
	if len(args) >= 1 && args[0] == "manifest" {
		return manifest(ctx, e, args[1:])
	}
	if len(args) >= 1 && args[0] == "models" {
		return models(ctx, e, args[1:])
	}
	if len(args) >= 1 && args[0] == "tips" {
		return tips(ctx, e, args[1:])
	}
	if len(args) < 1 || args[0] != "load" {
		return UsageError("用法：landwatch bench load|manifest|models|tips [选项]")
	}
	fs := flag.NewFlagSet("bench load", flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	o.Flags(fs)
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 {
		return UsageError("用法：landwatch bench load [--rows N] [--dir 目录] [--csv 文件] [--memory-limit 1GB] [--repeat 3]")
	}
	dir, csvFile, limit := o.dir, o.csv, o.memLimit
	// The load's phase timings (read, check, commit) are debug logs: show them.
	debug := slog.New(slog.NewTextHandler(e.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	meters := (o.rows + hoursPerYear - 1) / hoursPerYear
	if csvFile == "" {
		csvFile = filepath.Join(dir, fmt.Sprintf("readings-%d.csv", o.rows))
		if st, err := os.Stat(csvFile); err != nil || st.Size() == 0 {
			fmt.Fprintf(e.Stderr, "writing %s (%d rows)…\n", csvFile, o.rows)
			t0 := time.Now()
			if err := writeBenchReadings(ctx, csvFile, o.rows); err != nil {
				os.Remove(csvFile)
				return err
			}
			fmt.Fprintf(e.Stderr, "written in %s\n", time.Since(t0).Round(time.Millisecond))
		}
	}
	meterFile := filepath.Join(dir, fmt.Sprintf("meters-%d.csv", meters))
	if err := writeBenchMeters(meterFile, meters); err != nil {
		return err
	}
	st, err := os.Stat(csvFile)
	if err != nil {
		return err
	}
	dbFile := filepath.Join(dir, "bench.duckdb")
	os.Remove(dbFile)
	os.Remove(dbFile + ".wal")
	cfg := campaign.Default()
	db, err := warehouse.Open(ctx, dbFile, warehouse.Options{Config: cfg})
	if err != nil {
		return err
	}
	defer func() { db.Close(); os.Remove(dbFile); os.Remove(dbFile + ".wal") }()
	if _, err := etl.LoadFile(ctx, db, cfg, etl.KindMeters, meterFile, etl.Options{LoadedBy: "bench"}); err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, "SET memory_limit = '"+strings.ReplaceAll(limit, "'", "")+"'"); err != nil {
		return err
	}
	fmt.Fprintf(e.Stdout, "file %s: %.2f GB; DuckDB memory_limit %s; %d CPUs for DuckDB\n", csvFile, float64(st.Size())/1e9, limit, threads(ctx, db))

	// DuckDB itself and our load, alternately; the machine may be shared, so each runs --repeat
	// times and the medians are compared. CPU time (user+sys of this process) is shown too.
	csvSQL := "'" + strings.ReplaceAll(csvFile, "'", "''") + "'"
	var baseT, ourT, baseCPU, ourCPU, textT, textCPU []float64
	var basePeak, ourPeak int64
	var res *etl.Result
	var baseRows int64
	for rep := 1; rep <= o.repeat; rep++ {
		if err := rss.ResetPeak(); err != nil {
			return err
		}
		t0, c0 := time.Now(), rss.CPU()
		if _, err := db.ExecContext(ctx, "CREATE TABLE bench_t AS SELECT * FROM read_csv("+csvSQL+")"); err != nil {
			return fmt.Errorf("baseline: %w", err)
		}
		d, c := time.Since(t0).Seconds(), (rss.CPU() - c0).Seconds()
		peak, err := rss.Peak()
		if err != nil {
			return err
		}
		basePeak = max(basePeak, peak)
		db.QueryRowContext(ctx, "SELECT count(*) FROM bench_t").Scan(&baseRows)
		baseT, baseCPU = append(baseT, d), append(baseCPU, c)
		fmt.Fprintf(e.Stdout, "run %d  duckdb CREATE TABLE AS read_csv: %d rows in %6.2f s (cpu %6.2f s) = %9.0f rows/s\n", rep, baseRows, d, c, float64(baseRows)/d)
		if _, err := db.ExecContext(ctx, "DROP TABLE bench_t"); err != nil {
			return err
		}
		db.ExecContext(ctx, "CHECKPOINT")

		// A second reference: the same read with the meter as text, the type raw_power_readings
		// keeps it in (read_csv alone detects a number), to show what the column type costs.
		t0, c0 = time.Now(), rss.CPU()
		if _, err := db.ExecContext(ctx, "CREATE TABLE bench_t AS SELECT * FROM read_csv("+csvSQL+", types = {'户号': 'VARCHAR'})"); err != nil {
			return fmt.Errorf("baseline: %w", err)
		}
		d, c = time.Since(t0).Seconds(), (rss.CPU() - c0).Seconds()
		textT, textCPU = append(textT, d), append(textCPU, c)
		fmt.Fprintf(e.Stdout, "run %d  duckdb the same, 户号 as VARCHAR:    %d rows in %6.2f s (cpu %6.2f s)\n", rep, baseRows, d, c)
		if _, err := db.ExecContext(ctx, "DROP TABLE bench_t"); err != nil {
			return err
		}
		db.ExecContext(ctx, "CHECKPOINT")

		if err := rss.ResetPeak(); err != nil {
			return err
		}
		t0, c0 = time.Now(), rss.CPU()
		var prog io.Writer
		if rep == 1 {
			prog = e.Stderr
		}
		res, err = etl.LoadFile(ctx, db, cfg, etl.KindPower, csvFile, etl.Options{LoadedBy: "bench", Progress: prog, MemoryLimit: limit, Log: debug})
		if err != nil {
			return err
		}
		d, c = time.Since(t0).Seconds(), (rss.CPU() - c0).Seconds()
		if peak, err = rss.Peak(); err != nil {
			return err
		}
		ourPeak = max(ourPeak, peak)
		ourT, ourCPU = append(ourT, d), append(ourCPU, c)
		fmt.Fprintf(e.Stdout, "run %d  landwatch load power:            %d rows in %6.2f s (cpu %6.2f s) = %9.0f rows/s\n", rep, res.Rows, d, c, float64(res.Rows)/d)
		if rep < o.repeat {
			if err := etl.DiscardBenchBatch(ctx, db, res.BatchID); err != nil {
				return err
			}
		}
	}
	mb, mo := median(baseT), median(ourT)
	fmt.Fprintf(e.Stdout, "median: duckdb %.2f s (%.0f rows/s), landwatch %.2f s (%.0f rows/s); ratio %.2f× wall, %.2f× cpu (target ≤ 1.3× cpu)\n",
		mb, float64(baseRows)/mb, mo, float64(res.Rows)/mo, mo/mb, median(ourCPU)/median(baseCPU))
	fmt.Fprintf(e.Stdout, "against read_csv with 户号 as VARCHAR: %.2f s; ratio %.2f× wall, %.2f× cpu\n",
		median(textT), mo/median(textT), median(ourCPU)/median(textCPU))
	fmt.Fprintf(e.Stdout, "peak RSS: duckdb %.2f GiB, landwatch %.2f GiB (target ≤ 1 GiB)\n", float64(basePeak)/(1<<30), float64(ourPeak)/(1<<30))

	// The generated file's line L holds meter (L-2) / 8760 at hour (L-2) % 8760: check provenance.
	if strings.HasPrefix(filepath.Base(csvFile), "readings-") {
		bad, err := etl.GeneratedRowMismatches(ctx, db, res.BatchID, hoursPerYear)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "source_row check: %d rows whose line number does not match their content\n", bad)
	}
	return nil
}

const hoursPerYear = 8760

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}

// writeBenchReadings writes a deterministic hourly readings csv: meter-major, 2023-01-01 00:00 on.
func writeBenchReadings(ctx context.Context, path string, rows int64) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("户号,时间,电量\n")
	start := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	var stamps []string
	for h := 0; h < hoursPerYear; h++ {
		stamps = append(stamps, start.Add(time.Duration(h)*time.Hour).Format("2006-01-02 15:04:05"))
	}
	buf := make([]byte, 0, 64)
	for i := int64(0); i < rows; i++ {
		if i%(1<<22) == 0 && ctx.Err() != nil {
			f.Close()
			return ctx.Err()
		}
		m, h := i/hoursPerYear, i%hoursPerYear
		x := uint64(i)*2654435761 + 12345
		kwh := (x >> 7) % 10000 // 0.00 – 99.99
		buf = strconv.AppendInt(buf[:0], 1430000000+m, 10)
		buf = append(buf, ',')
		buf = append(buf, stamps[h]...)
		buf = append(buf, ',')
		buf = strconv.AppendUint(buf, kwh/100, 10)
		buf = append(buf, '.', byte('0'+kwh%100/10), byte('0'+kwh%10), '\n')
		w.Write(buf)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func writeBenchMeters(path string, meters int64) error {
	var b strings.Builder
	b.WriteString("户号,用电类别,乡镇\n")
	for m := int64(0); m < meters; m++ {
		fmt.Fprintf(&b, "%d,居民,郭道镇\n", 1430000000+m)
	}
	return os.WriteFile(path, []byte(b.String()), 0o600)
}

func threads(ctx context.Context, db *warehouse.DB) int {
	var n int
	db.QueryRowContext(ctx, "SELECT current_setting('threads')").Scan(&n)
	return n
}
