// Package chain keeps the accountability chain's records (queries/README.md "Who answers"): the
// transfers of accountability-list items to discipline inspection (移交纪检监察) and their outcomes
// (问责处理结果). Both tables are append-only — a correction is a new row and the latest row of an
// item counts — and every row written is audited. mart_accountability shows them as known at its
// as-of. The functions take the warehouse, the acting user and an Auditor; the portal's pages and
// the `landwatch accountability` command call them.
package chain

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"landwatch/audit"
	"landwatch/queries"
	"landwatch/warehouse"
)

// Auditor appends one entry to the audit chain: the server's, or audit.Standalone for a command.
type Auditor = audit.Auditor

// Outcomes are the outcomes an accountability case may have, mildest first.
var Outcomes = []string{"谈话提醒", "批评教育", "通报批评", "诫勉", "党纪处分", "政务处分", "移送司法机关", "不予问责"}

// ErrInvalid marks a refusal of the input (the message says why, in Chinese).
var ErrInvalid = errors.New("无效的问责记录")

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w：%s", ErrInvalid, fmt.Sprintf(format, args...))
}

// TransferInput is one transfer to discipline inspection.
type TransferInput struct {
	ItemID string
	// AsOf is the date of the accountability list the item is on (mart_accountability as of AsOf).
	AsOf time.Time
	// On is the day it was handed over; zero means today. Not before AsOf, not in the future.
	On   time.Time
	Note string
	// RecordedOn backdates the record to the end of that day, for a transfer made on paper and
	// entered later (zero: now); not before On, not in the future; audited.
	RecordedOn time.Time
	// Now is the clock (zero: time.Now()).
	Now time.Time
}

// Transfer is a recorded transfer.
type Transfer struct {
	Seq           int64
	ItemID        string
	AsOf, On      time.Time
	By, Note      string
	RecordedAt    time.Time // county local time
	Township      string
	Reasons       []string
	FirstResponse string
}

// RecordTransfer validates and appends a transfer, then audits it (accountability.transfer).
func RecordTransfer(ctx context.Context, db *warehouse.DB, au Auditor, actor string, in TransferInput) (*Transfer, error) {
	cfg, err := db.Config(ctx)
	if err != nil {
		return nil, err
	}
	now := clock(in.Now)
	today := localDay(now, cfg.Location())
	in.ItemID = strings.TrimSpace(in.ItemID)
	if in.ItemID == "" {
		return nil, invalid("没有填写问题编号")
	}
	if in.AsOf.IsZero() {
		return nil, invalid("没有填写名单日期（截至日）")
	}
	asOf := warehouse.DateOnly(in.AsOf)
	on := warehouse.DateOnly(in.On)
	if in.On.IsZero() {
		on = today
	}
	switch {
	case asOf.After(today):
		return nil, invalid("名单日期 %s 晚于今天", fmtDay(asOf))
	case on.After(today):
		return nil, invalid("移交日期 %s 晚于今天，不能预填", fmtDay(on))
	case on.Before(asOf):
		return nil, invalid("移交日期 %s 早于名单日期 %s", fmtDay(on), fmtDay(asOf))
	}
	recorded, err := recordedAt(now, cfg.Location(), in.RecordedOn, on)
	if err != nil {
		return nil, err
	}
	entries, err := ListAt(ctx, db, asOf)
	if err != nil {
		return nil, err
	}
	t := &Transfer{ItemID: in.ItemID, AsOf: asOf, On: on, By: actor, Note: strings.TrimSpace(in.Note), RecordedAt: recorded}
	for _, e := range entries {
		if e.ItemID == in.ItemID {
			t.Township, t.FirstResponse = e.Township, e.FirstResponsible
			t.Reasons = append(t.Reasons, e.Reason)
		}
	}
	if len(t.Reasons) == 0 {
		return nil, invalid("%s 不在 %s 的追责问责名单上", in.ItemID, fmtDay(asOf))
	}
	err = db.InTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT nextval('accountability_seq')`).Scan(&t.Seq); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO accountability_transfers (seq, item_id, as_of, transferred_on, transferred_by, note, recorded_at)
			VALUES (?, ?, ?, ?, ?, NULLIF(?, ''), ?)`, t.Seq, t.ItemID, t.AsOf, t.On, actor, t.Note, t.RecordedAt)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("record transfer of %s: %w", in.ItemID, err)
	}
	if err := au.Audit(ctx, actor, "accountability.transfer", t.ItemID, map[string]any{
		"seq": t.Seq, "as_of": fmtDay(t.AsOf), "transferred_on": fmtDay(t.On), "township": t.Township,
		"reasons": strings.Join(t.Reasons, "、"), "note": t.Note, "recorded_at": t.RecordedAt.Format("2006-01-02 15:04:05"),
		"backdated": !in.RecordedOn.IsZero(), "bound": audit.Bind("accountability_transfers", fmt.Sprint(t.Seq))}); err != nil {
		return t, fmt.Errorf("audit transfer of %s: %w", t.ItemID, err)
	}
	return t, nil
}

