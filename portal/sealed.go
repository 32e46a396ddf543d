package portal

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// A tip's free text (place, description, contact) and every message on it are stored encrypted
// with AES-256-GCM under a key derived from <db>.secret, which never enters the warehouse: a copy
// of the warehouse, or `landwatch sql`, shows only "enc1:…". The additional data binds each value
// to its column and its tip, so values cannot be moved between tips or fields unnoticed. The
// portal decrypts them only in the code paths that show them to those who may read them (the
// office and the assigned department; the citizen holding the receipt for the messages).

const sealPrefix = "enc1:"

func (k *keys) aead() (cipher.AEAD, error) {
	block, err := aes.NewCipher(k.tip)
	if err != nil {
		return nil, fmt.Errorf("tip text key: %w", err)
	}
	return cipher.NewGCM(block)
}

// seal encrypts one value of field for tipID; "" stays "" (stored as NULL).
func (k *keys) seal(field, tipID, plain string) (string, error) {
	if plain == "" {
		return "", nil
	}
	g, err := k.aead()
	if err != nil {
		return "", err
	}
	nonce := make([]byte, g.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("encrypt %s: %w", field, err)
	}
	ct := g.Seal(nonce, nonce, []byte(plain), []byte(field+"\x1f"+tipID))
	return sealPrefix + base64.RawStdEncoding.EncodeToString(ct), nil
}

var errUnseal = errors.New("举报内容无法解密：密钥文件与数据仓库不匹配，或内容被改动")

// open decrypts a value sealed by seal; a value stored before encryption is returned as it is.
func (k *keys) open(field, tipID, stored string) (string, error) {
	if !strings.HasPrefix(stored, sealPrefix) {
		return stored, nil
	}
	ct, err := base64.RawStdEncoding.DecodeString(stored[len(sealPrefix):])
	if err != nil {
		return "", errUnseal
	}
	g, err := k.aead()
	if err != nil {
		return "", err
	}
	if len(ct) < g.NonceSize() {
		return "", errUnseal
	}
	plain, err := g.Open(nil, ct[:g.NonceSize()], ct[g.NonceSize():], []byte(field+"\x1f"+tipID))
	if err != nil {
		return "", errUnseal
	}
	return string(plain), nil
}

// openAll decrypts several fields of one tip in place.
func (k *keys) openAll(tipID string, fields map[string]*string) error {
	for f, p := range fields {
		v, err := k.open(f, tipID, *p)
		if err != nil {
			return fmt.Errorf("tip %s %s: %w", tipID, f, err)
		}
		*p = v
	}
	return nil
}

// sealExisting encrypts the free text stored before encryption was introduced.
func (s *Server) sealExisting(ctx context.Context) error {
	return s.db.InTx(ctx, func(tx *sql.Tx) error {
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
				if strings.HasPrefix(v, sealPrefix) {
					continue
				}
				sv, err := s.keys.seal("tips."+f, t.id, v)
				if err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, `UPDATE tips SET "`+f+`" = NULLIF(?, '') WHERE tip_id = ?`, sv, t.id); err != nil {
					return fmt.Errorf("encrypt stored tip %s: %w", t.id, err)
				}
			}
		}
		rows, err = tx.QueryContext(ctx, `SELECT tip_id, msg_no, body FROM tip_messages WHERE NOT starts_with(body, 'enc1:')`)
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
			sv, err := s.keys.seal("tip_messages.body", m.id, m.body)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE tip_messages SET body = ? WHERE tip_id = ? AND msg_no = ?`, sv, m.id, m.no); err != nil {
				return fmt.Errorf("encrypt stored message: %w", err)
			}
		}
		return nil
	})
}
