package warehouse

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
)

// TestActionDims: the required actions and what each category calls for come from the
// configuration; a warehouse configured before they existed (dim_actions empty) gets them when it
// is opened again.
func TestActionDims(t *testing.T) {
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "w.duckdb")
	db, err := Open(ctx, file, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rows := func(q string) string {
		t.Helper()
		r, err := db.QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		var out []string
		for r.Next() {
			var a, b, c string
			if err := r.Scan(&a, &b, &c); err != nil {
				t.Fatal(err)
			}
			out = append(out, a+"/"+b+"/"+c)
		}
		return fmt.Sprint(out)
	}
	const actions = `SELECT action, coalesce(owner, '按类别'), CAST(due_workdays AS VARCHAR) FROM dim_actions ORDER BY sort_order`
	want := "[stop/乡镇/1 cutoff_order/办公室/1 cutoff_done/供电公司/2 filed/按类别/0 penalty/按类别/0 ban/自然资源/10 transfer/按类别/3 restore/乡镇/0]"
	if got := rows(actions); got != want {
		t.Errorf("dim_actions %s, want %s", got, want)
	}
	if got := rows(`SELECT category, case_unit, CAST(ban AS VARCHAR) || ' ' || CAST(CAST(criminal_yuan AS INTEGER) AS VARCHAR) FROM dim_category_actions
		WHERE category IN ('M1', 'L1') ORDER BY category`); got != "[L1/自然资源/false 0 M1/自然资源/true 100000]" {
		t.Errorf("dim_category_actions %s", got)
	}
	if _, err := db.ExecContext(ctx, `DELETE FROM dim_actions`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if db, err = Open(ctx, file, Options{}); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if got := rows(actions); got != want {
		t.Errorf("reopened: dim_actions %s, want %s", got, want)
	}
}
