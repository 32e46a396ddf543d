package tipstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"landwatch/warehouse/secret"
)

// A tip's free text (place, description, contact) and every message on it are stored encrypted
// with AES-256-GCM under a key derived from <db>.secret, which never enters the warehouse: a copy
// of the warehouse, or `landwatch sql`, shows only "enc1:…". The additional data binds each value
// to its column and its tip, so values cannot be moved between tips or fields unnoticed. The
// portal decrypts them only in the code paths that show them to those who may read them (the
// office and the assigned department; the citizen holding the receipt for the messages).

// sealExisting encrypts the free text stored before encryption was introduced.
func (s *Store) sealExisting(ctx context.Context) error {
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
		if err := s.sealTips(ctx, tx); err != nil {
			return err
		}
		return s.sealMessages(ctx, tx)
	})
}

// sealTips encrypts the place, description and contact of tips stored in clear.
func (s *Store) sealTips(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT tip_id, coalesce(place, ''), coalesce(description, ''), coalesce(contact, '') FROM tips
		WHERE NOT starts_with(coalesce(place, 'enc1:'), 'enc1:') OR NOT starts_with(coalesce(description, 'enc1:'), 'enc1:')
		OR NOT starts_with(coalesce(contact, 'enc1:'), 'enc1:')`)
	if err != nil {
		return fmt.Errorf("encrypt stored tips: %w", err)
	}
	type tip struct{ id, place, desc, contact string }
	var tips []tip
	for rows.Next() {
		var t tip
		if err := rows.Scan(&t.id, &t.place, &t.desc, &t.contact); err != nil {
			rows.Close()
			return fmt.Errorf("encrypt stored tips: %w", err)
		}
		tips = append(tips, t)
	}
	rows.Close()
	for _, t := range tips {
		vals := map[string]string{"place": t.place, "description": t.desc, "contact": t.contact}
		for f, v := range vals {
			if strings.HasPrefix(v, secret.SealPrefix) {
				continue
			}
			sv, err := s.keys.Seal("tips."+f, t.id, v)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE tips SET "`+f+`" = NULLIF(?, '') WHERE tip_id = ?`, sv, t.id); err != nil {
				return fmt.Errorf("encrypt stored tip %s: %w", t.id, err)
			}
		}
	}
	return nil
}

// sealMessages encrypts the messages stored in clear.
func (s *Store) sealMessages(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT tip_id, msg_no, body FROM tip_messages WHERE NOT starts_with(body, 'enc1:')`)
	if err != nil {
		return fmt.Errorf("encrypt stored messages: %w", err)
	}
	type msg struct {
		id   string
		no   int
		body string
	}
	var msgs []msg
	for rows.Next() {
		var m msg
		if err := rows.Scan(&m.id, &m.no, &m.body); err != nil {
			rows.Close()
			return fmt.Errorf("encrypt stored messages: %w", err)
		}
		msgs = append(msgs, m)
	}
	rows.Close()
	for _, m := range msgs {
		sv, err := s.keys.Seal("tip_messages.body", m.id, m.body)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tip_messages SET body = ? WHERE tip_id = ? AND msg_no = ?`, sv, m.id, m.no); err != nil {
			return fmt.Errorf("encrypt stored message: %w", err)
		}
	}
	return nil
}
