// Package accounts owns the staff: roles, accounts (the users table), sign-in with password and
// TOTP, and Argon2id hashing with the bounded hashing semaphore (Hasher) that every slow hash of
// the portal — passwords, receipts, claim codes — goes through. Sessions and sign-in rate limits
// belong to the HTTP layer (portal).
package accounts

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/subtle"
	"database/sql"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/alexedwards/argon2id"

	"landwatch/audit"
	"landwatch/campaign"
	"landwatch/warehouse"
)

// Role is a staff role (the role table of portal/README.md, "Staff").
type Role string

const (
	RoleOffice     Role = "office"
	RoleTownship   Role = "township"
	RoleDepartment Role = "department"
	RoleFinance    Role = "finance"
	RoleLeader     Role = "leader"
	RoleMedia      Role = "media"
	RoleDiscipline Role = "discipline"
)

// Roles lists every staff role.
var Roles = []Role{RoleOffice, RoleTownship, RoleDepartment, RoleFinance, RoleLeader, RoleMedia, RoleDiscipline}

// RoleNames are the roles in Chinese: the label table's words (campaign/labels.go "role", dim_labels).
var RoleNames = func() map[Role]string {
	out := make(map[Role]string, len(Roles))
	for _, r := range Roles {
		out[r] = campaign.Label("role", string(r))
	}
	return out
}()

// User is a signed-in staff member.
type User struct {
	Name  string
	Role  Role
	Scope string // township or department
	TOTP  bool
}

// AddUser creates a staff account and returns its generated password (shown once). township needs
// a scope naming a township of the configuration; department needs a scope (a unit name). The
// account's role and scope are bound to the entry au appends for it (user.add, by actor).
func AddUser(ctx context.Context, db *warehouse.DB, au audit.Auditor, actor, name string, role Role, scope string) (string, error) {
	name, scope = strings.TrimSpace(name), strings.TrimSpace(scope)
	if name == "" || len(name) > 64 || strings.ContainsAny(name, " \t\r\n/\\") {
		return "", fmt.Errorf("user name %q: 1–64 characters, no spaces or slashes", name)
	}
	known := false
	for _, r := range Roles {
		known = known || r == role
	}
	if !known {
		return "", fmt.Errorf("unknown role %q: one of office, township, department, finance, leader, media, discipline", role)
	}
	cfg, err := db.Config(ctx)
	if err != nil {
		return "", err
	}
	switch role {
	case RoleTownship:
		t, ok := cfg.Township(scope) // 郭道 is 郭道镇 (campaign.Config.Township)
		if !ok {
			return "", fmt.Errorf("乡镇账号需要用 --scope 指定%s的乡镇（如 %s），“%s”不是", cfg.County.Name, cfg.Townships[0].Name, scope)
		}
		scope = t.Name
	case RoleDepartment:
		if _, ok := cfg.Unit(scope); !ok {
			return "", fmt.Errorf("成员单位账号需要用 --scope 指定配置中的成员单位（%s），“%s”不是", strings.Join(cfg.UnitScopes(), "、"), scope)
		}
	default:
		if scope != "" {
			return "", fmt.Errorf("role %s takes no --scope", role)
		}
	}
	pw, err := newPassword()
	if err != nil {
		return "", err
	}
	hash, err := argon2id.CreateHash(pw, passwordParams)
	if err != nil {
		return "", err
	}
	var sc any
	if scope != "" {
		sc = scope
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE username = ?`, name).Scan(&n); err != nil {
		return "", err
	}
	if n > 0 {
		return "", fmt.Errorf("user %q exists already", name)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO users (username, role, scope, password_hash, created_at) VALUES (?, ?, ?, ?, ?)`,
		name, string(role), sc, hash, time.Now().UTC()); err != nil {
		return "", fmt.Errorf("add user %s: %w", name, err)
	}
	if err := au.Audit(ctx, actor, "user.add", name, map[string]any{"role": string(role), "scope": scope, "bound": audit.Bind("users", name)}); err != nil {
		return "", fmt.Errorf("账号 %s 已添加，但审计日志未记录：%w", name, err)
	}
	return pw, nil
}

