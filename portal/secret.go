package portal

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"strings"

	"github.com/alexedwards/argon2id"
)

// Files next to the warehouse <db>: <db>.secret (HMAC key, 0600), <db>.files/ (evidence, 0700),
// <db>.audit (the audit chain's last entry); the forwarding socket <db>.sock is warehouse/forward's.
func SecretPath(db string) string { return db + ".secret" }
func FilesDir(db string) string   { return db + ".files" }
func AuditHeadPath(db string) string {
	return db + ".audit"
}

// keys are derived from the secret file; it never enters the warehouse.
type keys struct {
	lookup []byte // receipt / claim code → lookup key
	audit  []byte // audit chain MAC
	form   []byte // form tokens (proof-of-work challenges)
	tip    []byte // AES-256-GCM key of tips' free text and messages (sealed.go)
}

// loadKeys reads <db>.secret, creating it (0600) when create is set and it does not exist.
func loadKeys(dbPath string, create bool) (*keys, error) {
	p := SecretPath(dbPath)
	b, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) && create {
		raw := make([]byte, 32)
		if _, err := rand.Read(raw); err != nil {
			return nil, err
		}
		f, ferr := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if ferr != nil {
			return nil, fmt.Errorf("create secret %s: %w", p, ferr)
		}
		if _, err := f.WriteString(hex.EncodeToString(raw) + "\n"); err != nil {
			f.Close()
			return nil, fmt.Errorf("write secret %s: %w", p, err)
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return nil, err
		}
		if err := f.Close(); err != nil {
			return nil, err
		}
		b, err = os.ReadFile(p)
	}
	if err != nil {
		return nil, fmt.Errorf("read secret %s: %w (保存回执码索引密钥的文件缺失)", p, err)
	}
	if st, err := os.Stat(p); err == nil && st.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("密钥文件 %s 的权限为 %v，只能由所有者读取：请执行 chmod 600 %s", p, st.Mode().Perm(), p)
	}
	raw, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(raw) < 32 {
		return nil, fmt.Errorf("secret %s: not 32+ hex-encoded bytes", p)
	}
	derive := func(label string) []byte {
		m := hmac.New(sha256.New, raw)
		m.Write([]byte(label))
		return m.Sum(nil)
	}
	return &keys{lookup: derive("landwatch receipt lookup"), audit: derive("landwatch audit chain"), form: derive("landwatch form token"),
		tip: derive("landwatch tip text")}, nil
}

// lookupKey is the HMAC of a code: it finds the row without revealing the code.
func (k *keys) lookupKey(kind, code string) string {
	m := hmac.New(sha256.New, k.lookup)
	m.Write([]byte(kind + ":" + code))
	return hex.EncodeToString(m.Sum(nil))
}

// argonParams keep one hash near 20 ms and 19 MiB (the OWASP minimum for Argon2id).
var argonParams = &argon2id.Params{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// newDigits returns n random decimal digits.
func newDigits(n int) (string, error) {
	var b strings.Builder
	ten := big.NewInt(10)
	for range n {
		d, err := rand.Int(rand.Reader, ten)
		if err != nil {
			return "", err
		}
		b.WriteByte(byte('0' + d.Int64()))
	}
	return b.String(), nil
}

// normCode drops spaces and dashes a citizen may type between digit groups.
func normCode(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= '０' && r <= '９':
			b.WriteRune('0' + (r - '０'))
		case r == ' ' || r == '-' || r == '\u3000':
		default:
			return ""
		}
	}
	return b.String()
}

// groupCode shows 16 digits as 4 groups of 4.
func groupCode(s string) string {
	var parts []string
	for i := 0; i < len(s); i += 4 {
		parts = append(parts, s[i:min(i+4, len(s))])
	}
	return strings.Join(parts, " ")
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error()) // the OS random source never fails on Linux
	}
	return hex.EncodeToString(b)
}
