package queries

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"
	"time"

	"landwatch/internal/warehousetest"
	"landwatch/warehouse"
)

// fixture is a fresh warehouse (default campaign config) into which a test INSERTs raw rows by hand.
type fixture struct {
	t       *testing.T
	ctx     context.Context
	db      *warehouse.DB
	batches map[string]int64 // kind → the current batch
	rows    map[int64]int    // batch → rows so far
	nextID  int64
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	return openFixture(t, emptyWarehouse.Copy(t))
}

// openFixture is newFixture on the warehouse file given (a copy of a template, tiny_test.go),
// created if need be.
func openFixture(t *testing.T, file string) *fixture {
	t.Helper()
	ctx := context.Background()
	db, err := warehouse.Open(ctx, file, warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return &fixture{t: t, ctx: ctx, db: db, batches: map[string]int64{}, rows: map[int64]int{}, nextID: 1}
}

// kindOf maps a raw table to its load_batches kind.
var kindOf = map[string]string{
	"raw_inspections": "inspection", "raw_rectifications": "rectification", "raw_patrols": "patrol",
	"raw_cases": "cases", "raw_meters": "meters", "raw_power_readings": "power",
	"raw_power_checks": "power-checks", "raw_imagery_patches": "imagery", "raw_clues": "clues",
	"raw_responsibilities": "responsibilities", "raw_duties": "duties", "raw_rechecks": "rechecks",
	"raw_case_stages": "case-stages", "raw_restoration": "restoration", "raw_acceptances": "acceptances", "raw_collections": "collections",
}

// newBatch starts a new batch of the kind; later inserts of that kind go into it. It arrived before
// the campaign (2023-01-01) unless received says otherwise.
func (f *fixture) newBatch(kind string) int64 {
	f.t.Helper()
	id := f.nextID
	f.nextID++
	f.exec(`INSERT INTO load_batches (batch_id, kind, file_name, sha256, rows, loaded_by, loaded_at, received_at)
		VALUES (?, ?, ?, 'test', 0, 'test', current_timestamp, TIMESTAMP '2023-01-01')`, id, kind, fmt.Sprintf("%s-%d.xlsx", kind, id))
	f.batches[kind] = id
	return id
}

// received sets when a batch reached the county: "YYYY-MM-DD HH:MM[:SS]".
func (f *fixture) received(batch int64, at string) {
	f.t.Helper()
	f.exec(`UPDATE load_batches SET received_at = CAST(? AS TIMESTAMP) WHERE batch_id = ?`, at, batch)
}

// replace marks batch old as replaced by a new batch of the same kind, which it returns.
func (f *fixture) replace(kind string) int64 {
	f.t.Helper()
	old := f.batches[kind]
	id := f.newBatch(kind)
	f.exec(`UPDATE load_batches SET replaced_by = ? WHERE batch_id = ?`, id, old)
	f.exec(`UPDATE load_batches SET replaces = ? WHERE batch_id = ?`, old, id)
	return id
}

func (f *fixture) exec(q string, args ...any) {
	f.t.Helper()
	if _, err := f.db.ExecContext(f.ctx, q, args...); err != nil {
		f.t.Fatalf("%s: %v", q, err)
	}
}

// row is a column → value map; "YYYY-MM-DD" strings go in as dates where the column is a DATE.
type row map[string]any

// insert adds one row; raw tables get batch_id and source_row filled in.
func (f *fixture) insert(table string, r row) {
	f.t.Helper()
	if kind, ok := kindOf[table]; ok {
		b, ok := f.batches[kind]
		if !ok {
			b = f.newBatch(kind)
		}
		f.rows[b]++
		if _, ok := r["batch_id"]; !ok {
			r["batch_id"] = b
		}
		if _, ok := r["source_row"]; !ok {
			r["source_row"] = f.rows[b] + 1
		}
	}
	cols := make([]string, 0, len(r))
	for c := range r {
		cols = append(cols, c)
	}
	sort.Strings(cols)
	if table == "raw_power_readings" { // with the meter's key
		if err := warehousetest.InsertReading(f.ctx, f.db, r["batch_id"], r["source_row"], r["meter_id"].(string), r["ts"], r["kwh"]); err != nil {
			f.t.Fatal(err)
		}
		return
	}
	args := make([]any, len(cols))
	marks := make([]string, len(cols))
	for i, c := range cols {
		args[i] = r[c]
		marks[i] = "?"
	}
	f.exec(fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", table, strings.Join(cols, ", "), strings.Join(marks, ", ")), args...)
}

// problem inserts an inspection row that is a problem.
func (f *fixture) problem(id, township, village, reported string, extra row) {
	f.t.Helper()
	r := row{"problem_id": id, "township": township, "village": village, "level": "乡镇", "is_problem": true,
		"reported_on": reported, "category_inferred": false, "hazard": "发现问题"}
	for k, v := range extra {
		r[k] = v
	}
	f.insert("raw_inspections", r)
}

// patch inserts an imagery patch verified 违法 (unless extra says otherwise).
func (f *fixture) patch(id, township, village, imaged string, lon, lat float64, extra row) {
	f.t.Helper()
	r := row{"patch_id": id, "township": township, "village": village, "imaged_on": imaged, "verdict": "违法",
		"lon": lon, "lat": lat, "geometry": fmt.Sprintf("POINT (%f %f)", lon, lat)}
	for k, v := range extra {
		r[k] = v
	}
	f.insert("raw_imagery_patches", r)
}

func (f *fixture) rectified(item, on string) {
	f.t.Helper()
	f.insert("raw_rectifications", row{"item_id": item, "status": "已整改", "rectified_on": on})
}

func (f *fixture) patrol(township string, days ...string) {
	f.t.Helper()
	for _, d := range days {
		f.insert("raw_patrols", row{"township": township, "patrolled_on": d})
	}
}

// run builds the models as of the day and fails the test on any error.
func (f *fixture) run(asOf string) *RunResult {
	f.t.Helper()
	res, err := Run(f.ctx, f.db, RunOptions{AsOf: day(f.t, asOf)})
	if err != nil {
		f.t.Fatalf("run as of %s: %v", asOf, err)
	}
	return res
}

// query returns every row of q, values normalized: dates as "YYYY-MM-DD", NULL as nil.
func (f *fixture) query(q string, args ...any) []row {
	f.t.Helper()
	rows, err := f.db.QueryContext(f.ctx, q, args...)
	if err != nil {
		f.t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []row
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			f.t.Fatal(err)
		}
		r := row{}
		for i, c := range cols {
			switch v := vals[i].(type) {
			case time.Time:
				r[c] = v.Format("2006-01-02")
			case int32:
				r[c] = int64(v)
			default:
				r[c] = v
			}
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		f.t.Fatal(err)
	}
	return out
}

// one returns the single row of q.
func (f *fixture) one(q string, args ...any) row {
	f.t.Helper()
	rs := f.query(q, args...)
	if len(rs) != 1 {
		f.t.Fatalf("%s %v: %d rows, want 1: %v", q, args, len(rs), rs)
	}
	return rs[0]
}

// card is the scorecard row of a township as of a day.
func (f *fixture) card(asOf, township string) row {
	f.t.Helper()
	return f.one(`SELECT * FROM mart_township_scorecard WHERE as_of = ? AND township = ?`, day(f.t, asOf), township)
}

// expect compares the named fields of r with want (ints as int64, floats within 1e-9, nil as NULL).
func expect(t *testing.T, what string, r row, want row) {
	t.Helper()
	for k, w := range want {
		got, ok := r[k]
		if !ok {
			t.Errorf("%s: no column %s", what, k)
			continue
		}
		if !same(got, w) {
			t.Errorf("%s: %s = %v (%T), want %v", what, k, got, got, w)
		}
	}
}

func same(got, want any) bool {
	switch w := want.(type) {
	case nil:
		return got == nil
	case int:
		switch g := got.(type) {
		case int64:
			return g == int64(w)
		case int32:
			return int64(g) == int64(w)
		}
		return false
	case float64:
		g, ok := got.(float64)
		return ok && math.Abs(g-w) < 1e-9
	default:
		return fmt.Sprint(got) == fmt.Sprint(want)
	}
}

func day(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// north returns the latitude d metres due north of lat: along a meridian the haversine distance is
// exactly R × Δφ.
func north(lat, d float64) float64 { return lat + d/6371008.8*180/math.Pi }
