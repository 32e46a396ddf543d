package etl

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// A manifest writes its files' rows together at the end, through the appender, with the batches'
// rows, and names their repeated rows with a few queries for all of them (manifest.go, etl/batch/append.go,
// etl/batch/duplicates.go): the warehouse it leaves is the one its small files leave loaded one by
// one, in its order — every raw table, every batch (but its load time), every warning, every
// village added.
func TestManifestLoadsAsFileByFile(t *testing.T) {
	src, _ := filepath.Abs(filepath.Join("..", "testdata", "tiny"))
	raw, err := os.ReadFile(filepath.Join(src, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m Manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	kept := m.Files[:0]
	for _, f := range m.Files {
		if f.Kind != KindPower && f.Kind != KindPowerAlerts {
			f.Path = filepath.Join(src, filepath.FromSlash(f.Path))
			kept = append(kept, f)
		}
	}
	m.Files = kept
	dir := t.TempDir()
	out, _ := json.Marshal(m)
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), out, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	whole, cfg := openDB(t)
	if _, err := LoadManifest(ctx, whole, cfg, dir, Options{LoadedBy: "test"}); err != nil {
		t.Fatal(err)
	}
	one, _ := openDB(t)
	for _, f := range m.Files {
		opt := Options{LoadedBy: "test", Dir: filepath.Dir(f.Path)}
		if f.ReceivedOn != "" {
			if opt.ReceivedAt, err = ParseReceived(f.ReceivedOn, cfg.Location()); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := LoadFile(ctx, one, cfg, f.Kind, f.Path, opt); err != nil {
			t.Fatal(err)
		}
	}
	tables := rowsOf(t, whole, `SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'
		AND (table_name LIKE 'raw\_%' ESCAPE '\' OR table_name IN ('load_warnings', 'dim_villages')) ORDER BY 1`)
	queries := []string{`SELECT * EXCLUDE (loaded_at) FROM load_batches ORDER BY ALL`,
		`SELECT min(loaded_at) > now()::TIMESTAMP - INTERVAL 1 HOUR, max(loaded_at) <= now()::TIMESTAMP FROM load_batches`}
	for _, tb := range tables {
		queries = append(queries, `SELECT * FROM `+tb[0]+` ORDER BY ALL`)
	}
	rows := 0
	for _, q := range queries {
		a, b := rowsOf(t, whole, q), rowsOf(t, one, q)
		rows += len(a)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: the manifest and the files one by one differ:\n%s", q, firstDiff(a, b))
		}
	}
	if rows < 1000 {
		t.Errorf("only %d rows compared", rows)
	}
	// The manifest's batches share its transaction's load time; the files one by one have each theirs.
	if n := count(t, whole, `SELECT count(DISTINCT loaded_at) FROM load_batches`); n != 1 {
		t.Errorf("the manifest's batches have %d load times", n)
	}
	// The comparison covers repeated rows named across files.
	for _, msg := range []string{"本文件有 % 行与已导入的数据完全相同%", "与已导入的批次%"} {
		if n := count(t, whole, `SELECT count(*) FROM load_warnings WHERE message LIKE ?`, msg); n == 0 {
			t.Errorf("no warning %q in the tiny county", msg)
		}
	}
}

// firstDiff shows where two row lists part.
func firstDiff(a, b [][]string) string {
	for i := range min(len(a), len(b)) {
		if !reflect.DeepEqual(a[i], b[i]) {
			return fmt.Sprintf("row %d:\n  manifest: %s\n  one by one: %s", i+1, strings.Join(a[i], " | "), strings.Join(b[i], " | "))
		}
	}
	return fmt.Sprintf("%d rows against %d", len(a), len(b))
}
