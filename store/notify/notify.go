// Package notify holds the portal's notifications: a notice is addressed to a role and its scope
// (a township or a member unit; "" for a county-wide role) so that every account of that office
// sees it, including one created later. Notices are written in the same transaction as the change
// they announce (Send takes the transaction), never changed afterwards; reading one is recorded per
// account. The kinds are the four moments an office must act on: something assigned to it, an
// answer to something it sent, something past its deadline, a reward approved for payment
// (portal/README.md "Queues and notifications").
package notify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"landwatch/store/accounts"
	"landwatch/warehouse"
)

// The kinds of notice.
const (
	KindAssigned = "assigned"
	KindAnswered = "answered"
	KindOverdue  = "overdue"
	KindApproved = "approved"
)

// KindNames are the kinds in words.
var KindNames = map[string]string{KindAssigned: "交办", KindAnswered: "答复", KindOverdue: "逾期", KindApproved: "批准"}

// To is whom a notice is for: a role and its scope.
type To struct {
	Role  accounts.Role
	Scope string
}

// Of is the recipient of a user's own office.
func Of(u *accounts.User) To { return To{u.Role, u.Scope} }

// Notice is one notification.
type Notice struct {
	ID      int64
	To      To
	Kind    string
	Ref     string // the tip, item, case or reward it is about
	Body    string // one Chinese sentence
	Link    string // the page to open
	Created time.Time
	// Dedupe, when set, makes a second notice with the same key a no-op (a sweep run twice).
	Dedupe string
	Read   bool
}

// Execer is a transaction or a connection.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Send stores n inside tx; created is the campaign's local time. A notice whose Dedupe key was
// sent before is skipped, and Send reports whether it stored one.
func Send(ctx context.Context, tx Execer, n Notice) (bool, error) {
	if err := check(n); err != nil {
		return false, err
	}
	var dedupe any
	if n.Dedupe != "" {
		var seen int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM notifications WHERE dedupe = ?`, n.Dedupe).Scan(&seen); err != nil {
			return false, err
		}
		if seen > 0 {
			return false, nil
		}
		dedupe = n.Dedupe
	}
	var id int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(notice_id), 0) + 1 FROM notifications`).Scan(&id); err != nil {
		return false, err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO notifications VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, string(n.To.Role), n.To.Scope, n.Kind, n.Ref, n.Body, n.Link, n.Created, dedupe)
	if err != nil {
		return false, fmt.Errorf("store notice for %s %s: %w", n.To.Role, n.To.Scope, err)
	}
	return true, nil
}

// check refuses a notice without recipient, kind, body or link, or of an unknown kind.
func check(n Notice) error {
	if n.To.Role == "" || n.Kind == "" || n.Body == "" || n.Link == "" {
		return fmt.Errorf("notice %q: recipient, kind, body and link are required", n.Ref)
	}
	if _, ok := KindNames[n.Kind]; !ok {
		return fmt.Errorf("notice %q: unknown kind %q", n.Ref, n.Kind)
	}
	return nil
}

// Queryer reads the warehouse: a *warehouse.DB, a *sql.DB or a *sql.Tx.
type Queryer interface {
	warehouse.Queryer
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Unread counts u's unread notices.
func Unread(ctx context.Context, q Queryer, u *accounts.User) (int, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM notifications n WHERE role = ? AND scope = ?
		AND NOT EXISTS (SELECT 1 FROM notification_reads r WHERE r.notice_id = n.notice_id AND r.username = ?)`,
		string(u.Role), u.Scope, u.Name).Scan(&n)
	return n, err
}

// List is u's notices, newest first, at most limit.
func List(ctx context.Context, q Queryer, u *accounts.User, limit int) ([]Notice, error) {
	return list(ctx, q, `r.username = ?`, []any{u.Name}, `role = ? AND scope = ?`, []any{string(u.Role), u.Scope}, limit)
}

// ForOffice is the notices of one office (a role and scope) created on or after since, oldest
// first, with whether any account of it has read each: the daily digest's list.
func ForOffice(ctx context.Context, q Queryer, to To, since time.Time) ([]Notice, error) {
	out, err := list(ctx, q, `true`, nil, `role = ? AND scope = ? AND created_at >= ?`, []any{string(to.Role), to.Scope, since}, 0)
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, err
}

// list reads notices matching where; Read says whether a read row matching reader exists.
func list(ctx context.Context, q Queryer, reader string, readerArgs []any, where string, whereArgs []any, limit int) ([]Notice, error) {
	query := `SELECT notice_id, role, scope, kind, ref, body, link, created_at,
		EXISTS (SELECT 1 FROM notification_reads r WHERE r.notice_id = n.notice_id AND ` + reader + `)
		FROM notifications n WHERE ` + where + ` ORDER BY created_at DESC, notice_id DESC`
	args := append(append([]any{}, readerArgs...), whereArgs...)
	if limit > 0 {
		query += fmt.Sprintf(" LIMIT %d", limit)
	}
	var out []Notice
	err := warehouse.EachRow(ctx, q, query, args, func(rows *sql.Rows) error {
		var n Notice
		var role string
		if err := rows.Scan(&n.ID, &role, &n.To.Scope, &n.Kind, &n.Ref, &n.Body, &n.Link, &n.Created, &n.Read); err != nil {
			return err
		}
		n.To.Role = accounts.Role(role)
		out = append(out, n)
		return nil
	})
	return out, err
}

// ErrNotYours refuses marking a notice addressed to another office.
var ErrNotYours = errors.New("这条通知不是发给本单位的")

// MarkRead records that u read the notice id (all of u's notices when id is 0); read is the
// campaign's local time. Reading twice is a no-op.
func MarkRead(ctx context.Context, db *warehouse.DB, u *accounts.User, id int64, read time.Time) error {
	return db.InTx(ctx, func(tx *sql.Tx) error {
		where, args := `role = ? AND scope = ?`, []any{u.Name, read, string(u.Role), u.Scope}
		if id != 0 {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM notifications WHERE notice_id = ? AND role = ? AND scope = ?`,
				id, string(u.Role), u.Scope).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return ErrNotYours
			}
			where += ` AND notice_id = ?`
			args = append(args, id)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO notification_reads
			SELECT notice_id, ?, ? FROM notifications n WHERE `+where+`
			AND NOT EXISTS (SELECT 1 FROM notification_reads r WHERE r.notice_id = n.notice_id AND r.username = ?)`,
			append(args, u.Name)...)
		return err
	})
}

// Offices lists every (role, scope) that has notices, for the digest.
func Offices(ctx context.Context, q Queryer) ([]To, error) {
	var out []To
	err := warehouse.EachRow(ctx, q, `SELECT DISTINCT role, scope FROM notifications ORDER BY role, scope`, nil, func(rows *sql.Rows) error {
		var t To
		var role string
		if err := rows.Scan(&role, &t.Scope); err != nil {
			return err
		}
		t.Role = accounts.Role(role)
		out = append(out, t)
		return nil
	})
	return out, err
}

// Name is the office in words: 乡镇（郭道镇）, 领导小组办公室.
func (t To) Name() string {
	n := accounts.RoleNames[t.Role]
	if t.Scope != "" {
		n = t.Scope
		if t.Role == accounts.RoleTownship && !strings.HasSuffix(n, "镇") && !strings.HasSuffix(n, "乡") {
			n += "（乡镇）"
		}
	}
	return n
}
