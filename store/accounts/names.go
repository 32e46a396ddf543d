package accounts

import (
	"context"
	"fmt"
	"strings"

	"landwatch/warehouse"
)

// SetFullName records the person an account belongs to (users.full_name, migration 0136); "" clears
// it.
func SetFullName(ctx context.Context, db *warehouse.DB, user, full string) error {
	full = strings.TrimSpace(full)
	if len([]rune(full)) > 32 {
		return fmt.Errorf("姓名最多 32 字")
	}
	res, err := db.ExecContext(ctx, `UPDATE users SET full_name = NULLIF(?, '') WHERE username = ?`, full, user)
	if err != nil {
		return fmt.Errorf("set the name of %s: %w", user, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("没有账号“%s”", user)
	}
	return nil
}

// Person is who an account is, for the pages: its person's name and its office.
type Person struct {
	FullName string
	Role     Role
	Scope    string
}

// People are every account's person, by user name.
func People(ctx context.Context, db *warehouse.DB) (map[string]Person, error) {
	rows, err := db.QueryContext(ctx, `SELECT username, coalesce(full_name, ''), role, coalesce(scope, '') FROM users`)
	if err != nil {
		return nil, fmt.Errorf("read accounts: %w", err)
	}
	defer rows.Close()
	out := map[string]Person{}
	for rows.Next() {
		var name string
		var p Person
		if err := rows.Scan(&name, &p.FullName, &p.Role, &p.Scope); err != nil {
			return nil, err
		}
		out[name] = p
	}
	return out, rows.Err()
}
