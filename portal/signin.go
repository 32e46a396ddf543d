package portal

import "time"

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
