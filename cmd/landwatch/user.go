package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"landwatch/portal/accounts"
)

func init() {
	register(&command{
		name: "user",
		args: "add --name NAME --role ROLE [--scope TOWNSHIP|DEPT] | list",
		summary: "Manage staff accounts. `user add` prints a generated password once.\n" +
			"Roles: office, township (--scope a township), department (--scope a unit), finance, leader, media, discipline.",
		run: func(ctx context.Context, a *app, args []string) error {
			if len(args) == 0 {
				return usageError{"give a subcommand: add or list"}
			}
			switch args[0] {
			case "add":
				fs := flag.NewFlagSet("user add", flag.ContinueOnError)
				fs.SetOutput(io.Discard)
				name := fs.String("name", "", "user name")
				role := fs.String("role", "", "role")
				scope := fs.String("scope", "", "township or department")
				if err := fs.Parse(args[1:]); err != nil {
					return usageError{err.Error()}
				}
				if *name == "" || *role == "" || fs.NArg() > 0 {
					return usageError{"user add needs --name and --role (and --scope for township and department)"}
				}
				db, err := a.open(ctx, false)
				if err != nil {
					return err
				}
				defer db.Close()
				pw, err := accounts.AddUser(ctx, db, *name, accounts.Role(*role), *scope)
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "user %s (%s) added. password (shown once): %s\n", *name, *role, pw)
				return nil
			case "list":
				db, err := a.open(ctx, true)
				if err != nil {
					return err
				}
				defer db.Close()
				res, err := query(ctx, db.DB, `SELECT username, role, scope, totp_secret IS NOT NULL AS totp, disabled, created_at, last_login_at FROM users ORDER BY username`)
				if err != nil {
					return err
				}
				return res.write(a.stdout, "table")
			}
			return usageError{fmt.Sprintf("unknown subcommand %q: add or list", args[0])}
		},
	})
}
