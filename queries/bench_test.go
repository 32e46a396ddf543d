package queries

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"landwatch/campaign"
	"landwatch/etl"
	"landwatch/etl/synth"
	"landwatch/internal/warehousetest"
	"landwatch/warehouse"
)

// Benchmarks keep their data in $LANDWATCH_BENCH_DATA (default: bench-data/ at the repository's
// top, git-ignored); the county data is generated and warehouses are built on first use, then reused.
//
//	go test ./queries -run '^$' -bench . -benchtime 3x -v
func benchDir(b *testing.B) string {
	dir := os.Getenv("LANDWATCH_BENCH_DATA")
	if dir == "" {
		dir = filepath.Join("..", "bench-data")
	}
	return dir
}

// benchWarehouse opens (building on first use) the warehouse file; fill loads it.
func benchWarehouse(b *testing.B, file string, fill func(ctx context.Context, db *warehouse.DB) error) *warehouse.DB {
	b.Helper()
	ctx := context.Background()
	done := file + ".ready"
	if _, err := os.Stat(done); err != nil {
		os.Remove(file)
		os.Remove(file + ".wal")
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			b.Fatal(err)
		}
		db, err := warehouse.Open(ctx, file, warehouse.Options{})
		if err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		if err := fill(ctx, db); err != nil {
			db.Close()
			b.Fatal(err)
		}
		db.Close()
		b.Logf("built %s in %s", file, time.Since(t0).Round(time.Second))
		if err := os.WriteFile(done, nil, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	db, err := warehouse.Open(ctx, file, warehouse.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return db
}

func benchRun(b *testing.B, db *warehouse.DB, asOf time.Time) {
	b.Helper()
	var progress io.Writer
	if testing.Verbose() {
		progress = os.Stderr
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Run(context.Background(), db, RunOptions{AsOf: asOf, Progress: progress}); err != nil {
			b.Fatal(err)
		}
		progress = nil
	}
}

// BenchmarkModelsCounty builds every model as of 04-30 on the `county` synthetic data (~5,000
// meters, 22.4 M readings, the whole campaign's forms) and reports its time per run as a multiple of
// the reference measured in the same process (x-ref): the bare meter-day aggregate of the same
// warehouse (bareAggregateNs). The first run after the warehouse was built rebuilds every model, the
// later ones keep the power tables nothing changed under (reuse.go); `landwatch bench models` gives
// the first run's ratio apart. Goal: x-ref ≤ 3.
func BenchmarkModelsCounty(b *testing.B) {
	db := countyWarehouse(b)
	defer db.Close()
	ref := bareAggregateNs(b, db)
	benchRun(b, db, time.Date(2023, 4, 30, 0, 0, 0, 0, time.UTC))
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/ref, "x-ref")
	b.ReportMetric(ref/1e9, "ref-s/op")
}

// bareAggregateNs is the reference of the county benchmarks: the bare meter-day aggregate of the
// warehouse's readings (warehouse.BareMeterDays, what `landwatch bench models` compares a run with),
// the mean of 3 after one warm-up, in nanoseconds.
func bareAggregateNs(b *testing.B, db *warehouse.DB) float64 {
	b.Helper()
	var total time.Duration
	for i := range 4 {
		_, err := warehouse.BareMeterDays(context.Background(), db, func(run func() error) error {
			t0 := time.Now()
			err := run()
			if i > 0 {
				total += time.Since(t0)
			}
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	return float64(total.Nanoseconds()) / 3
}

// countyWarehouse is the `county` synthetic data (seed 1) loaded, generated and built on first use.
func countyWarehouse(b *testing.B) *warehouse.DB {
	src := filepath.Join(benchDir(b), "county")
	if _, err := os.Stat(filepath.Join(src, "manifest.json")); err != nil {
		b.Logf("generating the county data in %s", src)
		if _, err := synth.Generate(context.Background(), synth.Options{Out: src, Scale: "county", Seed: 1, Config: campaign.Default()}); err != nil {
			b.Fatal(err)
		}
	}
	db := benchWarehouse(b, filepath.Join(benchDir(b), "queries", "county.duckdb"), func(ctx context.Context, db *warehouse.DB) error {
		cfg, err := db.Config(ctx)
		if err != nil {
			return err
		}
		_, err = etl.LoadManifest(ctx, db, cfg, src, etl.Options{})
		return err
	})
	var n int64
	db.QueryRow(`SELECT count(*) FROM raw_power_readings`).Scan(&n)
	b.Logf("county: %d readings", n)
	return db
}

// BenchmarkAtPastDayCounty reads a past week's scorecard on the county data, the models built on the
// fly as of that day (queries.At) after a run as of 04-30, and reports its time as a multiple of the
// bare meter-day aggregate measured in the same process (x-ref, bareAggregateNs).
func BenchmarkAtPastDayCounty(b *testing.B) {
	db := countyWarehouse(b)
	defer db.Close()
	if _, err := Run(context.Background(), db, RunOptions{AsOf: time.Date(2023, 4, 30, 0, 0, 0, 0, time.UTC)}); err != nil {
		b.Fatal(err)
	}
	ref := bareAggregateNs(b, db)
	defer func() {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/ref, "x-ref")
		b.ReportMetric(ref/1e9, "ref-s/op")
	}()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		err := At(context.Background(), db, time.Date(2023, 4, 16, 0, 0, 0, 0, time.UTC), func(q Querier) error {
			var n int
			return q.QueryRowContext(context.Background(), `SELECT count(*) FROM mart_township_scorecard WHERE as_of = DATE '2023-04-16'`).Scan(&n)
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPowerRules100M builds the models on 100.8 M hourly readings (35,000 meters × 120 days)
// made directly in DuckDB: every meter draws an ordinary load, every 500th runs a night-over-day
// pattern, every 700th surges, every 900th is a closed mine drawing power. Only the power models have
// data to chew on; the others take milliseconds. Target: under 60 s.
func BenchmarkPowerRules100M(b *testing.B) {
	const meters, days = 35000, 120
	db := benchWarehouse(b, filepath.Join(benchDir(b), "queries", "power-100m.duckdb"), func(ctx context.Context, db *warehouse.DB) error {
		for _, st := range []struct {
			q        string
			args     []any
			readings bool // q is a SELECT of readings for warehousetest.InsertReadings
		}{
			// the readings file arrives at the end of the last day it holds
			{`INSERT INTO load_batches (batch_id, kind, file_name, sha256, rows, loaded_by, loaded_at, received_at) VALUES
				(1, 'meters', 'bench', 'bench', 0, 'bench', now(), TIMESTAMP '2023-01-01'),
				(2, 'power', 'bench', 'bench', 0, 'bench', now(), TIMESTAMP '2023-04-30 23:59:59')`, nil, false},
			{`INSERT INTO raw_meters (batch_id, source_row, meter_id, customer_type, township, village, lon, lat)
				SELECT 1, m + 2, 'B' || lpad(m::VARCHAR, 6, '0'),
					CASE WHEN m % 900 = 0 THEN '关闭矿井' WHEN m % 3 = 0 THEN '小工厂' ELSE '居民' END,
					'沁河镇', '沁河村', 112.0 + (m % 100) * 0.005, 36.5 + (m // 100) * 0.0005
				FROM range(?) t(m)`, []any{meters}, false},
			{`SELECT 2 AS batch_id, CAST(NULL AS BIGINT) AS source_row, 'B' || lpad(m::VARCHAR, 6, '0') AS meter_id, ts,
					CASE
						WHEN m % 900 = 0 THEN CASE WHEN ts >= TIMESTAMP '2023-04-10' AND hour(ts) = 2 THEN 3 ELSE 0 END
						WHEN m % 500 = 0 AND ts >= TIMESTAMP '2023-04-01' AND (hour(ts) >= 22 OR hour(ts) < 6) THEN 6
						WHEN m % 700 = 0 AND ts >= TIMESTAMP '2023-04-05' THEN 8
						ELSE 0.5 + ((m * 7919 + hour(ts) * 31 + dayofyear(ts)) % 17) / 10.0
					END AS kwh
				FROM range(?) t(m)
				CROSS JOIN generate_series(TIMESTAMP '2023-01-01', TIMESTAMP '2023-01-01' + to_hours(CAST(? AS BIGINT) * 24 - 1), INTERVAL 1 HOUR) g(ts)`, []any{meters, days}, true},
			{`INSERT INTO raw_power_checks (batch_id, source_row, meter_id, checked_on, result)
				SELECT 1, m + 2, 'B' || lpad(m::VARCHAR, 6, '0'), DATE '2023-04-20', '非法采矿' FROM range(0, ?, 500) t(m)`, []any{meters}, false},
		} {
			if st.readings {
				if err := warehousetest.InsertReadings(ctx, db, st.q, st.args...); err != nil {
					return err
				}
				continue
			}
			if _, err := db.ExecContext(ctx, st.q, st.args...); err != nil {
				return err
			}
		}
		_, err := db.ExecContext(ctx, `CHECKPOINT`)
		return err
	})
	defer db.Close()
	var n int64
	db.QueryRow(`SELECT count(*) FROM raw_power_readings`).Scan(&n)
	b.Logf("power: %d readings", n)
	benchRun(b, db, time.Date(2023, 4, 30, 0, 0, 0, 0, time.UTC))
}
