package main

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
	"syscall"
	"time"

	"landwatch/campaign"
	"landwatch/etl"
	"landwatch/internal/rss"
	"landwatch/warehouse"
)

// benchOptions are the flags of one `bench load`.
type benchOptions struct {
	rows               int64
	dir, csv, memLimit string
	repeat             int
}

func (o *benchOptions) flags(fs *flag.FlagSet) {
	fs.Int64Var(&o.rows, "rows", 100_000_000, "生成的读数文件行数")
	fs.StringVar(&o.dir, "dir", "bench-data", "生成的读数文件和临时数据仓库所在目录（不纳入版本库）")
	fs.StringVar(&o.csv, "csv", "", "使用这个读数文件，不另行生成")
	fs.StringVar(&o.memLimit, "memory-limit", "1GB", "两者运行时 DuckDB 的内存上限（memory_limit）")
	fs.IntVar(&o.repeat, "repeat", 3, "每种各运行几次，交替进行（比较中位数）")
}

func benchCommand() *command {
	return &command{
		name: "bench",
		args: "load [--rows N] [--dir DIR] [--csv FILE] | manifest [--data DIR] | models [--as-of DAY] | tips [--clients N] [--tips N]",
		summary: "用电数据导入的性能基准：在同一进程中交替运行 DuckDB 自带的 `CREATE TABLE t AS SELECT * FROM read_csv(...)`\n" +
			"和 `landwatch load power`，导入同一个文件，输出两者的用时、每秒行数、比值和内存峰值。读数文件在 DIR 中\n" +
			"确定性生成，也可用 --csv 指定（其户号须为 1430000000 + n）。只用 DIR 中的临时数据仓库，不碰正式数据仓库。\n" +
			"`bench manifest` 在新建的临时数据仓库中按清单导入 `landwatch gen --scale county` 生成的全部非读数文件（含审计记录），\n" +
			"输出每个文件的用时、CPU 时间、内存峰值和与每个文件 6 毫秒目标的比值。\n" +
			"`bench models` 在同一进程中交替运行 `models run` 和同一数据仓库读数的电表日汇总，输出两者用时、比值和内存峰值；\n" +
			"`bench tips` 在本机回环地址上启动门户，用 N 个客户端提交举报，输出每秒举报数和同一进程测得的 Argon2id 上限（核数 ÷ 每次哈希用时）之比。",
		setup: func(fs *flag.FlagSet) runFunc {
			o := &benchOptions{}
			o.flags(fs)
			return func(ctx context.Context, a *app, args []string) error { return o.run(ctx, a, args) }
		},
	}
}