// OutcomeInput is the outcome of a transferred item.
type OutcomeInput struct {
	ItemID  string
	Outcome string // one of Outcomes
	On      time.Time
	DocNo   string // 文号
	Note    string
	// RecordedOn backdates the record to the end of that day (zero: now), as for a transfer.
	RecordedOn time.Time
	Now        time.Time // the clock (zero: time.Now())
}

// Outcome is a recorded outcome.
type Outcome struct {
	Seq        int64
	ItemID     string
	Outcome    string
	On         time.Time
	DocNo      string
	By, Note   string
	RecordedAt time.Time
}

// RecordOutcome validates and appends an outcome, then audits it (accountability.outcome). The item
// must have been transferred, on or before the outcome's date.
func RecordOutcome(ctx context.Context, db *warehouse.DB, au Auditor, actor string, in OutcomeInput) (*Outcome, error) {
	cfg, err := db.Config(ctx)
	if err != nil {
		return nil, err
	}
	now := clock(in.Now)
	today := localDay(now, cfg.Location())
	in.ItemID = strings.TrimSpace(in.ItemID)
	switch {
	case in.ItemID == "":
		return nil, invalid("没有填写问题编号")
	case !slices.Contains(Outcomes, in.Outcome):
		return nil, invalid("处理结果“%s”应为%s之一", in.Outcome, strings.Join(Outcomes, "、"))
	case in.On.IsZero():
		return nil, invalid("没有填写处理日期")
	case warehouse.DateOnly(in.On).After(today):
		return nil, invalid("处理日期 %s 晚于今天，不能预填", fmtDay(in.On))
	}
	var transferred sql.NullTime
	if err := db.QueryRowContext(ctx, `SELECT transferred_on FROM accountability_transfers WHERE item_id = ? ORDER BY seq DESC LIMIT 1`,
		in.ItemID).Scan(&transferred); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("read transfers of %s: %w", in.ItemID, err)
	}
	if !transferred.Valid {
		return nil, invalid("%s 尚未移交纪检监察，不能记录处理结果", in.ItemID)
	}
	if warehouse.DateOnly(in.On).Before(warehouse.DateOnly(transferred.Time)) {
		return nil, invalid("处理日期 %s 早于移交日期 %s", fmtDay(in.On), fmtDay(transferred.Time))
	}
	recorded, err := recordedAt(now, cfg.Location(), in.RecordedOn, warehouse.DateOnly(in.On))
	if err != nil {
		return nil, err
	}
	var transferRecorded time.Time
	if err := db.QueryRowContext(ctx, `SELECT min(recorded_at) FROM accountability_transfers WHERE item_id = ?`, in.ItemID).Scan(&transferRecorded); err != nil {
		return nil, fmt.Errorf("read transfers of %s: %w", in.ItemID, err)
	}
	if recorded.Before(transferRecorded) {
		return nil, invalid("补录时间 %s 早于移交的记录时间 %s", recorded.Format("2006-01-02 15:04"), transferRecorded.Format("2006-01-02 15:04"))
	}
	o := &Outcome{ItemID: in.ItemID, Outcome: in.Outcome, On: warehouse.DateOnly(in.On), DocNo: strings.TrimSpace(in.DocNo), By: actor,
		Note: strings.TrimSpace(in.Note), RecordedAt: recorded}
	err = db.InTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT nextval('accountability_seq')`).Scan(&o.Seq); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO accountability_outcomes (seq, item_id, outcome, outcome_on, document_no, recorded_by, note, recorded_at)
			VALUES (?, ?, ?, ?, NULLIF(?, ''), ?, NULLIF(?, ''), ?)`, o.Seq, o.ItemID, o.Outcome, o.On, o.DocNo, actor, o.Note, o.RecordedAt)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("record outcome of %s: %w", in.ItemID, err)
	}
	if err := au.Audit(ctx, actor, "accountability.outcome", o.ItemID, map[string]any{
		"seq": o.Seq, "outcome": o.Outcome, "outcome_on": fmtDay(o.On), "document_no": o.DocNo, "note": o.Note,
		"recorded_at": o.RecordedAt.Format("2006-01-02 15:04:05"), "backdated": !in.RecordedOn.IsZero(),
		"bound": audit.Bind("accountability_outcomes", fmt.Sprint(o.Seq))}); err != nil {
		return o, fmt.Errorf("audit outcome of %s: %w", o.ItemID, err)
	}
	return o, nil
}

