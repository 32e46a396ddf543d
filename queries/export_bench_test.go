package queries

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"landwatch/internal/rss"
	"landwatch/warehouse"
)

// exportRef is one file of the export and the table holding the rows it has, for the reference.
type exportRef struct {
	table, path, options string
}

// exportRefs reads every Parquet file a first export wrote under dir back into a table of its own
// (in the rows' order of the export for the readings), so that the reference writes the same
// tables and rows with DuckDB's plain COPY.
func exportRefs(ctx context.Context, b *testing.B, db *warehouse.DB, dir string) []exportRef {
	b.Helper()
	var refs []exportRef
	marts, err := filepath.Glob(filepath.Join(dir, "marts", "*.parquet"))
	if err != nil {
		b.Fatal(err)
	}
	files := append(marts, filepath.Join(dir, "meters.parquet"), filepath.Join(dir, "power_cutoffs.parquet"))
	for i, f := range files {
		rel, _ := filepath.Rel(dir, f)
		refs = append(refs, exportRef{table: fmt.Sprintf("bench_ref_%d", i), path: rel})
		if _, err := db.ExecContext(ctx, fmt.Sprintf("CREATE TABLE bench_ref_%d AS SELECT * FROM read_parquet(%s)", i, sqlLit(f))); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := db.ExecContext(ctx, `CREATE TABLE bench_ref_readings AS SELECT meter_id, ts, kwh, day
		FROM read_parquet(`+sqlLit(filepath.Join(dir, "power_readings", "*", "*.parquet"))+`, hive_partitioning = true)
		ORDER BY day, meter_id, ts`); err != nil {
		b.Fatal(err)
	}
	return append(refs, exportRef{table: "bench_ref_readings", path: "power_readings", options: ", PARTITION_BY (day)"})
}

// BenchmarkExportParquet times the export (Export: every mart, the readings by day, the meters,
// the cut-offs, hashed, with manifest.json) of testdata/tiny as of its models run, and as the
// reference DuckDB's own COPY of the same rows from plain tables to Parquet with the same options,
// alternately in the same process: x-ref is the ratio of the wall times, cpu-x-ref of the CPU times.
func BenchmarkExportParquet(b *testing.B) {
	ctx := context.Background()
	db, err := warehouse.Open(ctx, tinyLoaded.Copy(b), warehouse.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if _, err := Run(ctx, db, RunOptions{AsOf: time.Date(2023, 4, 30, 0, 0, 0, 0, time.UTC)}); err != nil {
		b.Fatal(err)
	}
	tmp := b.TempDir()
	first := filepath.Join(tmp, "first")
	m, err := Export(ctx, db, ExportOptions{Out: first})
	if err != nil {
		b.Fatal(err)
	}
	refs := exportRefs(ctx, b, db, first)
	var total int64
	for _, n := range m.Rows {
		total += n
	}
	b.Logf("export of %d files, %d rows", len(refs), total)

	reference := func(out string) {
		if err := os.MkdirAll(filepath.Join(out, "marts"), 0o700); err != nil {
			b.Fatal(err)
		}
		var n int64
		for _, r := range refs {
			var k int64
			q := "COPY (SELECT * FROM " + r.table + ") TO " + sqlLit(filepath.Join(out, r.path)) + " (FORMAT parquet, COMPRESSION zstd" + r.options + ")"
			if err := db.QueryRowContext(ctx, q).Scan(&k); err != nil {
				b.Fatalf("%s: %v", strings.SplitN(q, " TO ", 2)[0], err)
			}
			n += k
		}
		if n != total {
			b.Fatalf("reference wrote %d rows, the export %d", n, total)
		}
	}
	reference(filepath.Join(tmp, "warm"))

	var cpu, refWall, refCPU time.Duration
	i := 0
	for b.Loop() {
		i++
		c0 := rss.CPU()
		if _, err := Export(ctx, db, ExportOptions{Out: filepath.Join(tmp, fmt.Sprint("export-", i))}); err != nil {
			b.Fatal(err)
		}
		c1 := rss.CPU()
		b.StopTimer()
		start := time.Now()
		reference(filepath.Join(tmp, fmt.Sprint("ref-", i)))
		refWall += time.Since(start)
		refCPU += rss.CPU() - c1
		cpu += c1 - c0
		b.StartTimer()
	}
	n := float64(b.N)
	b.ReportMetric(float64(cpu.Nanoseconds())/n/1e6, "cpu-ms/op")
	b.ReportMetric(float64(refWall.Nanoseconds())/n/1e6, "ref-ms/op")
	b.ReportMetric(float64(refCPU.Nanoseconds())/n/1e6, "ref-cpu-ms/op")
	b.ReportMetric(float64(b.Elapsed())/float64(refWall), "x-ref")
	b.ReportMetric(float64(cpu)/float64(refCPU), "cpu-x-ref")
}
