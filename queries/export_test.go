package queries

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"landwatch/etl"
)

// TestExportTiny exports testdata/tiny as of the run's day and as of an earlier day, and checks
// the files, their row counts against the warehouse and their checksums against the manifest.
func TestExportTiny(t *testing.T) {
	t.Parallel()
	f := loadedFixture(t, tinyDir)
	cfg, err := f.db.Config(f.ctx)
	if err != nil {
		t.Fatal(err)
	}
	f.run("2023-04-30")

	out := filepath.Join(t.TempDir(), "export")
	m, err := Export(f.ctx, f.db, ExportOptions{Out: out})
	if err != nil {
		t.Fatal(err)
	}
	if m.AsOf != "2023-04-30" || m.County != cfg.County.Name || m.SchemaVersion != ExportSchemaVersion {
		t.Fatalf("manifest %s %s %d", m.County, m.AsOf, m.SchemaVersion)
	}
	count := func(q string) int64 {
		t.Helper()
		var n int64
		if err := f.db.QueryRowContext(f.ctx, q).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	for _, mart := range []string{"mart_township_scorecard", "mart_violations", "mart_ledger", "mart_power_alerts", "mart_power_gaps"} {
		want := count("SELECT count(*) FROM " + mart)
		if got := m.Rows["marts/"+mart]; got != want || (want == 0 && mart != "mart_power_gaps") {
			t.Errorf("%s: manifest says %d rows, warehouse has %d", mart, got, want)
		}
		p := filepath.Join(out, "marts", mart+".parquet")
		if got := count("SELECT count(*) FROM read_parquet(" + sqlLit(p) + ") WHERE county = " + sqlLit(cfg.County.Name)); got != want {
			t.Errorf("%s.parquet: %d rows with the county, want %d", mart, got, want)
		}
	}
	wantReadings := count(`SELECT count(*) FROM stg_power__readings WHERE ts < TIMESTAMP '2023-05-01' AND known_from < TIMESTAMP '2023-05-01'`)
	if m.Rows["power_readings"] != wantReadings || wantReadings == 0 {
		t.Errorf("readings: manifest %d, want %d", m.Rows["power_readings"], wantReadings)
	}
	glob := sqlLit(filepath.Join(out, "power_readings", "*", "*.parquet"))
	if got := count("SELECT count(*) FROM read_parquet(" + glob + ", hive_partitioning = true) WHERE CAST(ts AS DATE) = day"); got != wantReadings {
		t.Errorf("readings files: %d rows in their day's partition, want %d", got, wantReadings)
	}
	var cols string
	if err := f.db.QueryRowContext(f.ctx, "SELECT string_agg(column_name, ',' ORDER BY column_name) FROM (DESCRIBE SELECT * FROM read_parquet("+glob+", hive_partitioning = false))").Scan(&cols); err != nil {
		t.Fatal(err)
	}
	if cols != "kwh,meter_id,ts" {
		t.Errorf("reading columns %s", cols)
	}
	if got, want := m.Rows["meters"], count(`SELECT count(DISTINCT meter_id) FROM stg_power__meters`); got != want {
		t.Errorf("meters: %d, want %d", got, want)
	}
	if n, ok := m.Rows["power_cutoffs"]; !ok || n != count(`SELECT count(*) FROM stg_power__cutoffs`) {
		t.Errorf("cut-offs: manifest %d (listed %v), want every entry", n, ok)
	}
	if m.Parameters["night_ratio"] != 1.5 || m.Parameters["surge_baseline_days"] != 28.0 {
		t.Errorf("parameters %v", m.Parameters)
	}

	// the manifest read back verifies; a changed byte and a missing file are named
	back, err := ReadExportManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Files) < 10 {
		t.Fatalf("%d files", len(back.Files))
	}
	if bad := VerifyExport(f.ctx, out, back); len(bad) > 0 {
		t.Fatalf("fresh export does not verify: %v", bad)
	}
	p := filepath.Join(out, "marts", "mart_ledger.parquet")
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 0xff
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(out, "meters.parquet")); err != nil {
		t.Fatal(err)
	}
	bad := strings.Join(VerifyExport(f.ctx, out, back), "；")
	if !strings.Contains(bad, "校验和不符 marts/mart_ledger.parquet") || !strings.Contains(bad, "缺少文件 meters.parquet") {
		t.Errorf("damage not named: %s", bad)
	}

	// a non-empty directory is refused
	if _, err := Export(f.ctx, f.db, ExportOptions{Out: out}); err == nil {
		t.Error("export into a non-empty directory")
	}

	// an earlier day: the marts built on the fly, only what had arrived and happened by then
	early := filepath.Join(t.TempDir(), "early")
	m2, err := Export(f.ctx, f.db, ExportOptions{Out: early, AsOf: time.Date(2023, 3, 31, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	want := count(`SELECT count(*) FROM stg_power__readings WHERE ts < TIMESTAMP '2023-04-01' AND known_from < TIMESTAMP '2023-04-01'`)
	if m2.Rows["power_readings"] != want || want >= wantReadings {
		t.Errorf("readings as of 03-31: %d, want %d (of %d)", m2.Rows["power_readings"], want, wantReadings)
	}
	var maxDay time.Time
	if err := f.db.QueryRowContext(f.ctx, "SELECT max(as_of) FROM read_parquet("+sqlLit(filepath.Join(early, "marts", "mart_township_scorecard.parquet"))+")").Scan(&maxDay); err != nil {
		t.Fatal(err)
	}
	if maxDay.Format(time.DateOnly) != "2023-03-31" {
		t.Errorf("scorecard as of %s, want 2023-03-31", maxDay.Format(time.DateOnly))
	}
	if bad := VerifyExport(f.ctx, early, m2); len(bad) > 0 {
		t.Errorf("early export: %v", bad)
	}

	// alerts computed elsewhere from the export and loaded back are compared with the mart's own
	// by the data test external_power_alerts_agree: the same alerts pass, a changed score fails
	external := func(name, sel string) string {
		t.Helper()
		dir := filepath.Join(t.TempDir(), name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if _, err := f.db.ExecContext(f.ctx, "COPY ("+sel+") TO "+sqlLit(filepath.Join(dir, "part-0.parquet"))+" (FORMAT parquet)"); err != nil {
			t.Fatal(err)
		}
		meta := `{"county": "` + cfg.County.Name + `", "as_of": "2023-04-30", "engine": "test"}`
		if err := os.WriteFile(filepath.Join(dir, "_landwatch.json"), []byte(meta), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := etl.LoadFile(f.ctx, f.db, cfg, etl.KindPowerAlerts, dir, etl.Options{}); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	external("same", `SELECT * EXCLUDE (check_result), NULL AS check_result FROM mart_power_alerts`)
	f.run("2023-04-30")
	external("changed", `SELECT * EXCLUDE (score, check_result), score + CASE WHEN row_number() OVER (ORDER BY alert_id) = 1 THEN 0.1 ELSE 0 END AS score,
		NULL AS check_result FROM mart_power_alerts`)
	_, err = Run(f.ctx, f.db, RunOptions{AsOf: time.Date(2023, 4, 30, 0, 0, 0, 0, time.UTC)})
	if err == nil || !strings.Contains(err.Error(), "external_power_alerts_agree") || !strings.Contains(err.Error(), "external only") {
		t.Errorf("a differing external alert passed: %v", err)
	}
}
