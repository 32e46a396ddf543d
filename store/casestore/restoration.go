package casestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"landwatch/audit"
	"landwatch/store/accounts"
	"landwatch/warehouse"
)

// The restoration ledger (恢复治理) on the accepting unit's console: a unit that accepts some
// category's rectifications updates an item of the ledger — the area restored, the day the
// restoration was accepted, the cost paid and by whom, the plan — as a new version of the item from
// when it was entered (restoration_entries; stg_restoration__items reads it like a later file's
// row). The party, the area to restore, the deadline and the estimated cost stay the file's.
// Appended and audited (restoration.updated).

// RestorationItem is an item of the restoration ledger as of the last models run (mart_restoration).
type RestorationItem struct {
	ID, Township, Village, Party, Plan, Area, Restored, AcceptedOn, DueOn, State, Cost, Paid, Payer, Outstanding string
	Late                                                                                                         bool
}

// RestorationInput is an update as the unit enters it.
type RestorationInput struct {
	Item, Restored, AcceptedOn, Paid, Payer, Plan string
}

// ErrRestoration marks a refused update (bad input; the message lists every problem).
var ErrRestoration = errors.New("恢复治理未更新")

// Restoration lists the restoration ledger as of the last models run: open items first, then by
// deadline. Only the office and the accepting units see it.
func (s *Store) Restoration(ctx context.Context, u *accounts.User) ([]RestorationItem, error) {
	if u.Role != accounts.RoleOffice {
		if _, err := s.acceptingUnit(u); err != nil {
			return nil, err
		}
	}
	if ok, err := s.built(ctx, "mart_restoration"); err != nil || !ok {
		return nil, err
	}
	q := `SELECT item_id, coalesce(township, ''), coalesce(village, ''), party, coalesce(plan, ''), CAST(area_mu AS VARCHAR),
		CAST(restored_mu AS VARCHAR), coalesce(strftime(accepted_on, '%Y-%m-%d'), ''), strftime(due_on, '%Y-%m-%d'), state,
		coalesce(CAST(cost_yuan AS VARCHAR), ''), coalesce(CAST(paid_yuan AS VARCHAR), ''), coalesce(payer, ''),
		CAST(outstanding_yuan AS VARCHAR), late
		FROM mart_restoration ORDER BY state = '已验收', late DESC, due_on, item_id LIMIT ` + strconv.Itoa(ListCap)
	var out []RestorationItem
	err := warehouse.EachRow(ctx, s.db, q, nil, func(rs *sql.Rows) error {
		var r RestorationItem
		if err := rs.Scan(&r.ID, &r.Township, &r.Village, &r.Party, &r.Plan, &r.Area, &r.Restored, &r.AcceptedOn, &r.DueOn, &r.State,
			&r.Cost, &r.Paid, &r.Payer, &r.Outstanding, &r.Late); err != nil {
			return err
		}
		out = append(out, r)
		return nil
	})
	return out, err
}

// UpdateRestoration records a new version of a restoration item by u's unit; audited
// (restoration.updated). An unknown item is ErrNoRef.
func (s *Store) UpdateRestoration(ctx context.Context, u *accounts.User, in RestorationInput) error {
	unit, err := s.acceptingUnit(u)
	if err != nil {
		return err
	}
	for _, p := range []*string{&in.Item, &in.Restored, &in.AcceptedOn, &in.Paid, &in.Payer, &in.Plan} {
		*p = strings.TrimSpace(*p)
	}
	if ok, err := s.built(ctx, "int_restoration_now"); err != nil {
		return err
	} else if !ok {
		return ErrNotBuilt
	}
	// the item's current version (int_restoration_now): what the update keeps
	var party, plan, payer sql.NullString
	var area float64
	var cost, paidBefore sql.NullFloat64
	var due time.Time
	err = s.db.QueryRowContext(ctx, `SELECT party, CAST(area_mu AS DOUBLE), due_on, CAST(cost_yuan AS DOUBLE), CAST(paid_yuan AS DOUBLE), payer, plan
		FROM int_restoration_now WHERE item_id = ?`, in.Item).
		Scan(&party, &area, &due, &cost, &paidBefore, &payer, &plan)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("恢复治理事项 %s（%w）", in.Item, ErrNoRef)
	}
	if err != nil {
		return fmt.Errorf("restoration item %s: %w", in.Item, err)
	}
	var probs []string
	num := func(s, what string) (float64, bool) {
		if s == "" {
			return 0, true
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || v < 0 || v != v {
			probs = append(probs, fmt.Sprintf("%s“%s”不是非负数", what, s))
			return 0, false
		}
		return v, true
	}
	restored, _ := num(in.Restored, "已恢复面积")
	paid, _ := num(in.Paid, "已付费用")
	if restored > area {
		probs = append(probs, fmt.Sprintf("已恢复面积 %s 亩大于应恢复面积 %g 亩", in.Restored, area))
	}
	if cost.Valid && paid > cost.Float64 {
		probs = append(probs, fmt.Sprintf("已付费用 %s 元大于估算费用 %g 元", in.Paid, cost.Float64))
	}
	if in.Payer == "" && paid > 0 {
		probs = append(probs, "已付费用大于 0，应写明付款方")
	}
	var accepted any
	if in.AcceptedOn != "" {
		d, err := time.Parse(time.DateOnly, in.AcceptedOn)
		switch {
		case err != nil:
			probs = append(probs, fmt.Sprintf("验收日期“%s”不是有效日期", in.AcceptedOn))
		case d.After(warehouse.LocalDay(s.cfg.Location(), s.now())):
			probs = append(probs, "验收日期不能晚于今天")
		case d.Before(s.cfg.Start()):
			probs = append(probs, "验收日期早于专项行动开始")
		default:
			accepted = d
		}
		if restored <= 0 {
			probs = append(probs, "已填验收日期，已恢复面积应大于 0")
		}
	}
	if len(probs) > 0 {
		return fmt.Errorf("%w：%s", ErrRestoration, strings.Join(probs, "；"))
	}
	if in.Plan == "" {
		in.Plan = plan.String
	}
	return s.chain.Tx(ctx, func(tx *sql.Tx, au *audit.Tx) error {
		at := warehouse.LocalTimestamp(s.cfg.Location(), au.Now())
		var costArg, payerArg any
		if cost.Valid {
			costArg = cost.Float64
		}
		if in.Payer != "" {
			payerArg = in.Payer
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO restoration_entries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, ''), ?, ?, ?)`,
			in.Item, party.String, area, restored, due, accepted, costArg, paid, payerArg, in.Plan, unit, u.Name, at); err != nil {
			return fmt.Errorf("restoration %s: %w", in.Item, err)
		}
		return au.Add(ctx, u.Name, "restoration.updated", in.Item, map[string]any{"unit": unit, "restored_mu": restored,
			"accepted_on": in.AcceptedOn, "paid_yuan": paid, "payer": in.Payer, "plan": in.Plan, "bound": audit.Bind("restoration_entries", in.Item, at)})
	})
}
