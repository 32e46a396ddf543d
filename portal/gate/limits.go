// Package gate holds the portal's resource bounds that need no request: the hourly tip limits, the
// back-off of repeated failures, the signed form tokens and their proof of work (limits.go), the
// budget of request-body bytes in flight across all requests (budget.go), reading a body's first
// field and spooling a large body to an unlinked file (body.go), and the trusted proxies' check
// (proxy.go). portal/bodygate.go applies them to requests.
package gate

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"landwatch/warehouse/secret"
)

// Anti-abuse state lives in memory only: counters keyed by IP address are never written anywhere
// and are forgotten when their window passes or the server stops.

// HourLimiter counts tips per IP and in all, in fixed one-hour windows. 0 turns a limit off.
type HourLimiter struct {
	mu     sync.Mutex
	perIP  int
	total  int
	window int64
	byIP   map[string]int
	all    int
}

func NewHourLimiter(perIP, total int) *HourLimiter {
	return &HourLimiter{perIP: perIP, total: total, byIP: map[string]int{}}
}

// Take reserves one tip for ip; it reports which limit refused it, if any.
func (l *HourLimiter) Take(ip string, now time.Time) (ok bool, perIP bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if w := now.Unix() / 3600; w != l.window {
		l.window, l.byIP, l.all = w, map[string]int{}, 0
	}
	if l.perIP > 0 && l.byIP[ip] >= l.perIP {
		return false, true
	}
	if l.total > 0 && l.all >= l.total {
		return false, false
	}
	if _, ok := l.byIP[ip]; !ok {
		ip = strings.Clone(ip) // a new key outlives the request
	}
	l.byIP[ip]++
	l.all++
	return true, false
}

// Room reports, without reserving, whether ip may send a tip now.
func (l *HourLimiter) Room(ip string, now time.Time) (ok bool, perIP bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Unix()/3600 != l.window {
		return true, false
	}
	if l.perIP > 0 && l.byIP[ip] >= l.perIP {
		return false, true
	}
	if l.total > 0 && l.all >= l.total {
		return false, false
	}
	return true, false
}

// GiveBack returns a reservation when the tip was not stored after all.
func (l *HourLimiter) GiveBack(ip string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Unix()/3600 == l.window {
		if l.byIP[ip] > 0 {
			l.byIP[ip]--
		}
		if l.all > 0 {
			l.all--
		}
	}
}

// Backoff slows down repeated failures (wrong receipts, wrong passwords) per key: after free
// Failures in a row, each failure locks the key out for base, doubling up to maxWait. Its memory
// is bounded: a key longer than maxKeyLen is kept as its hash, keys whose failures are forgotten
// and whose wait has passed are swept out every sweepEvery, and past maxKeys keys the oldest
// half of what remains is dropped.
type Backoff struct {
	mu      sync.Mutex
	free    int
	base    time.Duration
	maxWait time.Duration
	forget  time.Duration
	maxKeys int
	swept   time.Time
	m       map[string]*failState
}

const (
	maxKeyLen  = 64
	sweepEvery = time.Minute
)

// boundedKey is key, or its hash when it is long.
func boundedKey(key string) string {
	if len(key) > maxKeyLen {
		return Key(key)
	}
	return key
}

type failState struct {
	n     int
	until time.Time
	last  time.Time
}

func NewBackoff(free int, base, maxWait time.Duration) *Backoff {
	return &Backoff{free: free, base: base, maxWait: maxWait, forget: time.Hour, maxKeys: 100000, m: map[string]*failState{}}
}

// Wait reports how long key must still wait before its next try.
func (b *Backoff) Wait(key string, now time.Time) time.Duration {
	key = boundedKey(key)
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.m[key]
	if s == nil {
		return 0
	}
	if now.Sub(s.last) > b.forget {
		delete(b.m, key)
		return 0
	}
	if now.Before(s.until) {
		return s.until.Sub(now)
	}
	return 0
}

// Fail records a failure.
func (b *Backoff) Fail(key string, now time.Time) {
	key = boundedKey(key)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.failLocked(key, now)
}

func (b *Backoff) failLocked(key string, now time.Time) {
	b.sweepLocked(now)
	s := b.m[key]
	if s == nil {
		s = &failState{}
		b.m[strings.Clone(key)] = s // a new key outlives the request
	}
	s.n++
	s.last = now
	if s.n >= b.free {
		d := b.base << min(s.n-b.free, 20)
		s.until = now.Add(min(d, b.maxWait))
	}
}

// sweepLocked forgets the keys whose failures are forgotten and whose wait has passed, at most
// once every sweepEvery unless the map is full; when it is still full, the keys seen longest ago
// go until half of it is left.
func (b *Backoff) sweepLocked(now time.Time) {
	full := len(b.m) >= b.maxKeys
	if !full && now.Sub(b.swept) < sweepEvery {
		return
	}
	b.swept = now
	for k, s := range b.m {
		if now.Sub(s.last) > b.forget && !now.Before(s.until) {
			delete(b.m, k)
		}
	}
	if len(b.m) < b.maxKeys {
		return
	}
	lasts := make([]time.Time, 0, len(b.m))
	for _, s := range b.m {
		lasts = append(lasts, s.last)
	}
	slices.SortFunc(lasts, time.Time.Compare)
	cut := lasts[len(lasts)-b.maxKeys/2]
	for k, s := range b.m {
		if s.last.Before(cut) {
			delete(b.m, k)
		}
	}
	for k := range b.m { // many seen at the same instant
		if len(b.m) <= b.maxKeys/2 {
			break
		}
		delete(b.m, k)
	}
}

