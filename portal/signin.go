package portal

import (
	"crypto/sha256"
	"time"
)

// Sign-in limits. Each attempt is counted before its password is hashed, per address and per
// (user name, address); a success gives the attempt back. Failures of one user name from every
// address together never lock the account: past the ceiling each further attempt only waits.
const (
	loginPairFree    = 5  // wrong passwords for one user from one address before it must wait
	loginIPFree      = 20 // wrong passwords from one address, any user, before it must wait
	loginUserCeiling = 20 // wrong passwords for one user from all addresses before attempts slow down
	loginUserDelay   = 250 * time.Millisecond
	loginUserMaxWait = 5 * time.Second
)

// userDelay is how long an attempt for a user name waits before its hash, given the failures of
// that name from every address.
func userDelay(failures int) time.Duration {
	if failures < loginUserCeiling {
		return 0
	}
	return min(loginUserDelay<<min(failures-loginUserCeiling, 10), loginUserMaxWait)
}

// maxNameLen is the longest user name an account may have (accounts.AddUser): a longer one is a
// wrong login without a hash.
const maxNameLen = 64

// limiterKey is the limiters' key of its parts: a hash, so a key is 16 bytes whatever the user
// name and address sent (names of a megabyte were kept as keys for an hour).
func limiterKey(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return string(h.Sum(nil)[:16])
}
