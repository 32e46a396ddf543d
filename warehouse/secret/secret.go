// Package secret owns the key file <db>.secret next to the warehouse and the keys derived from it:
// the HMAC that finds a receipt or claim code without revealing it, the audit chain's MAC key, the
// key of the tip form tokens and the AES-256-GCM key of tips' free text. The file never enters the
// warehouse: a copy of the warehouse alone cannot check a receipt, forge an audit entry or read a
// tip (portal/README.md, "Threat model").
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// Path is the key file of the warehouse at db.
func Path(db string) string { return db + ".secret" }

// Keys are derived from the key file.
type Keys struct {
	lookup []byte // receipt / claim code → lookup key
	audit  []byte // audit chain MAC
	form   []byte // form tokens (proof-of-work challenges)
	tip    []byte // AES-256-GCM key of tips' free text and messages
}

// Load reads <db>.secret, creating it (0600) when create is set and it does not exist. A key file
// its group or others may read is refused.
func Load(dbPath string, create bool) (*Keys, error) {
	p := Path(dbPath)
	b, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) && create {
		if err := createFile(p); err != nil {
			return nil, err
		}
		b, err = os.ReadFile(p)
	}
	if err != nil {
		return nil, fmt.Errorf("保存回执码索引密钥的文件 %s 缺失或无法读取：%w", p, err)
	}
	if st, err := os.Stat(p); err == nil && st.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("密钥文件 %s 的权限为 %v，只能由所有者读取：请执行 chmod 600 %s", p, st.Mode().Perm(), p)
	}
	raw, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(raw) < 32 {
		return nil, fmt.Errorf("secret %s: not 32+ hex-encoded bytes", p)
	}
	return Derive(raw), nil
}

// createFile writes 32 random bytes, hex-encoded, to a new file p (0600), synced to disk.
func createFile(p string) error {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return err
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("create secret %s: %w", p, err)
	}
	if _, err := f.WriteString(hex.EncodeToString(raw) + "\n"); err != nil {
		f.Close()
		return fmt.Errorf("write secret %s: %w", p, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Derive derives the keys from the secret's bytes (tests derive keys from a guessed secret).
func Derive(raw []byte) *Keys {
	derive := func(label string) []byte {
		m := hmac.New(sha256.New, raw)
		m.Write([]byte(label))
		return m.Sum(nil)
	}
	return &Keys{lookup: derive("landwatch receipt lookup"), audit: derive("landwatch audit chain"), form: derive("landwatch form token"),
		tip: derive("landwatch tip text")}
}

// LookupKey is the HMAC of a code: it finds the row without revealing the code.
func (k *Keys) LookupKey(kind, code string) string {
	m := hmac.New(sha256.New, k.lookup)
	m.Write([]byte(kind + ":" + code))
	return hex.EncodeToString(m.Sum(nil))
}

// AuditKey is the key of the audit chain's MACs.
func (k *Keys) AuditKey() []byte { return k.audit }

// FormKey is the key that signs the tip form tokens.
func (k *Keys) FormKey() []byte { return k.form }

// A tip's free text (place, description, contact) and every message on it are stored encrypted
// with AES-256-GCM: a copy of the warehouse, or `landwatch sql`, shows only "enc1:…". The additional
// data binds each value to its column and its tip, so values cannot be moved between tips or fields
// unnoticed.

// SealPrefix starts every sealed value.
const SealPrefix = "enc1:"

func (k *Keys) aead() (cipher.AEAD, error) {
	block, err := aes.NewCipher(k.tip)
	if err != nil {
		return nil, fmt.Errorf("tip text key: %w", err)
	}
	return cipher.NewGCM(block)
}

// Seal encrypts one value of field for tipID; "" stays "" (stored as NULL).
func (k *Keys) Seal(field, tipID, plain string) (string, error) {
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
	return SealPrefix + base64.RawStdEncoding.EncodeToString(ct), nil
}

// ErrUnseal is the answer to a value that does not decrypt.
var ErrUnseal = errors.New("举报内容无法解密：密钥文件与数据仓库不匹配，或内容被改动")

// Open decrypts a value sealed by Seal; a value stored before encryption is returned as it is.
func (k *Keys) Open(field, tipID, stored string) (string, error) {
	if !strings.HasPrefix(stored, SealPrefix) {
		return stored, nil
	}
	ct, err := base64.RawStdEncoding.DecodeString(stored[len(SealPrefix):])
	if err != nil {
		return "", ErrUnseal
	}
	g, err := k.aead()
	if err != nil {
		return "", err
	}
	if len(ct) < g.NonceSize() {
		return "", ErrUnseal
	}
	plain, err := g.Open(nil, ct[:g.NonceSize()], ct[g.NonceSize():], []byte(field+"\x1f"+tipID))
	if err != nil {
		return "", ErrUnseal
	}
	return string(plain), nil
}

// OpenAll decrypts several fields of one tip in place.
func (k *Keys) OpenAll(tipID string, fields map[string]*string) error {
	for f, p := range fields {
		v, err := k.Open(f, tipID, *p)
		if err != nil {
			return fmt.Errorf("tip %s %s: %w", tipID, f, err)
		}
		*p = v
	}
	return nil
}

// RandomHex is n random bytes, hex-encoded (file names, session ids, nonces).
func RandomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error()) // the OS random source never fails on Linux
	}
	return hex.EncodeToString(b)
}