// Size is the number of keys kept.
func (b *Backoff) Size() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.m)
}

// Take counts an attempt for key before it is made: 0 when it may go ahead (and it is counted as
// a failure until given back), else how long key must still wait.
func (b *Backoff) Take(key string, now time.Time) time.Duration {
	key = boundedKey(key)
	b.mu.Lock()
	s := b.m[key]
	if s != nil && now.Sub(s.last) > b.forget {
		delete(b.m, key)
		s = nil
	}
	if s != nil && now.Before(s.until) {
		b.mu.Unlock()
		return s.until.Sub(now)
	}
	b.failLocked(key, now)
	b.mu.Unlock()
	return 0
}

// GiveBack uncounts one attempt taken for key (it succeeded, or never reached the check).
func (b *Backoff) GiveBack(key string) {
	key = boundedKey(key)
	b.mu.Lock()
	defer b.mu.Unlock()
	if s := b.m[key]; s != nil {
		s.n--
		s.until = time.Time{}
		if s.n <= 0 {
			delete(b.m, key)
		}
	}
}

// Failures is key's count of failures.
func (b *Backoff) Failures(key string, now time.Time) int {
	key = boundedKey(key)
	b.mu.Lock()
	defer b.mu.Unlock()
	if s := b.m[key]; s != nil && now.Sub(s.last) <= b.forget {
		return s.n
	}
	return 0
}

// Reset forgets key's failures (after a successful login).
func (b *Backoff) Reset(key string) {
	key = boundedKey(key)
	b.mu.Lock()
	delete(b.m, key)
	b.mu.Unlock()
}

// Form tokens: each tip form carries a signed token (random nonce + issue time) that doubles as the
// proof-of-work challenge. A token is accepted once (replayed forms are refused) and expires.

const TokenTTL = 2 * time.Hour

type Tokens struct {
	key  []byte
	mu   sync.Mutex
	used map[string]time.Time
}

func NewTokens(key []byte) *Tokens { return &Tokens{key: key, used: map[string]time.Time{}} }

func (t *Tokens) Issue(now time.Time) string {
	body := secret.RandomHex(12) + "." + strconv.FormatInt(now.Unix(), 10)
	m := hmac.New(sha256.New, t.key)
	m.Write([]byte(body))
	return body + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

var (
	ErrTokenBad    = errors.New("表单已失效，请刷新页面后重新填写")
	ErrTokenReplay = errors.New("此表单已经提交过，不能重复提交")
)

// Check validates a token and returns its issue time.
func (t *Tokens) Check(tok string, now time.Time) (time.Time, error) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return time.Time{}, ErrTokenBad
	}
	m := hmac.New(sha256.New, t.key)
	m.Write([]byte(parts[0] + "." + parts[1]))
	want := base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
	if !hmac.Equal([]byte(want), []byte(parts[2])) {
		return time.Time{}, ErrTokenBad
	}
	sec, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil {
		return time.Time{}, ErrTokenBad
	}
	issued := time.Unix(sec, 0)
	if now.Sub(issued) > TokenTTL || issued.After(now.Add(time.Minute)) {
		return time.Time{}, ErrTokenBad
	}
	t.mu.Lock()
	_, seen := t.used[tok]
	t.mu.Unlock()
	if seen {
		return time.Time{}, ErrTokenReplay
	}
	return issued, nil
}

// Spend marks a token used; false if it was used meanwhile.
func (t *Tokens) Spend(tok string, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, seen := t.used[tok]; seen {
		return false
	}
	for k, at := range t.used {
		if now.Sub(at) > TokenTTL+time.Minute {
			delete(t.used, k)
		}
	}
	t.used[strings.Clone(tok)] = now
	return true
}

// Unspend forgets a token whose submission failed for a reason the citizen can fix.
func (t *Tokens) Unspend(tok string) {
	t.mu.Lock()
	delete(t.used, tok)
	t.mu.Unlock()
}

// PowOK reports whether SHA-256(token ":" nonce) starts with at least bits zero bits.
func PowOK(token, nonce string, nbits int) bool {
	if nbits <= 0 {
		return true
	}
	if nonce == "" || len(nonce) > 20 {
		return false
	}
	sum := sha256.Sum256([]byte(token + ":" + nonce))
	z := 0
	for i := 0; i < len(sum); i += 8 {
		w := binary.BigEndian.Uint64(sum[i:])
		if w == 0 {
			z += 64
			continue
		}
		z += bits.LeadingZeros64(w)
		break
	}
	return z >= nbits
}

// Keys are the keys kept now (long ones as their hash).
func (b *Backoff) Keys() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]string, 0, len(b.m))
	for k := range b.m {
		out = append(out, k)
	}
	return out
}

// Key is the limiters' key of its parts: a hash, so a key is 16 bytes whatever the user
// name and address sent (names of a megabyte were kept as keys for an hour).
func Key(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return string(h.Sum(nil)[:16])
}
