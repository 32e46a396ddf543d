package audit

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Item is one entry for AddAll: what Add takes.
type Item struct {
	Actor, Action, Object string
	Detail                map[string]any
}

// AddAll appends the entries in order, each exactly as Add would, in fewer statements: the rows
// they bind by key (Bind with one value, on a table bound by its key) are read in one query per
// table, and the entries are inserted in one statement. The group committer of the tips
// (store/tipstore) appends a batch's entries this way.
func (a *Tx) AddAll(ctx context.Context, items []Item) error {
	if len(items) == 0 {
		return nil
	}
	// the rows bound by key, read per table in one query
	byTable := map[string][]any{}
	for _, it := range items {
		if b, ok := it.Detail["bound"].(BoundRow); ok && len(b.By) == 1 {
			if t, ok := boundTableOf(b.Table); ok && len(t.by) == 0 {
				byTable[b.Table] = append(byTable[b.Table], b.By[0])
			}
		}
	}
	found := map[string]map[string][]map[string]any{} // table → key → records
	for table, keys := range byTable {
		t, _ := boundTableOf(table)
		q := strings.TrimSuffix(t.query(false), " ORDER BY 1") + " WHERE " + t.key + " IN (?" + strings.Repeat(", ?", len(keys)-1) + ") ORDER BY 1"
		rows, err := a.tx.QueryContext(ctx, q, keys...)
		if err != nil {
			return fmt.Errorf("audit: read %s: %w", table, err)
		}
		recs := map[string][]map[string]any{}
		for rows.Next() {
			r, err := scanBound(rows, t)
			if err != nil {
				rows.Close()
				return err
			}
			recs[r.key] = append(recs[r.key], t.record(r))
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return err
		}
		found[table] = recs
	}
	vals := make([]string, 0, len(items))
	args := make([]any, 0, 8*len(items))
	head := a.head
	for _, it := range items {
		detail := it.Detail
		if r, ok := detail["bound"].(Returned); ok {
			out := make(map[string]any, len(detail))
			for k, v := range detail {
				out[k] = v
			}
			out["bound"] = []map[string]any{r.t.record(r.r)}
			detail = out
		} else if b, ok := detail["bound"].(BoundRow); ok && found[b.Table] != nil && len(b.By) == 1 {
			recs := found[b.Table][fmt.Sprint(b.By[0])]
			if len(recs) != 1 {
				return fmt.Errorf("audit: %s %v: %d rows to bind, want 1", b.Table, b.By, len(recs))
			}
			out := make(map[string]any, len(detail))
			for k, v := range detail {
				out[k] = v
			}
			out["bound"] = recs
			detail = out
		} else {
			var err error
			if detail, err = resolveBound(ctx, a.tx, detail); err != nil {
				return err
			}
		}
		d, err := json.Marshal(detail)
		if err != nil {
			return err
		}
		at := a.now
		if it.Actor == "citizen" {
			at = at.Truncate(time.Hour) // what a citizen did is kept to the hour only
		}
		e := Entry{Seq: head.Seq + 1, At: at, Actor: it.Actor, Action: it.Action, Object: it.Object, Detail: string(d), PrevMAC: head.MAC}
		e.MAC = MAC(a.k, e)
		vals = append(vals, "(?, ?, ?, ?, ?, ?, ?, ?)")
		args = append(args, e.Seq, e.At.UTC(), e.Actor, e.Action, e.Object, e.Detail, e.PrevMAC, e.MAC)
		head = Head{Seq: e.Seq, MAC: e.MAC}
	}
	if _, err := a.tx.ExecContext(ctx, `INSERT INTO audit_log VALUES `+strings.Join(vals, ", "), args...); err != nil {
		return fmt.Errorf("audit %d entries: %w", len(items), err)
	}
	a.head = head
	a.entries += len(items)
	return nil
}

// Returning is the RETURNING clause for an INSERT into a bound table (one bound by its key) that
// hands back of each row what Bind would read of it later; ScanReturned reads one row of it, and
// the result as detail["bound"] spares AddAll reading the row again.
func Returning(table string) (string, error) {
	t, ok := boundTableOf(table)
	if !ok || len(t.by) > 0 {
		return "", fmt.Errorf("audit: %s is not a table bound by its key", table)
	}
	sel := []string{t.key}
	for _, c := range t.cols {
		sel = append(sel, `CAST("`+c+`" AS VARCHAR)`)
	}
	return "RETURNING " + strings.Join(sel, ", "), nil
}

// Returned is a row of a bound table as its INSERT … Returning handed it back.
type Returned struct {
	t boundTable
	r boundRow
}

// Key is the row's key.
func (r Returned) Key() string { return r.r.key }

// ScanReturned reads the current row of an INSERT … Returning(table).
func ScanReturned(rows *sql.Rows, table string) (Returned, error) {
	t, ok := boundTableOf(table)
	if !ok {
		return Returned{}, fmt.Errorf("audit: %s is not a bound table", table)
	}
	r, err := scanBound(rows, t)
	return Returned{t, r}, err
}
