// Package finance is the finance bureau's ledger (财政局台账): 罚没款 decided, collected and
// outstanding per month and unit and per case, the reward fund against its budget and the
// restoration the county budget bears — read from the marts (mart_fines, mart_finance_monthly,
// mart_finance_fund, mart_finance_restoration; queries/README.md "Fines and confiscations" and "The
// finance ledger") as of any day, for the console (/staff/finance) and the spreadsheet
// (`landwatch report finance`).
package finance

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"landwatch/queries"
	"landwatch/warehouse"
)

// Month is one row of mart_finance_monthly: a month and a deciding unit.
type Month struct {
	Month                           time.Time
	Unit                            string
	Decided, Collected, Outstanding float64
}

// Fine is one row of mart_fines: a case and kind.
type Fine struct {
	CaseID, Township, Kind, Unit, DocNo string
	DecidedOn, LastPaidOn               sql.NullTime
	Decided, Collected, Outstanding     float64
	Receipts                            int64
}

// Fund is one row of mart_finance_fund: the reward fund in a month.
type Fund struct {
	Month                                    time.Time
	Approved, Paid, ApprovedTotal, PaidTotal float64
	Budget, Remaining                        sql.NullFloat64
	Owed                                     float64
}

// Restoration is one row of mart_finance_restoration: an item the county budget bears.
type Restoration struct {
	ItemID, Township, Village, Party, Payer, State string
	AcceptedOn                                     sql.NullTime
	DueOn                                          time.Time
	Cost, Paid, Outstanding                        float64
}

// Ledger is the finance ledger as of a day.
type Ledger struct {
	AsOf        time.Time
	Months      []Month
	Fines       []Fine
	Fund        []Fund
	Restoration []Restoration
}

// Totals is 罚没款 over every case: decided, collected, outstanding (the sums of mart_fines).
func (l *Ledger) Totals() (decided, collected, outstanding float64) {
	for _, f := range l.Fines {
		decided += f.Decided
		collected += f.Collected
		outstanding += f.Outstanding
	}
	return
}

// Read reads the ledger as of day (queries.At: the built marts, or built afresh for an earlier day).
func Read(ctx context.Context, db *warehouse.DB, day time.Time) (*Ledger, error) {
	day = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
	l := &Ledger{AsOf: day}
	// a day the models have not reached is queries.ErrNotBuilt
	if err := queries.At(ctx, db, day, func(q queries.Querier) error { return l.read(ctx, q) }); err != nil {
		return nil, err
	}
	return l, nil
}

func (l *Ledger) read(ctx context.Context, q queries.Querier) error {
	each := func(mart, sql string, scan func(*sql.Rows) error) error {
		rows, err := q.QueryContext(ctx, sql)
		if err != nil {
			return fmt.Errorf("read %s: %w", mart, err)
		}
		defer rows.Close()
		for n := 1; rows.Next(); n++ {
			if err := scan(rows); err != nil {
				return fmt.Errorf("read %s row %d: %w", mart, n, err)
			}
		}
		return rows.Err()
	}
	if err := each("mart_finance_monthly", `SELECT month, unit, CAST(decided_yuan AS DOUBLE), CAST(collected_yuan AS DOUBLE),
		CAST(outstanding_yuan AS DOUBLE) FROM mart_finance_monthly ORDER BY month, unit`, func(r *sql.Rows) error {
		var m Month
		err := r.Scan(&m.Month, &m.Unit, &m.Decided, &m.Collected, &m.Outstanding)
		l.Months = append(l.Months, m)
		return err
	}); err != nil {
		return err
	}
	if err := each("mart_fines", `SELECT case_id, coalesce(township, ''), fine_kind, unit, coalesce(doc_no, ''), decided_on, last_paid_on,
		CAST(decided_yuan AS DOUBLE), CAST(collected_yuan AS DOUBLE), CAST(outstanding_yuan AS DOUBLE), receipts
		FROM mart_fines ORDER BY outstanding_yuan > 0 DESC, township, case_id, fine_kind`, func(r *sql.Rows) error {
		var f Fine
		err := r.Scan(&f.CaseID, &f.Township, &f.Kind, &f.Unit, &f.DocNo, &f.DecidedOn, &f.LastPaidOn, &f.Decided, &f.Collected,
			&f.Outstanding, &f.Receipts)
		l.Fines = append(l.Fines, f)
		return err
	}); err != nil {
		return err
	}
	if err := each("mart_finance_fund", `SELECT month, CAST(approved_yuan AS DOUBLE), CAST(paid_yuan AS DOUBLE),
		CAST(approved_total_yuan AS DOUBLE), CAST(paid_total_yuan AS DOUBLE), CAST(budget_yuan AS DOUBLE), CAST(remaining_yuan AS DOUBLE),
		CAST(owed_yuan AS DOUBLE) FROM mart_finance_fund ORDER BY month`, func(r *sql.Rows) error {
		var f Fund
		err := r.Scan(&f.Month, &f.Approved, &f.Paid, &f.ApprovedTotal, &f.PaidTotal, &f.Budget, &f.Remaining, &f.Owed)
		l.Fund = append(l.Fund, f)
		return err
	}); err != nil {
		return err
	}
	return each("mart_finance_restoration", `SELECT item_id, coalesce(township, ''), coalesce(village, ''), party, coalesce(payer, ''), state,
		accepted_on, due_on, CAST(cost_yuan AS DOUBLE), CAST(paid_yuan AS DOUBLE), CAST(outstanding_yuan AS DOUBLE)
		FROM mart_finance_restoration ORDER BY township, item_id`, func(r *sql.Rows) error {
		var x Restoration
		err := r.Scan(&x.ItemID, &x.Township, &x.Village, &x.Party, &x.Payer, &x.State, &x.AcceptedOn, &x.DueOn, &x.Cost, &x.Paid, &x.Outstanding)
		l.Restoration = append(l.Restoration, x)
		return err
	})
}
