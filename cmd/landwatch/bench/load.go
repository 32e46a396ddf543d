// Package bench is `landwatch bench`: the measurements behind docs/SCALE.md, each in the process
// that runs it — loading readings against DuckDB's own CSV reader (load), a generated county's small
// files (manifest), the models against the bare meter-day aggregate (models), tips through the
// real portal against the Argon2id bound (tips). Each works in scratch warehouses of its own folder
// but `bench models`, which rebuilds the models of the warehouse it is given.
package bench

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"landwatch/audit"
	"landwatch/campaign"
	"landwatch/etl"
	"landwatch/internal/cliflag"
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

// ErrHelp is an operation's --help: its options are listed already, the command ends well.
var ErrHelp = errors.New("已列出选项")

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
	cliflag.Chinese(fs, e.Stderr)
	o.Flags(fs)
	if err := fs.Parse(args[1:]); errors.Is(err, flag.ErrHelp) {
		return ErrHelp
	} else if err != nil || fs.NArg() > 0 {
		return UsageError("用法：landwatch bench load [--rows N] [--dir 目录] [--csv 文件] [--memory-limit 1GB] [--repeat 3]")
	}
	dir, csvFile, limit := o.dir, o.csv, o.memLimit
	// The load's phase timings (read, check, commit) are debug logs: show them, in words.
	debug := newPhaseLogger(e.Stderr)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	meters := (o.rows + hoursPerYear - 1) / hoursPerYear
	if csvFile == "" {
		csvFile = filepath.Join(dir, fmt.Sprintf("readings-%d.csv", o.rows))
		if st, err := os.Stat(csvFile); err != nil || st.Size() == 0 {
			fmt.Fprintf(e.Stderr, "生成 %s（%d 行）…\n", csvFile, o.rows)
			t0 := time.Now()
			if err := writeBenchReadings(ctx, csvFile, o.rows); err != nil {
				os.Remove(csvFile)
				return err
			}
			fmt.Fprintf(e.Stderr, "已生成，用时 %.1f 秒\n", time.Since(t0).Seconds())
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
	fmt.Fprintf(e.Stdout, "文件 %s：%.2f GB；DuckDB 内存上限（memory_limit）%s；DuckDB %d 个线程\n", csvFile, float64(st.Size())/1e9, limit, threads(ctx, db))

	// DuckDB itself and our load, alternately; the machine may be shared, so each runs --repeat
	// times and the medians are compared. CPU time (user+sys of this process) is shown too.
	var baseT, ourT, baseCPU, ourCPU, textT, textCPU, bareCPU []float64
	var basePeak, ourPeak int64
	var res *etl.Result
	var baseRows int64
	for rep := 1; rep <= o.repeat; rep++ {
		if err := rss.ResetPeak(); err != nil {
			return err
		}
		t0, c0 := time.Now(), rss.CPU()
		finish, err := etl.BenchReadCSV(ctx, db, csvFile, false)
		if err != nil {
			return err
		}
		d, c := time.Since(t0).Seconds(), (rss.CPU() - c0).Seconds()
		peak, err := rss.Peak()
		if err != nil {
			return err
		}
		basePeak = max(basePeak, peak)
		if baseRows, err = finish(); err != nil {
			return err
		}
		baseT, baseCPU = append(baseT, d), append(baseCPU, c)
		fmt.Fprintf(e.Stdout, "第%d轮  DuckDB 建表 read_csv（户号按数字）：%d 行，%6.2f 秒（CPU %6.2f 秒），每秒 %9.0f 行\n", rep, baseRows, d, c, float64(baseRows)/d)

		// A second reference: the same read with the meter as text (read_csv alone detects a
		// number), the type the warehouse kept it in before it stored a meter key
		// (warehouse/migrations/0148_power_meter_keys.sql), to show what the column type costs.
		t0, c0 = time.Now(), rss.CPU()
		if finish, err = etl.BenchReadCSV(ctx, db, csvFile, true); err != nil {
			return err
		}
		d, c = time.Since(t0).Seconds(), (rss.CPU() - c0).Seconds()
		if _, err := finish(); err != nil {
			return err
		}
		textT, textCPU = append(textT, d), append(textCPU, c)
		fmt.Fprintf(e.Stdout, "第%d轮  DuckDB 同上，户号按文本（VARCHAR）：%d 行，%6.2f 秒（CPU %6.2f 秒）\n", rep, baseRows, d, c)

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
		md := res.MeterDaysCPU.Seconds()
		ourT, ourCPU, bareCPU = append(ourT, d), append(ourCPU, c), append(bareCPU, c-md)
		fmt.Fprintf(e.Stdout, "第%d轮  landwatch 导入读数：%d 行，%6.2f 秒（CPU %6.2f 秒，其中电表日汇总 %.2f 秒），每秒 %9.0f 行\n", rep, res.Rows, d, c, md, float64(res.Rows)/d)
		if rep < o.repeat {
			if err := etl.DiscardBenchBatch(ctx, db, res.BatchID); err != nil {
				return err
			}
		}
	}
	mb, mo := median(baseT), median(ourT)
	mbc, mtc, moc, mbare := median(baseCPU), median(textCPU), median(ourCPU), median(bareCPU)
	fmt.Fprintf(e.Stdout, "中位数：read_csv 户号按数字 %.2f 秒（CPU %.2f 秒），户号按文本 %.2f 秒（CPU %.2f 秒）；landwatch 导入 %.2f 秒（CPU %.2f 秒，不含电表日汇总 %.2f 秒）\n",
		mb, mbc, median(textT), mtc, mo, moc, mbare)
	fmt.Fprintf(e.Stdout, "比值（landwatch ÷ read_csv 户号按数字）：导入含电表日汇总 CPU %.2f×、墙钟 %.2f×；导入不含电表日汇总 CPU %.2f×（目标 CPU ≤ 1.3×）\n",
		moc/mbc, mo/mb, mbare/mbc)
	fmt.Fprintf(e.Stdout, "比值（landwatch ÷ read_csv 户号按文本，即数据仓库改存整数电表键之前户号的类型）：含电表日汇总 CPU %.2f×、墙钟 %.2f×；不含 CPU %.2f×\n",
		moc/mtc, mo/median(textT), mbare/mtc)
	fmt.Fprintf(e.Stdout, "内存峰值：DuckDB %.2f GiB，landwatch %.2f GiB（目标 ≤ 1 GiB）\n", float64(basePeak)/(1<<30), float64(ourPeak)/(1<<30))
	fmt.Fprintln(e.Stdout, "参照只做：读 csv、解析三列、写入一张新表（户号按数字或按文本）。参照不做而导入要做的：行号（source_row）和批次号两列，"+
		"户号是否在档案中，同一户号同一时间的重复，与已导入批次的重叠，每时段电量上限，时间是否在专项行动的阶段和常态化周期内，"+
		"送达时间，文件的 SHA-256（判断重复导入），导入批次记录，以及电表日汇总（解析器读文件时逐行累加，"+
		"与 warehouse/aggregates/agg_power_meter_days.sql 算出的相同；上面“不含电表日汇总”的比值扣除的是写入汇总这一步的 CPU，"+
		"累加本身含在导入之中；解析器不能累加的文件由 SQL 汇总，扣除的是 SQL 汇总的 CPU）。")

	// The generated file's line L holds meter (L-2) / 8760 at hour (L-2) % 8760: check provenance.
	if strings.HasPrefix(filepath.Base(csvFile), "readings-") {
		bad, err := etl.GeneratedRowMismatches(ctx, db, res.BatchID, hoursPerYear)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.Stdout, "source_row 核对：%d 行的行号与内容不符\n", bad)
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
