package tipstore

import (
	"crypto/rand"
	"math/big"
	"strings"
)

// FilesDir is the evidence folder of the warehouse at db (0700).
func FilesDir(db string) string { return db + ".files" }

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

// NormCode drops spaces and dashes a citizen may type between digit groups.
func NormCode(s string) string {
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

// GroupCode shows 16 digits as 4 groups of 4.
func GroupCode(s string) string {
	var parts []string
	for i := 0; i < len(s); i += 4 {
		parts = append(parts, s[i:min(i+4, len(s))])
	}
	return strings.Join(parts, " ")
}
