package casestore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"landwatch/audit"
	"landwatch/internal/sanitize"
	"landwatch/store/accounts"
	"landwatch/warehouse"
)

// Independent acceptance (验收) on the accepting unit's console: a member unit that accepts some
// category's rectifications ([acceptance] of the configuration) records its acceptance of a ledger
// item its category gives it — 合格, or 不合格 with the reason — with photos checked and stripped of
// metadata exactly as a tip's (tipstore.CheckEvidence → internal/sanitize). The row counts from when it
// was entered (stg_forms__acceptances, origin 控制台; queries/README.md "Acceptance"). Appended and
// audited (acceptance.entered); a correction is a new entry.

// AcceptanceInput is an acceptance as the unit enters it.
type AcceptanceInput struct {
	Item, On, Inspector, Result, Note string
}

// AwaitingItem is a ledger item declared done awaiting its acceptance (as of the last models run).
type AwaitingItem struct {
	ID, Township, Village, RectifiedOn, DueOn, Unit string
	Late                                            bool
}

// AcceptanceEntry is an entered acceptance as its unit and the office see it.
type AcceptanceEntry struct {
	ID, Item, On, Unit, Inspector, Result, Note, EnteredBy, EnteredAt string
	Files                                                             int
}

// FileNos numbers the entry's photos from 1, for links.
func (e AcceptanceEntry) FileNos() []int { return fileNos(e.Files) }

// ErrAcceptance marks a refused acceptance (bad input; the message lists every problem).
var ErrAcceptance = errors.New("验收未保存")

// AcceptanceResults are the results an acceptance may record.
var AcceptanceResults = []string{"合格", "不合格"}

// acceptingUnit is u's unit by full name when it accepts some category, else ErrForbidden.
func (s *Store) acceptingUnit(u *accounts.User) (string, error) {
	unit, ok := s.cfg.Unit(u.Scope)
	if u.Role != accounts.RoleDepartment || !ok || !s.cfg.Accepts(unit.Name) {
		return "", fmt.Errorf("%w：只有负责验收的成员单位（%s）可以登记验收", ErrForbidden, strings.Join(s.cfg.AcceptingUnits(), "、"))
	}
	return unit.Name, nil
}

// Awaiting lists the items awaiting acceptance by u's unit (the office: every unit's) as of the last
// models run, the late ones first.
func (s *Store) Awaiting(ctx context.Context, u *accounts.User) ([]AwaitingItem, error) {
	if ok, err := s.built(ctx, "int_ledger_items"); err != nil || !ok {
		return nil, err
	}
	q := `SELECT i.item_id, i.township, coalesce(i.village, ''), strftime(i.rectified_on, '%Y-%m-%d'),
		coalesce(strftime(i.acceptance_due, '%Y-%m-%d'), ''), coalesce(i.accepting_unit, ''), i.overdue
		FROM int_ledger_items i JOIN stg_config__parameters p ON p.as_of = i.as_of
		WHERE i.status_as_of = '待验收'`
	var args []any
	if u.Role != accounts.RoleOffice {
		unit, err := s.acceptingUnit(u)
		if err != nil {
			return nil, err
		}
		q += ` AND i.accepting_unit = ?`
		args = append(args, unit)
	}
	var out []AwaitingItem
	err := warehouse.EachRow(ctx, s.db, q+` ORDER BY i.overdue DESC, i.acceptance_due, i.item_id LIMIT `+strconv.Itoa(ListCap), args,
		func(rs *sql.Rows) error {
			var a AwaitingItem
			if err := rs.Scan(&a.ID, &a.Township, &a.Village, &a.RectifiedOn, &a.DueOn, &a.Unit, &a.Late); err != nil {
				return err
			}
			out = append(out, a)
			return nil
		})
	return out, err
}