func (o *benchOptions) run(ctx context.Context, a *app, args []string) error {
	if len(args) >= 1 && args[0] == "manifest" {
		return benchManifest(ctx, a, args[1:])
	}
	if len(args) >= 1 && args[0] == "models" {
		return a.benchModels(ctx, args[1:])
	}
	if len(args) >= 1 && args[0] == "tips" {
		return a.benchTips(ctx, args[1:])
	}
	if len(args) < 1 || args[0] != "load" {
		return usageError{"用法：landwatch bench load|manifest|models|tips [选项]"}
	}
	fs := flag.NewFlagSet("bench load", flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	o.flags(fs)
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 {
		return usageError{"用法：landwatch bench load [--rows N] [--dir 目录] [--csv 文件] [--memory-limit 1GB] [--repeat 3]"}
	}
	dir, csvFile, limit := o.dir, o.csv, o.memLimit
	// The load's phase timings (read, check, commit) are debug logs: show them.
	debug := slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	meters := (o.rows + hoursPerYear - 1) / hoursPerYear
	if csvFile == "" {
		csvFile = filepath.Join(dir, fmt.Sprintf("readings-%d.csv", o.rows))
		if st, err := os.Stat(csvFile); err != nil || st.Size() == 0 {
			fmt.Fprintf(a.stderr, "writing %s (%d rows)…\n", csvFile, o.rows)
			t0 := time.Now()
			if err := writeBenchReadings(ctx, csvFile, o.rows); err != nil {
				os.Remove(csvFile)
				return err
			}
			fmt.Fprintf(a.stderr, "written in %s\n", time.Since(t0).Round(time.Millisecond))
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
	fmt.Fprintf(a.stdout, "file %s: %.2f GB; DuckDB memory_limit %s; %d CPUs for DuckDB\n", csvFile, float64(st.Size())/1e9, limit, threads(ctx, db))

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
		t0, c0 := time.Now(), cpuTime()
		if _, err := db.ExecContext(ctx, "CREATE TABLE bench_t AS SELECT * FROM read_csv("+csvSQL+")"); err != nil {
			return fmt.Errorf("baseline: %w", err)
		}
		d, c := time.Since(t0).Seconds(), (cpuTime() - c0).Seconds()
		peak, err := rss.Peak()
		if err != nil {
			return err
		}
		basePeak = max(basePeak, peak)
		db.QueryRowContext(ctx, "SELECT count(*) FROM bench_t").Scan(&baseRows)
		baseT, baseCPU = append(baseT, d), append(baseCPU, c)
		fmt.Fprintf(a.stdout, "run %d  duckdb CREATE TABLE AS read_csv: %d rows in %6.2f s (cpu %6.2f s) = %9.0f rows/s\n", rep, baseRows, d, c, float64(baseRows)/d)
		if _, err := db.ExecContext(ctx, "DROP TABLE bench_t"); err != nil {
			return err
		}
		db.ExecContext(ctx, "CHECKPOINT")

		// A second reference: the same read with the meter as text, the type raw_power_readings
		// keeps it in (read_csv alone detects a number), to show what the column type costs.
		t0, c0 = time.Now(), cpuTime()
		if _, err := db.ExecContext(ctx, "CREATE TABLE bench_t AS SELECT * FROM read_csv("+csvSQL+", types = {'户号': 'VARCHAR'})"); err != nil {
			return fmt.Errorf("baseline: %w", err)
		}
		d, c = time.Since(t0).Seconds(), (cpuTime() - c0).Seconds()
		textT, textCPU = append(textT, d), append(textCPU, c)
		fmt.Fprintf(a.stdout, "run %d  duckdb the same, 户号 as VARCHAR:    %d rows in %6.2f s (cpu %6.2f s)\n", rep, baseRows, d, c)
		if _, err := db.ExecContext(ctx, "DROP TABLE bench_t"); err != nil {
			return err
		}
		db.ExecContext(ctx, "CHECKPOINT")

		if err := rss.ResetPeak(); err != nil {
			return err
		}
		t0, c0 = time.Now(), cpuTime()
		var prog io.Writer
		if rep == 1 {
			prog = a.stderr
		}
		res, err = etl.LoadFile(ctx, db, cfg, etl.KindPower, csvFile, etl.Options{LoadedBy: "bench", Progress: prog, MemoryLimit: limit, Log: debug})
		if err != nil {
			return err
		}
		d, c = time.Since(t0).Seconds(), (cpuTime() - c0).Seconds()
		if peak, err = rss.Peak(); err != nil {
			return err
		}
		ourPeak = max(ourPeak, peak)
		ourT, ourCPU = append(ourT, d), append(ourCPU, c)
		fmt.Fprintf(a.stdout, "run %d  landwatch load power:            %d rows in %6.2f s (cpu %6.2f s) = %9.0f rows/s\n", rep, res.Rows, d, c, float64(res.Rows)/d)
		if rep < o.repeat {
			if err := etl.DiscardBenchBatch(ctx, db, res.BatchID); err != nil {
				return err
			}
		}
	}
	mb, mo := median(baseT), median(ourT)
	fmt.Fprintf(a.stdout, "median: duckdb %.2f s (%.0f rows/s), landwatch %.2f s (%.0f rows/s); ratio %.2f× wall, %.2f× cpu (target ≤ 1.3× cpu)\n",
		mb, float64(baseRows)/mb, mo, float64(res.Rows)/mo, mo/mb, median(ourCPU)/median(baseCPU))
	fmt.Fprintf(a.stdout, "against read_csv with 户号 as VARCHAR: %.2f s; ratio %.2f× wall, %.2f× cpu\n",
		median(textT), mo/median(textT), median(ourCPU)/median(textCPU))
	fmt.Fprintf(a.stdout, "peak RSS: duckdb %.2f GiB, landwatch %.2f GiB (target ≤ 1 GiB)\n", float64(basePeak)/(1<<30), float64(ourPeak)/(1<<30))

	// The generated file's line L holds meter (L-2) / 8760 at hour (L-2) % 8760: check provenance.
	if strings.HasPrefix(filepath.Base(csvFile), "readings-") {
		bad, err := etl.GeneratedRowMismatches(ctx, db, res.BatchID, hoursPerYear)
		if err != nil {
			return err
		}
		fmt.Fprintf(a.stdout, "source_row check: %d rows whose line number does not match their content\n", bad)
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

// cpuTime is the user+system time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
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
