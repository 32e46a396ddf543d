package tipstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"landwatch/audit"
	"landwatch/store/accounts"
	"landwatch/store/notify"
	"landwatch/warehouse"
)

// allowedNext says which statuses the office may set from each status. 奖励已批准 and 已领取 are set
// by approving a reward and recording a payout only.
var allowedNext = map[string][]string{
	StatusReceived: {StatusChecking, StatusTrue, StatusFalse},
	StatusChecking: {StatusTrue, StatusFalse},
	StatusTrue:     {StatusFiled, StatusChecking, StatusFalse},
	StatusFalse:    {StatusChecking, StatusTrue},
	StatusFiled:    {},
	StatusRewarded: {},
	StatusPaid:     {},
}

// setStatus changes a tip's status inside tx, with history and audit entries.
func (s *Store) setStatus(ctx context.Context, tx *sql.Tx, au *audit.Tx, actor, tipID, status, note string) error {
	var old string
	if err := tx.QueryRowContext(ctx, `SELECT status FROM tips WHERE tip_id = ?`, tipID).Scan(&old); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNoTip
		}
		return err
	}
	now := s.LocalNow(au.Now())
	day := warehouse.LocalDay(s.cfg.Location(), au.Now())
	var q string
	args := []any{status, now}
	switch status {
	case StatusTrue, StatusFalse:
		q = `UPDATE tips SET status = ?, updated_at = ?, verdict = ?, verified_on = ? WHERE tip_id = ?`
		args = append(args, status, day)
	case StatusChecking:
		q = `UPDATE tips SET status = ?, updated_at = ?, verdict = NULL, verified_on = NULL WHERE tip_id = ?`
	default:
		q = `UPDATE tips SET status = ?, updated_at = ? WHERE tip_id = ?`
	}
	args = append(args, tipID)
	if _, err := tx.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("set status of %s: %w", tipID, err)
	}
	if err := history(ctx, tx, tipID, now, actor, "status", status, note); err != nil {
		return err
	}
	return au.Add(ctx, actor, "tip.status", tipID, map[string]any{"from": old, "to": status, "note": note, "bound": audit.Bind("tips", tipID)})
}

