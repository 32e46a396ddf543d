package tipstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"landwatch/store/accounts"
	"landwatch/store/notify"
)

// Who sees which tip (portal/README.md "Staff", "Tips about officials"), in one place: every list,
// detail and change of a tip goes through visible.
//   - the office: every tip except those about officials;
//   - discipline inspection: only the tips about officials (the confidential channel);
//   - a township or a member unit: the tips assigned to it, never one about officials;
//   - everyone else: none.
func visible(u *accounts.User) (string, []any) {
	switch u.Role {
	case accounts.RoleOffice:
		return `NOT coalesce(t.confidential, false)`, nil
	case accounts.RoleDiscipline:
		return `coalesce(t.confidential, false)`, nil
	case accounts.RoleTownship, accounts.RoleDepartment:
		return `NOT coalesce(t.confidential, false) AND t.assigned_to = ?`, []any{u.Scope}
	}
	return `false`, nil
}

// Handles reports whether u runs a tip's triage and rewards: the office for the ordinary channel,
// discipline inspection for the confidential one.
func Handles(u *accounts.User) bool {
	return u.Role == accounts.RoleOffice || u.Role == accounts.RoleDiscipline
}

// ErrNoTip answers a tip that does not exist or that u may not see, wherever a tip number is
// given (in the address or in a form's field): the same words, without the number, so a guess of
// a number another office handles learns nothing from the answer.
var ErrNoTip = errors.New("举报不存在或不归本单位处理")

// sees reports whether u may see tip id (visible); false for a tip that does not exist.
func sees(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, u *accounts.User, id string) (bool, error) {
	pred, args := visible(u)
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM tips t WHERE tip_id = ? AND `+pred, append([]any{id}, args...)...).Scan(&n)
	return n > 0, err
}

// tipFacts is what a change needs to know about a tip.
type tipFacts struct {
	status, township, assigned string
	confidential               bool
}

// factsFor reads the tip inside tx if u may see it.
func factsFor(ctx context.Context, tx *sql.Tx, u *accounts.User, tipID string) (*tipFacts, error) {
	pred, args := visible(u)
	var f tipFacts
	var assigned sql.NullString
	var conf sql.NullBool
	err := tx.QueryRowContext(ctx, `SELECT status, township, assigned_to, confidential FROM tips t WHERE tip_id = ? AND `+pred,
		append([]any{tipID}, args...)...).Scan(&f.status, &f.township, &assigned, &conf)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNoTip
	}
	if err != nil {
		return nil, err
	}
	f.assigned, f.confidential = assigned.String, conf.Bool
	return &f, nil
}

// handler is the office that runs a tip: discipline inspection for one about officials, else the office.
func (f *tipFacts) handler() notify.To {
	if f.confidential {
		return notify.To{Role: accounts.RoleDiscipline}
	}
	return notify.To{Role: accounts.RoleOffice}
}

// assignee is the township or member unit the tip is assigned to, if any.
func (s *Store) assignee(f *tipFacts) (notify.To, bool) {
	if f.assigned == "" || f.confidential {
		return notify.To{}, false
	}
	if _, ok := s.cfg.Township(f.assigned); ok {
		return notify.To{Role: accounts.RoleTownship, Scope: f.assigned}, true
	}
	return notify.To{Role: accounts.RoleDepartment, Scope: f.assigned}, true
}

// tell sends a notice about tip id inside tx.
func tell(ctx context.Context, tx *sql.Tx, to notify.To, kind, id, body string, at time.Time) error {
	_, err := notify.Send(ctx, tx, notice(to, kind, id, body, at))
	return err
}

// notice is the notice about tip id that tell stores.
func notice(to notify.To, kind, id, body string, at time.Time) notify.Notice {
	return notify.Notice{To: to, Kind: kind, Ref: id, Body: body, Link: "/staff/tips/" + id, Created: at}
}

// HiddenFrom is the set of tip ids whose audit entries u may not read: every tip u may not see
// (visible) — for the office, the tips about officials. Discipline inspection, which oversees the
// office, reads the whole trail.
func (s *Store) HiddenFrom(ctx context.Context, u *accounts.User) (map[string]bool, error) {
	out := map[string]bool{}
	if u.Role == accounts.RoleDiscipline {
		return out, nil
	}
	pred, args := visible(u)
	rows, err := s.db.QueryContext(ctx, `SELECT tip_id FROM tips t WHERE NOT (`+pred+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}
