package bench

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"time"

	"landwatch/audit"
	"landwatch/campaign"
	"landwatch/etl"
	"landwatch/internal/cliflag"
	"landwatch/internal/rss"
	"landwatch/warehouse"
)

// smallFileTarget is the time a small file of a manifest may take (docs/SCALE.md).
const smallFileTarget = 6 * time.Millisecond

// manifest is `landwatch bench manifest`: `load manifest` of a generated data set's files
// other than readings (forms, ledgers, registers, patches), into a fresh scratch warehouse each
// run, as `load manifest` does it (with its audit entries). It prints the time and CPU per file,
// the peak memory, and the ratio to the target per file, measured in the same process.
func manifest(ctx context.Context, e Env, args []string) error {
	fs := flag.NewFlagSet("bench manifest", flag.ContinueOnError)
	cliflag.Chinese(fs, e.Stderr)
	data := fs.String("data", "bench-data/county", "`landwatch gen --scale county` 生成的目录")
	dir := fs.String("dir", "bench-data", "临时数据仓库所在目录（不纳入版本库）")
	repeat := fs.Int("repeat", 3, "运行几次（比较中位数）")
	cpuprofile := fs.String("cpuprofile", "", "把导入时的 CPU 剖析写入此文件（go tool pprof 读取）")
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return ErrHelp
	} else if err != nil || fs.NArg() > 0 {
		return UsageError("用法：landwatch bench manifest [--data 目录] [--dir 目录] [--repeat 3]")
	}
	raw, err := os.ReadFile(filepath.Join(*data, "manifest.json"))
	if err != nil {
		return fmt.Errorf("%s 中没有可读的 manifest.json，请先运行 landwatch gen --scale county --out %s", *data, *data)
	}
	var m etl.Manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		return fmt.Errorf("%s 不是有效的清单文件（JSON 格式有误）", filepath.Join(*data, "manifest.json"))
	}
	// The same manifest without the readings, its paths made absolute, in the scratch directory.
	abs, err := filepath.Abs(*data)
	if err != nil {
		return err
	}
	kept := m.Files[:0]
	for _, f := range m.Files {
		if f.Kind == etl.KindPower || f.Kind == etl.KindPowerAlerts {
			continue
		}
		if !filepath.IsAbs(f.Path) {
			f.Path = filepath.Join(abs, filepath.FromSlash(f.Path))
		}
		kept = append(kept, f)
	}
	m.Files = kept
	scratch := filepath.Join(*dir, "manifest-small")
	if err := os.MkdirAll(scratch, 0o700); err != nil {
		return err
	}
	out, _ := json.Marshal(m)
	if err := os.WriteFile(filepath.Join(scratch, "manifest.json"), out, 0o600); err != nil {
		return err
	}
	files := len(m.Files)
	fmt.Fprintf(e.Stdout, "导入清单：%s 中用电数据以外的 %d 个文件，每轮导入一个新建的临时数据仓库（含审计记录）\n", *data, files)
	var walls, cpus []float64
	var peak int64
	for rep := 1; rep <= *repeat; rep++ {
		dbFile := filepath.Join(*dir, "bench-manifest.duckdb")
		removeWarehouse(dbFile)
		cfg := campaign.Default()
		db, err := warehouse.Open(ctx, dbFile, warehouse.Options{Config: cfg})
		if err != nil {
			return err
		}
		if err := rss.ResetPeak(); err != nil {
			db.Close()
			return err
		}
		var prof *os.File
		if *cpuprofile != "" {
			if prof, err = os.Create(*cpuprofile); err != nil {
				db.Close()
				return err
			}
			if err := pprof.StartCPUProfile(prof); err != nil {
				prof.Close()
				db.Close()
				return err
			}
		}
		t0, c0 := time.Now(), rss.CPU()
		results, err := etl.LoadManifest(ctx, db, cfg, scratch, etl.Options{LoadedBy: "bench"})
		if err == nil {
			err = e.AuditLoaded(ctx, audit.Standalone(db), "bench", scratch, results)
		}
		if prof != nil {
			pprof.StopCPUProfile()
			prof.Close()
		}
		d, c := time.Since(t0).Seconds(), (rss.CPU() - c0).Seconds()
		p, perr := rss.Peak()
		db.Close()
		removeWarehouse(dbFile)
		if err != nil {
			return err
		}
		if perr != nil {
			return perr
		}
		if len(results) != files {
			return fmt.Errorf("%d 个文件中只导入了 %d 个", files, len(results))
		}
		peak = max(peak, p)
		walls, cpus = append(walls, d), append(cpus, c)
		fmt.Fprintf(e.Stdout, "第%d轮  %d 个文件，%6.2f 秒（CPU %6.2f 秒），每个文件 %5.1f 毫秒（CPU %5.1f 毫秒）\n", rep, files, d, c, 1000*d/float64(files), 1000*c/float64(files))
	}
	mw, mc := median(walls), median(cpus)
	per := mw / float64(files)
	cpuPer := mc / float64(files)
	fmt.Fprintf(e.Stdout, "中位数：%.2f 秒，每个文件 %.1f 毫秒（CPU %.1f 毫秒）；比值（÷ 目标每个文件 %d 毫秒）：墙钟 %.2f 倍，CPU %.2f 倍；内存峰值 %.2f GiB\n",
		mw, 1000*per, 1000*cpuPer, smallFileTarget.Milliseconds(), per/smallFileTarget.Seconds(), cpuPer/smallFileTarget.Seconds(), float64(peak)/(1<<30))
	return nil
}

func removeWarehouse(path string) {
	for _, p := range []string{path, path + ".wal"} {
		os.Remove(p)
	}
	matches, _ := filepath.Glob(path + ".*")
	for _, p := range matches {
		os.RemoveAll(p)
	}
}
