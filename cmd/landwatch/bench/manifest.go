package bench

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"landwatch/audit"
	"landwatch/campaign"
	"landwatch/etl"
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
	chineseFlags(fs, e.Stderr)
	data := fs.String("data", "bench-data/county", "`landwatch gen --scale county` 生成的目录")
	dir := fs.String("dir", "bench-data", "临时数据仓库所在目录（不纳入版本库）")
	repeat := fs.Int("repeat", 3, "运行几次（比较中位数）")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return UsageError("用法：landwatch bench manifest [--data 目录] [--dir 目录] [--repeat 3]")
	}
	raw, err := os.ReadFile(filepath.Join(*data, "manifest.json"))
	if err != nil {
		return fmt.Errorf("%s 中没有 manifest.json，请先运行 landwatch gen --scale county --out %s：%w", *data, *data, err)
	}
	var m etl.Manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		return err
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
	fmt.Fprintf(e.Stdout, "load manifest: %d files other than readings from %s\n", files, *data)
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
		t0, c0 := time.Now(), rss.CPU()
		results, err := etl.LoadManifest(ctx, db, cfg, scratch, etl.Options{LoadedBy: "bench"})
		if err == nil {
			err = e.AuditLoaded(ctx, audit.Standalone(db), "bench", scratch, results)
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
			return fmt.Errorf("%d files loaded of %d", len(results), files)
		}
		peak = max(peak, p)
		walls, cpus = append(walls, d), append(cpus, c)
		fmt.Fprintf(e.Stdout, "run %d  %d files in %6.2f s (cpu %6.2f s) = %5.1f ms a file (cpu %5.1f ms)\n", rep, files, d, c, 1000*d/float64(files), 1000*c/float64(files))
	}
	mw, mc := median(walls), median(cpus)
	per := mw / float64(files)
	fmt.Fprintf(e.Stdout, "median: %.2f s, %.1f ms a file (cpu %.1f ms a file); ratio %.2f× the target of %d ms a file; peak RSS %.2f GiB\n",
		mw, 1000*per, 1000*mc/float64(files), per/smallFileTarget.Seconds(), smallFileTarget.Milliseconds(), float64(peak)/(1<<30))
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
