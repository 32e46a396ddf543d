package portal

import (
	"bufio"
	"context"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/alexedwards/argon2id"
)

// Every Argon2id hash the server computes (staff passwords at 64 MiB, receipts and claim codes at
// 19 MiB) first takes one of the server's hash slots, so that a flood of logins or receipts costs
// at most slots × 64 MiB however many requests arrive at once.

// argonMaxMemory is the most memory one hash takes (argon2id.DefaultParams, staff passwords).
const argonMaxMemory = 64 << 20

// defaultHashSlots is one slot per core, fewer when a quarter of the available memory cannot hold
// that many hashes at once; at least one.
func defaultHashSlots() int {
	n := runtime.NumCPU()
	if avail := memAvailable(); avail > 0 {
		n = min(n, int(avail/4/argonMaxMemory))
	}
	return max(1, n)
}

// memAvailable reads MemAvailable from /proc/meminfo; 0 when unknown.
func memAvailable() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "MemAvailable:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
}

// withHashSlot runs fn holding a hash slot; it gives up when ctx ends first.
func (s *Server) withHashSlot(ctx context.Context, fn func()) error {
	select {
	case s.hashSlots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-s.hashSlots }()
	fn()
	return nil
}

// slowHash is the Argon2id hash of a receipt or claim code.
func (s *Server) slowHash(code string) (string, error) {
	var h string
	var err error
	s.withHashSlot(context.Background(), func() { h, err = argon2id.CreateHash(code, argonParams) })
	return h, err
}

// slowCheck compares a receipt or claim code with its hash.
func (s *Server) slowCheck(code, hash string) bool {
	var ok bool
	var err error
	s.withHashSlot(context.Background(), func() { ok, err = argon2id.ComparePasswordAndHash(code, hash) })
	return err == nil && ok
}

// checkPassword compares a staff password with its hash (or with dummyHash for an unknown user, so
// both take the same time).
func (s *Server) checkPassword(ctx context.Context, password, hash string) (bool, error) {
	var ok bool
	var herr error
	if err := s.withHashSlot(ctx, func() { ok, herr = argon2id.ComparePasswordAndHash(password, hash) }); err != nil {
		return false, err
	}
	return herr == nil && ok, nil
}

// dummyHash is an Argon2id hash (argon2id.DefaultParams) of a password nobody has.
const dummyHash = "$argon2id$v=19$m=65536,t=1,p=2$dyxZQpzFn6CilxWSUxTdbg$g9neh9kEvi1AszN5JVBYkkeEHIUXgRrWdNDJLNLdtsE"

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
