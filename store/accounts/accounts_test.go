package accounts

import (
	"testing"

	"github.com/alexedwards/argon2id"
)

func TestHOTPVectors(t *testing.T) {
	// RFC 6238 appendix B, SHA-1, 8 digits
	key := []byte("12345678901234567890")
	for _, c := range []struct {
		t    int64
		want string
	}{{59, "94287082"}, {1111111109, "07081804"}, {1234567890, "89005924"}, {2000000000, "69279037"}} {
		if got := hotp(key, uint64(c.t/30), 8); got != c.want {
			t.Errorf("T=%d: %s, want %s", c.t, got, c.want)
		}
	}
}

// TestDummyHashParams: the hash an unknown user is checked against costs what a real password's
// does, and it is a literal (nothing is hashed when the package loads).
func TestDummyHashParams(t *testing.T) {
	p, _, _, err := argon2id.DecodeHash(dummyHash)
	if err != nil {
		t.Fatal(err)
	}
	if p.Memory != passwordParams.Memory || p.Iterations != passwordParams.Iterations || p.Parallelism != passwordParams.Parallelism ||
		p.KeyLength != passwordParams.KeyLength {
		t.Fatalf("dummy hash params %+v, passwords use %+v", p, passwordParams)
	}
}
