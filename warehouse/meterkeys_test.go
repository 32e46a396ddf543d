package warehouse

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
)

// TestMeterKeysMigration: a warehouse whose readings store the 户号 as text (before migration
// 0148) keeps every reading when it opens: each distinct 户号 gets one key, the readings carry it,
// and joined back they are the rows they were.
func TestMeterKeysMigration(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "w.duckdb")
	db, err := Open(ctx, file, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// the warehouse as it was before 0148, with readings of three meters (one not digits)
	for _, q := range []string{
		`DROP TABLE power_meter_keys`,
		`DROP TABLE raw_power_readings`,
		`CREATE TABLE raw_power_readings (batch_id BIGINT NOT NULL, source_row BIGINT, meter_id VARCHAR NOT NULL,
			ts TIMESTAMP NOT NULL, kwh DOUBLE NOT NULL)`,
		`INSERT INTO raw_power_readings VALUES (1, 2, '1430000002', TIMESTAMP '2023-03-05 00:00', 1.5),
			(1, 3, '1430000002', TIMESTAMP '2023-03-05 01:00', 2), (1, 4, 'M-1', TIMESTAMP '2023-03-05 00:00', 3),
			(2, 2, '1430000001', TIMESTAMP '2023-03-06 00:00', 4), (2, 3, 'M-1', TIMESTAMP '2023-03-06 00:00', 5)`,
		`DELETE FROM schema_migrations WHERE version = 148`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	db.Close()
	if db, err = Open(ctx, file, Options{}); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	all := func(q string) string {
		t.Helper()
		rows, err := db.QueryContext(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var a, b, c, d any
			if err := rows.Scan(&a, &b, &c, &d); err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprint(a, " ", b, " ", c, " ", d))
		}
		return fmt.Sprint(out)
	}
	if got, want := all(`SELECT meter_key, meter_id, 0, 0 FROM power_meter_keys ORDER BY meter_key`),
		"[1 1430000001 0 0 2 1430000002 0 0 3 M-1 0 0]"; got != want {
		t.Errorf("keys %s, want %s", got, want)
	}
	if got, want := all(`SELECT batch_id, source_row, meter_id, kwh FROM raw_power_readings JOIN power_meter_keys USING (meter_key)
		ORDER BY batch_id, source_row`), "[1 2 1430000002 1.5 1 3 1430000002 2 1 4 M-1 3 2 2 1430000001 4 2 3 M-1 5]"; got != want {
		t.Errorf("readings %s, want %s", got, want)
	}
	var typ string
	if err := db.QueryRowContext(ctx, `SELECT data_type FROM information_schema.columns
		WHERE table_name = 'raw_power_readings' AND column_name = 'meter_key'`).Scan(&typ); err != nil || typ != "INTEGER" {
		t.Errorf("meter_key: %q %v", typ, err)
	}
}
