package read

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"landwatch/warehouse"
)

// martDB is a fresh warehouse with a small mart: 120 rows over two townships, before any models run.
func martDB(t *testing.T) *warehouse.DB {
	t.Helper()
	ctx := context.Background()
	db, err := warehouse.Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.ExecContext(ctx, `CREATE TABLE mart_test (township VARCHAR, kind VARCHAR, overdue BOOLEAN, n INTEGER)`); err != nil {
		t.Fatal(err)
	}
	for i := range 120 {
		town := []string{"甲镇", "乙镇"}[i%2]
		if _, err := db.ExecContext(ctx, `INSERT INTO mart_test VALUES (?, ?, ?, ?)`, town, fmt.Sprintf("k%d", i%3), i%4 == 0, i); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.ExecContext(ctx, `CREATE TABLE mart_untowned (n INTEGER); INSERT INTO mart_untowned VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	return db
}

var testView = View{Mart: "mart_test", Filters: []Filter{
	{Param: "township", Col: "township", Label: "乡镇"},
	{Param: "kind", Col: "kind", Label: "类型"},
	{Param: "overdue", Col: "overdue", Label: "逾期", Bool: true},
}}

func TestMartScopesFiltersAndPages(t *testing.T) {
	db := martDB(t)
	ctx := context.Background()
	office, town := "", "乙镇" // the office reads every township; a township account its own
	towns := []string{"甲镇", "乙镇"}

	tb, choices, err := Mart(ctx, db, office, testView, Opts{Page: 1, Townships: towns})
	if err != nil || tb.Total != 120 || len(tb.Rows) != PageSize || len(choices) != 3 {
		t.Fatalf("office page 1: %v, total %d, %d rows, %d filters", err, tb.Total, len(tb.Rows), len(choices))
	}
	tb, _, err = Mart(ctx, db, office, testView, Opts{Page: 3, Townships: towns})
	if err != nil || len(tb.Rows) != 20 || tb.Rows[0][3] != "100" {
		t.Fatalf("office page 3: %v, %d rows", err, len(tb.Rows))
	}
	tb, _, err = Mart(ctx, db, office, testView, Opts{Filters: map[string]string{"kind": "k1", "overdue": "true"}, Townships: towns})
	if err != nil || tb.Total != 10 {
		t.Fatalf("kind k1 and overdue: %v, total %d (want 10)", err, tb.Total)
	}
	// a township account sees its own township only, whatever it asks, and is offered only it
	tb, choices, err = Mart(ctx, db, town, testView, Opts{Townships: towns})
	if err != nil || tb.Total != 60 || len(choices[0].Options) != 1 || choices[0].Options[0].Value != "乙镇" {
		t.Fatalf("township: %v, total %d, options %v", err, tb.Total, choices[0].Options)
	}
	for _, r := range tb.Rows {
		if r[0] != "乙镇" {
			t.Fatalf("township account sees %v", r)
		}
	}
	if _, _, err := Mart(ctx, db, town, testView, Opts{Filters: map[string]string{"township": "甲镇"}, Townships: towns}); !errors.As(err, new(InputError)) {
		t.Fatalf("another township: %v, want a refusal", err)
	}
	// a mart without a township column shows a township account nothing
	tb, _, err = Mart(ctx, db, town, View{Mart: "mart_untowned"}, Opts{})
	if err != nil || tb == nil || len(tb.Rows) != 0 {
		t.Fatalf("untowned mart: %v, %v", err, tb)
	}
	// a mart not built yet is nil
	if tb, _, err := Mart(ctx, db, office, View{Mart: "mart_absent"}, Opts{}); err != nil || tb != nil {
		t.Fatalf("absent mart: %v, %v", err, tb)
	}
}

// A value not offered never reaches SQL: it is refused in Chinese, quotes and all.
func TestMartRefusesValuesNotOffered(t *testing.T) {
	db := martDB(t)
	ctx := context.Background()
	office := "" // every township
	for _, attack := range []string{"k9", "k1' OR '1'='1", `k1" OR true --`, "yes", "1", "甲镇'; DROP TABLE mart_test; --"} {
		for _, param := range []string{"kind", "overdue", "township"} {
			_, _, err := Mart(ctx, db, office, testView, Opts{Filters: map[string]string{param: attack}, Townships: []string{"甲镇", "乙镇"}})
			var ie InputError
			if !errors.As(err, &ie) || !strings.Contains(ie.Error(), attack) {
				t.Errorf("%s=%q: %v, want a refusal naming it", param, attack, err)
			}
		}
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM mart_test`).Scan(&n); err != nil || n != 120 {
		t.Fatalf("mart after the attacks: %d rows, %v", n, err)
	}
}