// newPassword is 16 characters from an alphabet without look-alikes (~90 bits).
func newPassword() (string, error) {
	const alpha = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 16)
	for i := range b {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(alpha))))
		if err != nil {
			return "", err
		}
		b[i] = alpha[n.Int64()]
	}
	return string(b), nil
}

// ErrLogin is the one answer to a wrong user name, password or TOTP code.
var ErrLogin = errors.New("用户名、密码或动态码错误")

// Store reads and changes the staff accounts of a warehouse; every password hash takes a slot of
// its Hasher.
type Store struct {
	db     *warehouse.DB
	hasher *Hasher
	now    func() time.Time
}

// NewStore is the accounts of db; now is the clock of TOTP codes and sign-in times.
func NewStore(db *warehouse.DB, h *Hasher, now func() time.Time) *Store {
	return &Store{db: db, hasher: h, now: now}
}

// Authenticate checks a password (and a TOTP code when the account has one). An unknown user
// takes as long as a wrong password.
func (st *Store) Authenticate(ctx context.Context, name, password, code string) (*User, error) {
	var u User
	var hash string
	var totp sql.NullString
	var scope sql.NullString
	var role string
	err := st.db.QueryRowContext(ctx, `SELECT username, role, scope, password_hash, totp_secret FROM users WHERE username = ? AND NOT disabled`, name).
		Scan(&u.Name, &role, &scope, &hash, &totp)
	if errors.Is(err, sql.ErrNoRows) {
		hash = dummyHash // same time as a wrong password
	} else if err != nil {
		return nil, fmt.Errorf("read user %s: %w", name, err)
	}
	ok, err := st.hasher.CheckPassword(ctx, password, hash)
	if err != nil {
		return nil, fmt.Errorf("check password: %w", err)
	}
	if !ok || u.Name == "" {
		return nil, ErrLogin
	}
	u.Role, u.Scope = Role(role), scope.String
	if totp.Valid && totp.String != "" {
		u.TOTP = true
		if !TOTPValid(totp.String, code, st.now()) {
			return nil, ErrLogin
		}
	}
	st.db.ExecContext(ctx, `UPDATE users SET last_login_at = ? WHERE username = ?`, time.Now().UTC(), u.Name)
	return &u, nil
}

// SetTOTP stores the TOTP secret of a user who typed a valid code from it.
func (st *Store) SetTOTP(ctx context.Context, name, secret string) error {
	_, err := st.db.ExecContext(ctx, `UPDATE users SET totp_secret = ? WHERE username = ?`, secret, name)
	return err
}

// TOTP (RFC 6238): HMAC-SHA1, 30-second steps, 6 digits, one step of drift either way.

// NewTOTPSecret proposes a TOTP secret (base32, 160 bits).
func NewTOTPSecret() string {
	b := make([]byte, 20)
	rand.Read(b)
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)
}

// TOTPCode is the 6-digit code of secret at t.
func TOTPCode(secret string, t time.Time) (string, error) {
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(strings.TrimRight(secret, "=")))
	if err != nil {
		return "", err
	}
	return hotp(key, uint64(t.Unix()/30), 6), nil
}

func hotp(key []byte, counter uint64, digits int) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	m := hmac.New(sha1.New, key)
	m.Write(msg[:])
	sum := m.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:]) & 0x7fffffff
	mod := uint32(1)
	for range digits {
		mod *= 10
	}
	return fmt.Sprintf("%0*d", digits, v%mod)
}

// TOTPValid checks a 6-digit code against the secret, one 30-second step of drift either way.
func TOTPValid(secret, code string, now time.Time) bool {
	code = strings.TrimSpace(code)
	if len(code) != 6 {
		return false
	}
	for _, d := range []time.Duration{0, -30 * time.Second, 30 * time.Second} {
		want, err := TOTPCode(secret, now.Add(d))
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return true
		}
	}
	return false
}