// Entry is one row of mart_accountability.
type Entry struct {
	AsOf                                  time.Time
	Township, Village, ItemID, Reason     string
	ItemDate                              time.Time
	NamesOn                               sql.NullTime
	FirstResponsible, LeaderInCharge      string
	DirectResponsible, VillageCadre, Unit string
	Status                                string // 待移交 / 已移交 / 已处理
	TransferredOn, OutcomeOn              sql.NullTime
	Outcome, DocumentNo                   string
}

// List reads mart_accountability from q (the marts as of their date).
func List(ctx context.Context, q queries.Querier) ([]Entry, error) {
	rows, err := q.QueryContext(ctx, `SELECT as_of, township, coalesce(village, ''), item_id, reason, item_date, names_on,
		coalesce(first_responsible, ''), coalesce(leader_in_charge, ''), coalesce(direct_responsible, ''), coalesce(village_cadre, ''),
		coalesce(unit, ''), status, transferred_on, coalesce(outcome, ''), outcome_on, coalesce(document_no, '')
		FROM mart_accountability`)
	if err != nil {
		return nil, fmt.Errorf("read mart_accountability: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		if err := rows.Scan(&e.AsOf, &e.Township, &e.Village, &e.ItemID, &e.Reason, &e.ItemDate, &e.NamesOn,
			&e.FirstResponsible, &e.LeaderInCharge, &e.DirectResponsible, &e.VillageCadre, &e.Unit, &e.Status,
			&e.TransferredOn, &e.Outcome, &e.OutcomeOn, &e.DocumentNo); err != nil {
			return nil, fmt.Errorf("read mart_accountability row %d: %w", len(out)+1, err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// ListAt is the accountability list as of day (queries.At: any day up to the last models run).
func ListAt(ctx context.Context, db *warehouse.DB, day time.Time) ([]Entry, error) {
	var out []Entry
	err := queries.At(ctx, db, day, func(q queries.Querier) error {
		var err error
		out, err = List(ctx, q)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("追责问责名单（截至 %s）: %w", fmtDay(day), err)
	}
	return out, nil
}

// Record is one row of an item's history: a transfer or an outcome, in the order recorded.
type Record struct {
	Seq        int64
	Kind       string // 移交 / 处理
	ItemID     string
	On         time.Time
	Outcome    string
	DocNo      string
	By, Note   string
	AsOf       sql.NullTime // a transfer's list date
	RecordedAt time.Time
}

// History lists every transfer and outcome recorded for an item (all of them, corrections
// included), oldest first.
func History(ctx context.Context, q queries.Querier, itemID string) ([]Record, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT seq, '移交', item_id, transferred_on, '', '', transferred_by, coalesce(note, ''), as_of, recorded_at
		FROM accountability_transfers WHERE item_id = ?
		UNION ALL
		SELECT seq, '处理', item_id, outcome_on, outcome, coalesce(document_no, ''), recorded_by, coalesce(note, ''), NULL, recorded_at
		FROM accountability_outcomes WHERE item_id = ?
		ORDER BY 1`, itemID, itemID)
	if err != nil {
		return nil, fmt.Errorf("read the history of %s: %w", itemID, err)
	}
	defer rows.Close()
	var out []Record
	for rows.Next() {
		var r Record
		if err := rows.Scan(&r.Seq, &r.Kind, &r.ItemID, &r.On, &r.Outcome, &r.DocNo, &r.By, &r.Note, &r.AsOf, &r.RecordedAt); err != nil {
			return nil, fmt.Errorf("read the history of %s: %w", itemID, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// recordedAt is when a record counts as known (mart_accountability's as-known-then rule): now, or
// the end of the day given for a record made on paper earlier — not in the future, not before the
// day the record states.
func recordedAt(now time.Time, loc *time.Location, on, stated time.Time) (time.Time, error) {
	if on.IsZero() {
		return wall(now, loc), nil
	}
	d := warehouse.DateOnly(on)
	switch {
	case d.After(localDay(now, loc)):
		return time.Time{}, invalid("补录日期 %s 晚于今天", fmtDay(d))
	case d.Before(stated):
		return time.Time{}, invalid("补录日期 %s 早于记录所载日期 %s", fmtDay(d), fmtDay(stated))
	}
	return d.Add(24*time.Hour - time.Second), nil
}

func clock(now time.Time) time.Time {
	if now.IsZero() {
		return time.Now()
	}
	return now
}

// wall is t as the county's wall clock in a zone-less time, the form recorded_at is stored in.
func wall(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), 0, time.UTC)
}

func localDay(t time.Time, loc *time.Location) time.Time { return warehouse.DateOnly(wall(t, loc)) }

func fmtDay(t time.Time) string { return t.Format(time.DateOnly) }