// Accept validates and stores an acceptance by u's unit with its sanitized photos; audited
// (acceptance.entered). The item must be on the ledger of the last models run and its category's
// accepting unit must be u's (another unit's item: ErrForbidden). It returns the entry's id, YS-{n}.
func (s *Store) Accept(ctx context.Context, u *accounts.User, in AcceptanceInput, files []sanitize.File) (string, error) {
	unit, err := s.acceptingUnit(u)
	if err != nil {
		return "", err
	}
	for _, p := range []*string{&in.Item, &in.On, &in.Inspector, &in.Result, &in.Note} {
		*p = strings.TrimSpace(*p)
	}
	var probs []string
	today := warehouse.LocalDay(s.cfg.Location(), s.now())
	on, derr := time.Parse(time.DateOnly, in.On)
	switch {
	case in.On == "":
		probs = append(probs, "请填写验收日期")
	case derr != nil:
		probs = append(probs, fmt.Sprintf("验收日期“%s”不是有效日期", in.On))
	case on.After(today):
		probs = append(probs, "验收日期不能晚于今天")
	case on.Before(s.cfg.Start()):
		probs = append(probs, "验收日期早于专项行动开始")
	}
	if in.Inspector == "" {
		probs = append(probs, "请填写验收人")
	}
	switch in.Result {
	case "合格":
	case "不合格":
		if in.Note == "" {
			probs = append(probs, "验收不合格须在说明中写明原因")
		}
	default:
		probs = append(probs, "验收结果应为合格或不合格")
	}
	if len(files) > s.cfg.Portal.MaxFiles {
		probs = append(probs, fmt.Sprintf("每次验收最多 %d 个文件", s.cfg.Portal.MaxFiles))
	}
	if in.Item == "" {
		probs = append(probs, "请填写问题编号")
	} else if ok, err := s.built(ctx, "int_ledger_items"); err != nil {
		return "", err
	} else if !ok {
		return "", ErrNotBuilt
	} else {
		var owner sql.NullString
		err := s.db.QueryRowContext(ctx, `SELECT i.accepting_unit FROM int_ledger_items i JOIN stg_config__parameters p ON p.as_of = i.as_of
			WHERE i.item_id = ?`, in.Item).Scan(&owner)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			probs = append(probs, fmt.Sprintf("“%s”不是整改台账中的问题编号（以最近一次运行模型为准）", in.Item))
		case err != nil:
			return "", fmt.Errorf("ledger item %s: %w", in.Item, err)
		case owner.String != unit:
			return "", fmt.Errorf("%w：问题 %s 由%s验收", ErrForbidden, in.Item, owner.String)
		}
	}
	if len(probs) > 0 {
		return "", fmt.Errorf("%w：%s", ErrAcceptance, strings.Join(probs, "；"))
	}
	var id string
	err = s.chain.Tx(ctx, func(tx *sql.Tx, au *audit.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM acceptance_entries`).Scan(&n); err != nil {
			return err
		}
		id = fmt.Sprintf("YS-%04d", n+1)
		if _, err := tx.ExecContext(ctx, `INSERT INTO acceptance_entries VALUES (?, ?, ?, ?, ?, ?, NULLIF(?, ''), ?, ?)`,
			id, in.Item, on, unit, in.Inspector, in.Result, in.Note, u.Name, warehouse.LocalTimestamp(s.cfg.Location(), au.Now())); err != nil {
			return fmt.Errorf("acceptance: %w", err)
		}
		var sums []string
		for i, f := range files {
			sum := sha256.Sum256(f.Data)
			h := hex.EncodeToString(sum[:])
			if _, err := tx.ExecContext(ctx, `INSERT INTO acceptance_files VALUES (?, ?, ?, ?, ?, ?)`, id, i+1, fmt.Sprintf("%s-%d", id, i+1),
				f.MIME, h, f.Data); err != nil {
				return fmt.Errorf("acceptance %s file %d: %w", id, i+1, err)
			}
			sums = append(sums, h)
		}
		return au.Add(ctx, u.Name, "acceptance.entered", id, map[string]any{"item": in.Item, "unit": unit, "accepted_on": in.On,
			"inspector": in.Inspector, "result": in.Result, "note": in.Note, "files": sums, "bound": audit.Bind("acceptance_entries", id)})
	})
	return id, err
}

// Acceptances lists the acceptances u's unit entered (the office: every unit's), newest first.
func (s *Store) Acceptances(ctx context.Context, u *accounts.User) ([]AcceptanceEntry, error) {
	q := `SELECT e.entry_id, e.item_id, strftime(e.accepted_on, '%Y-%m-%d'), e.unit, e.inspector, e.result, coalesce(e.note, ''),
		e.entered_by, strftime(e.entered_at, '%Y-%m-%d %H:%M'), (SELECT count(*) FROM acceptance_files f WHERE f.entry_id = e.entry_id)
		FROM acceptance_entries e`
	var args []any
	if u.Role != accounts.RoleOffice {
		unit, err := s.acceptingUnit(u)
		if err != nil {
			return nil, err
		}
		q += ` WHERE e.unit = ?`
		args = append(args, unit)
	}
	var out []AcceptanceEntry
	err := warehouse.EachRow(ctx, s.db, q+` ORDER BY e.entered_at DESC, e.entry_id DESC LIMIT `+strconv.Itoa(ListCap), args, func(rs *sql.Rows) error {
		var e AcceptanceEntry
		if err := rs.Scan(&e.ID, &e.Item, &e.On, &e.Unit, &e.Inspector, &e.Result, &e.Note, &e.EnteredBy, &e.EnteredAt, &e.Files); err != nil {
			return err
		}
		out = append(out, e)
		return nil
	})
	return out, err
}

// AcceptanceFile is one stored photo of an acceptance, for its unit and the office (others:
// ErrForbidden; an unknown entry or file: ErrNoRef).
func (s *Store) AcceptanceFile(ctx context.Context, u *accounts.User, id string, seq int) (mime string, data []byte, err error) {
	var unit string
	err = s.db.QueryRowContext(ctx, `SELECT unit FROM acceptance_entries WHERE entry_id = ?`, id).Scan(&unit)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, fmt.Errorf("验收 %s（%w）", id, ErrNoRef)
	}
	if err != nil {
		return "", nil, err
	}
	if u.Role != accounts.RoleOffice {
		mine, err := s.acceptingUnit(u)
		if err != nil || mine != unit {
			return "", nil, fmt.Errorf("%w：验收 %s 由%s登记", ErrForbidden, id, unit)
		}
	}
	err = s.db.QueryRowContext(ctx, `SELECT mime, data FROM acceptance_files WHERE entry_id = ? AND seq = ?`, id, seq).Scan(&mime, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, fmt.Errorf("验收 %s 文件 %d（%w）", id, seq, ErrNoRef)
	}
	return mime, data, err
}
