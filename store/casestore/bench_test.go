package casestore

import (
	"cmp"
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"landwatch/etl"
	"landwatch/internal/warehousetest"
	"landwatch/queries"
	"landwatch/store/accounts"
	"landwatch/warehouse"
)

func TestMain(m *testing.M) {
	code := m.Run()
	warehousetest.RemoveAll()
	os.Exit(code)
}

// tinyModelled is a new warehouse with the committed tiny county (testdata/tiny) loaded and its
// models run as of 2023-04-16.
var tinyModelled = &warehousetest.Template{Name: "lw.duckdb", Build: func(ctx context.Context, file string) error {
	db, err := warehouse.Open(ctx, file, warehouse.Options{})
	if err != nil {
		return err
	}
	cfg, err := db.Config(ctx)
	if err == nil {
		_, err = etl.LoadManifest(ctx, db, cfg, filepath.Join("..", "..", "testdata", "tiny"), etl.Options{LoadedBy: "test"})
	}
	if err == nil {
		_, err = queries.Run(ctx, db, queries.RunOptions{AsOf: time.Date(2023, 4, 16, 0, 0, 0, 0, time.UTC)})
	}
	if err != nil {
		db.Close()
		return err
	}
	return db.Close()
}}

// benchEnv is a store on a copy of tinyModelled, a case of it, and an office account and the
// account of a unit holding that case (it owns a stage entered for it).
type benchEnv struct {
	db           *warehouse.DB
	s            *Store
	caseID       string
	office, dept *accounts.User
}

func openBench(b *testing.B) *benchEnv { return openBenchT(b) }

func openBenchT(b testing.TB) *benchEnv {
	b.Helper()
	ctx := context.Background()
	db, err := warehouse.Open(ctx, tinyModelled.Copy(b), warehouse.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	cfg, err := db.Config(ctx)
	if err != nil {
		b.Fatal(err)
	}
	e := &benchEnv{db: db, s: New(db, cfg, nil, time.Now), office: &accounts.User{Name: "office", Role: accounts.RoleOffice}}
	var unit string
	if err := db.QueryRowContext(ctx, `SELECT case_id, unit FROM int_case_stages_now ORDER BY case_id, unit LIMIT 1`).Scan(&e.caseID, &unit); err != nil {
		b.Fatal(err)
	}
	e.dept = &accounts.User{Name: "dept", Role: accounts.RoleDepartment, Scope: unit}
	return e
}

// The reference: one plain read of the loaded cases' rows (the table raw_cases), timed in the
// same process, so that the ratios below compare across runs on a shared machine.
var (
	refOnce sync.Once
	refNs   float64
)

func reference(b testing.TB, e *benchEnv) float64 {
	refOnce.Do(func() {
		for range 20 {
			if err := readRef(e); err != nil {
				b.Fatal(err)
			}
		}
		const n = 300
		start := time.Now()
		for range n {
			if err := readRef(e); err != nil {
				b.Fatal(err)
			}
		}
		refNs = float64(time.Since(start).Nanoseconds()) / n
	})
	return refNs
}

func readRef(e *benchEnv) error {
	rows, err := e.db.QueryContext(context.Background(), `SELECT * FROM raw_cases`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
	}
	return rows.Err()
}

// BenchmarkCasePages times the store's reads behind the case pages, per call, and reports each
// as a multiple of the reference read (x-ref).
func BenchmarkCasePages(b *testing.B) {
	e := openBench(b)
	ctx := context.Background()
	ref := reference(b, e)
	b.Logf("reference (SELECT * FROM raw_cases): %.0f ns/op", ref)
	run := func(name string, f func() error) {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if err := f(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/ref, "x-ref")
		})
	}
	run("reference", func() error { return readRef(e) })
	for _, u := range []*accounts.User{e.office, e.dept} {
		run("ListCases/"+string(u.Role), func() error {
			l, err := e.s.ListCases(ctx, u, Filter{}, "")
			if err == nil && len(l) == 0 {
				b.Fatal("no cases")
			}
			return err
		})
		run("Case/"+string(u.Role), func() error {
			r, err := e.s.Case(ctx, u, e.caseID)
			if err == nil && r == nil {
				b.Fatal("no case")
			}
			return err
		})
		run("CaseStages/"+string(u.Role), func() error {
			_, es, err := e.s.CaseStages(ctx, u, e.caseID)
			if err == nil && len(es) == 0 {
				b.Fatal("no stage entries")
			}
			return err
		})
		run("CasePage/"+string(u.Role), func() error { // what the case page reads (portal/casework)
			r, err := e.s.Case(ctx, u, e.caseID)
			if err != nil || r == nil {
				return cmp.Or(err, errors.New("no case"))
			}
			_, _, err = e.s.StagesOf(ctx, r)
			return err
		})
	}
}
