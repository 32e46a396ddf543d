package read

// The tips waiting for triage (举报待分拣) with their deadline, from int_tip_triage (the one rule of
// the triage deadline, queries/intermediate/int_tip_triage.sql; store/notify's sweep reads it too).

import (
	"context"
	"database/sql"
	"time"

	"landwatch/queries"
	"landwatch/warehouse"
)

// Triage is a tip waiting for triage: the day it is due and whether it is overdue on the day asked.
type Triage struct {
	Due     time.Time
	Overdue bool
}

// TipTriage is every tip waiting for triage, by tip id, overdue as of today (a day).
func TipTriage(ctx context.Context, q queries.Querier, today time.Time) (map[string]Triage, error) {
	out := map[string]Triage{}
	err := warehouse.EachRow(ctx, q, `SELECT tip_id, triage_due, triage_due < CAST(? AS DATE) FROM int_tip_triage WHERE waiting`,
		[]any{warehouse.DateOnly(today)}, func(rows *sql.Rows) error {
			var id string
			var t Triage
			if err := rows.Scan(&id, &t.Due, &t.Overdue); err != nil {
				return err
			}
			out[id] = t
			return nil
		})
	return out, err
}
