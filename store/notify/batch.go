package notify

import (
	"context"
	"fmt"
	"strings"
)

// SendAll stores the notices ns inside tx with one statement for all (a group commit of tips
// writes its notices this way, with its other rows), numbered in order after the last notice. A
// notice with a Dedupe key is refused: those go through Send, which looks the key up first.
func SendAll(ctx context.Context, tx Execer, ns []Notice) error {
	if len(ns) == 0 {
		return nil
	}
	for _, n := range ns {
		if err := check(n); err != nil {
			return err
		}
		if n.Dedupe != "" {
			return fmt.Errorf("notice %q: a notice with a dedupe key goes through Send", n.Ref)
		}
	}
	var first int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(notice_id), 0) + 1 FROM notifications`).Scan(&first); err != nil {
		return err
	}
	vals := make([]string, len(ns))
	args := make([]any, 0, 9*len(ns))
	for i, n := range ns {
		vals[i] = "(?, ?, ?, ?, ?, ?, ?, ?, NULL)"
		args = append(args, first+int64(i), string(n.To.Role), n.To.Scope, n.Kind, n.Ref, n.Body, n.Link, n.Created)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO notifications VALUES `+strings.Join(vals, ", "), args...); err != nil {
		return fmt.Errorf("store %d notices: %w", len(ns), err)
	}
	return nil
}