func history(ctx context.Context, tx *sql.Tx, tipID string, at time.Time, actor, action, value, note string) error {
	var n any
	if note != "" {
		n = note
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO tip_history VALUES (?, ?, ?, ?, ?, ?)`, tipID, at, actor, action, value, n)
	return err
}

// ChangeStatus is the office's (or an assigned department's) status change with a note.
func (s *Store) ChangeStatus(ctx context.Context, u *accounts.User, tipID, status, note string) error {
	note = strings.TrimSpace(note)
	return s.chain.Tx(ctx, func(tx *sql.Tx, au *audit.Tx) error {
		f, err := factsFor(ctx, tx, u, tipID)
		if err != nil {
			return err
		}
		ok := false
		for _, n := range allowedNext[f.status] {
			ok = ok || n == status
		}
		if !ok {
			return fmt.Errorf("不能从“%s”改为“%s”", f.status, status)
		}
		if (status == StatusTrue || status == StatusFalse) && note == "" {
			return errors.New("核查结论需要写明依据")
		}
		if err := s.setStatus(ctx, tx, au, u.Name, tipID, status, note); err != nil {
			return err
		}
		if Handles(u) {
			return nil
		}
		// the township's or member unit's 核查结果 is its answer to the office
		return tell(ctx, tx, f.handler(), notify.KindAnswered, tipID,
			fmt.Sprintf("%s 将举报 %s 改为“%s”：%s", u.Scope, tipID, status, note), s.LocalNow(au.Now()))
	})
}

// Triage is the office's other changes: category, assignment, link, duplicate.
func (s *Store) Triage(ctx context.Context, u *accounts.User, tipID, field, value, note string) error {
	value, note = strings.TrimSpace(value), strings.TrimSpace(note)
	var col string
	switch field {
	case "category":
		if _, ok := s.cfg.Category(value); !ok {
			return fmt.Errorf("未知的类别“%s”", value)
		}
		col = "category"
	case "assign":
		t, ok := s.cfg.Township(value)
		if ok {
			value = t.Name
		}
		if _, unit := s.cfg.Unit(value); unit {
			ok = true
		}
		if !ok {
			return fmt.Errorf("“%s”不是乡镇或成员单位", value)
		}
		col = "assigned_to"
	case "link":
		if value == "" || len(value) > 64 {
			return errors.New("请填写案件、问题或违法点位编号")
		}
		col = "linked_ref"
	case "duplicate":
		if value == tipID {
			return errors.New("不能标记为自身的重复")
		}
		col = "duplicate_of"
	default:
		return fmt.Errorf("无法识别的分拣操作“%s”", field)
	}
	return s.chain.Tx(ctx, func(tx *sql.Tx, au *audit.Tx) error {
		f, err := factsFor(ctx, tx, u, tipID)
		if err != nil {
			return err
		}
		if field == "assign" && f.confidential {
			return errors.New("涉及公职人员的举报只由纪检监察办理，不交办乡镇或部门")
		}
		if field == "duplicate" { // the other tip must be one u sees: a hidden tip answers as an absent one
			ok, err := sees(ctx, tx, u, value)
			if err != nil {
				return err
			}
			if !ok {
				return ErrNoTip
			}
		}
		now := s.LocalNow(au.Now())
		res, err := tx.ExecContext(ctx, `UPDATE tips SET `+col+` = ?, updated_at = ? WHERE tip_id = ?`, value, now, tipID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNoTip
		}
		if err := history(ctx, tx, tipID, now, u.Name, field, value, note); err != nil {
			return err
		}
		if field == "assign" && value != f.assigned {
			f.assigned = value
			to, _ := s.assignee(f)
			body := fmt.Sprintf("%s将举报 %s（%s）交办本单位核查", accounts.RoleNames[accounts.RoleOffice], tipID, f.township)
			if note != "" {
				body += "：" + note
			}
			if err := tell(ctx, tx, to, notify.KindAssigned, tipID, body, now); err != nil {
				return err
			}
		}
		return au.Add(ctx, u.Name, "tip."+field, tipID, map[string]any{"value": value, "note": note, "bound": audit.Bind("tips", tipID)})
	})
}

// TipRow is a tip in the staff inbox.
type TipRow struct {
	ID, Received, Category, Township, Village, Place, Status, Assigned, Linked, Duplicate string
	Description, Contact, SeenOn, Coords                                                  string
	Channel, EnteredBy, CategoryName                                                      string
	Files                                                                                 int
	Confidential                                                                          bool
}

// TipFilter narrows a tip list: any of Statuses, a township, a channel; Limit rows from Offset
// (Limit 0: all).
type TipFilter struct {
	Statuses          []string
	Township, Channel string
	Offset, Limit     int
}

// where is the filter as SQL over tips t, with its arguments, after u's visibility.
func (f TipFilter) where(u *accounts.User) (string, []any) {
	pred, args := visible(u)
	if len(f.Statuses) > 0 {
		pred += ` AND status IN (` + strings.TrimSuffix(strings.Repeat("?, ", len(f.Statuses)), ", ") + `)`
		for _, st := range f.Statuses {
			args = append(args, st)
		}
	}
	if f.Township != "" {
		pred += ` AND township = ?`
		args = append(args, f.Township)
	}
	if f.Channel != "" {
		pred += ` AND coalesce(channel, '网络') = ?`
		args = append(args, f.Channel)
	}
	return pred, args
}

// ListTips lists the tips u may see that f selects, newest first, and how many f selects in all.
func (s *Store) ListTips(ctx context.Context, u *accounts.User, f TipFilter) ([]TipRow, int, error) {
	pred, args := f.where(u)
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM tips t WHERE `+pred, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	q := `SELECT tip_id, received_at, coalesce(category, ''), township, coalesce(village, ''), coalesce(place, ''), status,
		coalesce(assigned_to, ''), coalesce(linked_ref, ''), coalesce(duplicate_of, ''),
		(SELECT count(*) FROM tip_files f WHERE f.tip_id = t.tip_id), coalesce(channel, '网络'), coalesce(confidential, false)
		FROM tips t WHERE ` + pred + ` ORDER BY received_at DESC, tip_id DESC`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d OFFSET %d`, f.Limit, max(f.Offset, 0))
	}
	var out []TipRow
	err := warehouse.EachRow(ctx, s.db, q, args, func(rows *sql.Rows) error {
		var r TipRow
		var at time.Time
		if err := rows.Scan(&r.ID, &at, &r.Category, &r.Township, &r.Village, &r.Place, &r.Status, &r.Assigned, &r.Linked, &r.Duplicate, &r.Files,
			&r.Channel, &r.Confidential); err != nil {
			return err
		}
		var err error
		if r.Place, err = s.keys.Open("tips.place", r.ID, r.Place); err != nil {
			return err
		}
		r.Received = at.Format("2006-01-02 15:04")
		if r.Category != "" {
			r.CategoryName = s.categoryName(r.Category)
		}
		out = append(out, r)
		return nil
	})
	return out, total, err
}

// HistoryRow is one line of a tip's history.
type HistoryRow struct{ At, Actor, Action, Value, Note string }

// FileRow is one evidence file.
type FileRow struct {
	ID, Kind, MIME, AddedBy, AddedAt string
	Size                             int64
}

// StaffMsg is a message as staff see it.
type StaffMsg struct{ From, Body, At string }

// TipDetail is a tip with everything staff may see.
type TipDetail struct {
	TipRow
	History  []HistoryRow
	FileList []FileRow
	Messages []StaffMsg
	Reward   *RewardRow
	Next     []string
	Bands    []Band
}

func (s *Store) TipDetail(ctx context.Context, u *accounts.User, tipID string) (*TipDetail, error) {
	d, err := s.tipHead(ctx, u, tipID)
	if d == nil || err != nil {
		return nil, err
	}
	if d.History, err = s.history(ctx, tipID); err != nil {
		return nil, err
	}
	if d.FileList, err = s.fileList(ctx, tipID); err != nil {
		return nil, err
	}
	d.Files = len(d.FileList)
	if d.Messages, err = s.staffMessages(ctx, tipID); err != nil {
		return nil, err
	}
	d.Reward, err = s.RewardOf(ctx, tipID)
	return d, err
}

// tipHead is the tip's own row, its text decrypted; nil when there is none or u may not see it.
func (s *Store) tipHead(ctx context.Context, u *accounts.User, tipID string) (*TipDetail, error) {
	d := &TipDetail{}
	var at time.Time
	var seen sql.NullTime
	var lon, lat sql.NullFloat64
	pred, args := visible(u)
	err := s.db.QueryRowContext(ctx, `SELECT tip_id, received_at, coalesce(category, ''), township, coalesce(village, ''), coalesce(place, ''),
		status, coalesce(assigned_to, ''), coalesce(linked_ref, ''), coalesce(duplicate_of, ''), description, coalesce(contact, ''), seen_on, lon, lat,
		coalesce(channel, '网络'), coalesce(entered_by, ''), coalesce(confidential, false)
		FROM tips t WHERE tip_id = ? AND `+pred, append([]any{tipID}, args...)...).Scan(&d.ID, &at, &d.Category, &d.Township, &d.Village, &d.Place, &d.Status, &d.Assigned,
		&d.Linked, &d.Duplicate, &d.Description, &d.Contact, &seen, &lon, &lat, &d.Channel, &d.EnteredBy, &d.Confidential)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if err := s.keys.OpenAll(d.ID, map[string]*string{"tips.place": &d.Place, "tips.description": &d.Description, "tips.contact": &d.Contact}); err != nil {
		return nil, err
	}
	d.Received = at.Format("2006-01-02 15:04")
	if seen.Valid {
		d.SeenOn = seen.Time.Format("2006-01-02")
	}
	if lon.Valid && lat.Valid {
		d.Coords = fmt.Sprintf("%.6f, %.6f", lon.Float64, lat.Float64)
	}
	d.Next = allowedNext[d.Status]
	if d.Category != "" {
		d.CategoryName = s.categoryName(d.Category)
		d.Bands = s.bandsFor(d.Category)
	}
	return d, nil
}

// history is the tip's status history and triage, oldest first.
func (s *Store) history(ctx context.Context, tipID string) ([]HistoryRow, error) {
	var out []HistoryRow
	err := warehouse.EachRow(ctx, s.db, `SELECT changed_at, actor, action, coalesce(value, ''), coalesce(note, '') FROM tip_history WHERE tip_id = ? ORDER BY changed_at`,
		[]any{tipID}, func(rows *sql.Rows) error {
			var h HistoryRow
			var t time.Time
			if err := rows.Scan(&t, &h.Actor, &h.Action, &h.Value, &h.Note); err != nil {
				return err
			}
			h.At = t.Format("2006-01-02 15:04")
			if h.Action == "category" { // a code never reaches a reader
				h.Value = s.categoryName(h.Value)
			}
			out = append(out, h)
			return nil
		})
	return out, err
}

// fileList is the tip's evidence files, oldest first.
func (s *Store) fileList(ctx context.Context, tipID string) ([]FileRow, error) {
	var out []FileRow
	err := warehouse.EachRow(ctx, s.db, `SELECT file_id, kind, mime, added_by, added_at, size_bytes FROM tip_files WHERE tip_id = ? ORDER BY added_at`,
		[]any{tipID}, func(rows *sql.Rows) error {
			var f FileRow
			var t time.Time
			if err := rows.Scan(&f.ID, &f.Kind, &f.MIME, &f.AddedBy, &t, &f.Size); err != nil {
				return err
			}
			f.AddedAt = t.Format("2006-01-02 15:04")
			out = append(out, f)
			return nil
		})
	return out, err
}

// message is one message on a tip, decrypted.
type message struct {
	sender, author, body string
	at                   time.Time
}

// messages are the messages on a tip in order.
func (s *Store) messages(ctx context.Context, tipID string) ([]message, error) {
	var out []message
	err := warehouse.EachRow(ctx, s.db, `SELECT sender, coalesce(author, ''), body, created_at FROM tip_messages WHERE tip_id = ? ORDER BY msg_no`,
		[]any{tipID}, func(rows *sql.Rows) error {
			var m message
			if err := rows.Scan(&m.sender, &m.author, &m.body, &m.at); err != nil {
				return err
			}
			var err error
			if m.body, err = s.keys.Open("tip_messages.body", tipID, m.body); err != nil {
				return err
			}
			out = append(out, m)
			return nil
		})
	return out, err
}

// staffMessages are the messages as staff see them.
func (s *Store) staffMessages(ctx context.Context, tipID string) ([]StaffMsg, error) {
	ms, err := s.messages(ctx, tipID)
	var out []StaffMsg
	for _, m := range ms {
		from := "举报人"
		if m.sender != "citizen" {
			from = "办公室 " + m.author
		}
		out = append(out, StaffMsg{From: from, Body: m.body, At: m.at.Format("2006-01-02 15:04")})
	}
	return out, err
}
