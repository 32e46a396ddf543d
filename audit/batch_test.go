package audit

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"landwatch/warehouse"
	"landwatch/warehouse/secret"
)

// AddAll writes what Add writes entry by entry — the same details with the same bound rows, the
// same times and a chain Verify accepts — and refuses a bound row that is missing, as Add does.
func TestAddAll(t *testing.T) {
	ctx := context.Background()
	clock := time.Date(2023, 3, 6, 10, 17, 0, 0, time.UTC)
	items := []Item{
		{"citizen", "tip.received", "T1", map[string]any{"status": "收到", "bound": Bind("tips", "T1")}},
		{"office1", "load.received_stamp", "7", map[string]any{"file": "a.csv"}},
		{"citizen", "tip.received", "T2", map[string]any{"status": "收到", "files": 2, "bound": Bind("tips", "T2")}},
	}
	write := func(mode string) []string {
		db, err := warehouse.Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), warehouse.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		k, err := secret.Load(db.Path, true)
		if err != nil {
			t.Fatal(err)
		}
		c, err := OpenChain(ctx, db, k, func() time.Time { return clock }, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		err = c.Tx(ctx, func(tx *sql.Tx, au *Tx) error {
			ret, err := Returning("tips")
			if err != nil {
				return err
			}
			returned := map[string]Returned{}
			for _, id := range []string{"T1", "T2"} {
				rows, err := tx.QueryContext(ctx, `INSERT INTO tips (tip_id, received_at, received_on, township, status, receipt_lookup, receipt_hash)
					VALUES (?, TIMESTAMP '2023-03-06 10:00:00', DATE '2023-03-06', '沁河镇', '收到', ?, 'x') `+ret, id, "l"+id)
				if err != nil {
					return err
				}
				for rows.Next() {
					r, err := ScanReturned(rows, "tips")
					if err != nil {
						return err
					}
					returned[r.Key()] = r
				}
				rows.Close()
			}
			switch mode {
			case "AddAll":
				return au.AddAll(ctx, items)
			case "Returning":
				its := append([]Item(nil), items...)
				for i, it := range its {
					if b, ok := it.Detail["bound"].(BoundRow); ok {
						d := map[string]any{}
						for k, v := range it.Detail {
							d[k] = v
						}
						d["bound"] = returned[b.By[0].(string)]
						its[i].Detail = d
					}
				}
				return au.AddAll(ctx, its)
			}
			for _, it := range items {
				if err := au.Add(ctx, it.Actor, it.Action, it.Object, it.Detail); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		n, f, err := Verify(ctx, db)
		if err != nil || n != len(items) || len(f) != 0 {
			t.Fatalf("%s: verify %d %v %v", mode, n, f, err)
		}
		var out []string
		rows, err := db.QueryContext(ctx, `SELECT seq, logged_at, actor, action, object, detail FROM audit_log ORDER BY seq`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var seq int
			var at time.Time
			var actor, action, object, detail string
			if err := rows.Scan(&seq, &at, &actor, &action, &object, &detail); err != nil {
				t.Fatal(err)
			}
			out = append(out, fmt.Sprint(seq, at, actor, action, object, detail))
		}
		return out
	}
	one := write("Add")
	for _, mode := range []string{"AddAll", "Returning"} {
		if all := write(mode); fmt.Sprint(one) != fmt.Sprint(all) {
			t.Errorf("%s wrote\n%v\nAdd wrote\n%v", mode, all, one)
		}
	}

	db, err := warehouse.Open(ctx, filepath.Join(t.TempDir(), "w.duckdb"), warehouse.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	k, err := secret.Load(db.Path, true)
	if err != nil {
		t.Fatal(err)
	}
	c, err := OpenChain(ctx, db, k, func() time.Time { return clock }, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	err = c.Tx(ctx, func(tx *sql.Tx, au *Tx) error { return au.AddAll(ctx, items[:1]) })
	if err == nil || !strings.Contains(err.Error(), "0 rows to bind") {
		t.Fatalf("a missing bound row: %v", err)
	}
}
