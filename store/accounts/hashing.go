package accounts

import (
	"bufio"
	"context"
	"os"
	"runtime"
	"strconv"
	"strings"

	"github.com/alexedwards/argon2id"
)

// Every Argon2id hash the server computes (staff passwords at 64 MiB, receipts and claim codes at
// 19 MiB) first takes one of the server's hash slots, so that a flood of logins or receipts costs
// at most slots × 64 MiB however many requests arrive at once.

// passwordParams hash staff passwords (argon2id.DefaultParams: 64 MiB, about 140 ms).
var passwordParams = argon2id.DefaultParams

// codeParams hash receipts and claim codes: one near 20 ms and 19 MiB (the OWASP minimum for
// Argon2id), since every tip and every status look-up pays one.
var codeParams = &argon2id.Params{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// argonMaxMemory is the most memory one hash takes (passwordParams).
const argonMaxMemory = 64 << 20

// Hasher bounds how many Argon2id hashes run at once: each takes one of its slots.
type Hasher struct{ slots chan struct{} }

// NewHasher has n slots; n <= 0: DefaultSlots.
func NewHasher(n int) *Hasher {
	if n <= 0 {
		n = DefaultSlots()
	}
	return &Hasher{slots: make(chan struct{}, n)}
}

// Slots is how many hashes may run at once.
func (h *Hasher) Slots() int { return cap(h.slots) }

// DefaultSlots is one slot per core, fewer when a quarter of the available memory cannot hold
// that many hashes at once; at least one.
func DefaultSlots() int {
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

// withSlot runs fn holding a hash slot; it gives up when ctx ends first.
func (h *Hasher) withSlot(ctx context.Context, fn func()) error {
	select {
	case h.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-h.slots }()
	fn()
	return nil
}

// HashCode is the Argon2id hash of a receipt or claim code.
func (h *Hasher) HashCode(code string) (string, error) {
	var out string
	var err error
	h.withSlot(context.Background(), func() { out, err = argon2id.CreateHash(code, codeParams) })
	return out, err
}

// CheckCode compares a receipt or claim code with its hash.
func (h *Hasher) CheckCode(code, hash string) bool {
	var ok bool
	var err error
	h.withSlot(context.Background(), func() { ok, err = argon2id.ComparePasswordAndHash(code, hash) })
	return err == nil && ok
}

// CheckPassword compares a staff password with its hash (or with dummyHash for an unknown user, so
// both take the same time).
func (h *Hasher) CheckPassword(ctx context.Context, password, hash string) (bool, error) {
	var ok bool
	var herr error
	if err := h.withSlot(ctx, func() { ok, herr = argon2id.ComparePasswordAndHash(password, hash) }); err != nil {
		return false, err
	}
	return herr == nil && ok, nil
}

// dummyHash is an Argon2id hash (passwordParams) of a password nobody has. It is a literal, so
// nothing is hashed when the package loads; accounts_test.go checks that its parameters are
// passwordParams, so that an unknown user costs what a wrong password costs.
const dummyHash = "$argon2id$v=19$m=65536,t=1,p=2$dyxZQpzFn6CilxWSUxTdbg$g9neh9kEvi1AszN5JVBYkkeEHIUXgRrWdNDJLNLdtsE"
