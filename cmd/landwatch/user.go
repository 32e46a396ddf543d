package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"landwatch/cmd/landwatch/sqlread"
	"landwatch/internal/cliflag"
	"landwatch/store/accounts"
)

func userCommand() *command {
	return &command{
		name:    "user",
		args:    "add --name 账号名 --role 角色 [--scope 乡镇|单位简称] [--full-name 姓名] [--by 操作人] | list",
		summary: "管理工作人员账号。`user add` 生成密码并只显示一次。\n" + roleHelp(),
		setup: func(fs *flag.FlagSet) runFunc {
			return func(ctx context.Context, a *app, args []string) error {
				if len(args) == 0 {
					return usageError{"请给出操作：add 或 list"}
				}
				switch args[0] {
				case "add":
					fs := cliflag.New("user add", io.Discard)
					name := fs.String("name", "", "账号名")
					role := fs.String("role", "", "角色")
					scope := fs.String("scope", "", "所属乡镇或成员单位")
					by := fs.String("by", "", "操作人（默认 $USER）")
					full := fs.String("full-name", "", "页面上显示的姓名")
					if err := fs.Parse(args[1:]); err != nil {
						return flagError(fs, err)
					}
					if *name == "" || *role == "" || fs.NArg() > 0 {
						return usageError{"user add 需要 --name 和 --role（乡镇和成员单位还需要 --scope）"}
					}
					db, err := a.open(ctx, false)
					if err != nil {
						return err
					}
					defer db.Close()
					pw, err := accounts.AddUser(ctx, db, a.auditor(ctx, db), actor(*by), *name, accounts.Role(*role), *scope)
					if err != nil {
						return err
					}
					if *full != "" {
						if err := accounts.SetFullName(ctx, db, *name, *full); err != nil {
							return err
						}
					}
					fmt.Fprintf(a.stdout, "已添加账号 %s（%s）。密码（只显示这一次）：%s\n", *name, accounts.RoleNames[accounts.Role(*role)], pw)
					return nil
				case "list":
					db, err := a.open(ctx, true)
					if err != nil {
						return err
					}
					defer db.Close()
					res, err := sqlread.Query(ctx, db.DB, `SELECT u.username AS 账号, coalesce(l.label, u.role) AS 角色, coalesce(u.scope, '—') AS 所属,
						CASE WHEN u.totp_secret IS NOT NULL THEN '是' ELSE '否' END AS 两步验证,
						CASE WHEN u.disabled THEN '是' ELSE '否' END AS 已停用,
						strftime(u.created_at, '%Y-%m-%d %H:%M') AS 创建时间,
						coalesce(strftime(u.last_login_at, '%Y-%m-%d %H:%M'), '从未登录') AS 最近登录
						FROM users u LEFT JOIN dim_labels l ON l.col = 'role' AND l.code = u.role ORDER BY u.username`)
					if err != nil {
						return err
					}
					return res.Write(a.stdout, "table")
				}
				return usageError{fmt.Sprintf("未知操作“%s”：应为 add 或 list", args[0])}
			}
		},
	}
}

// roleHelp lists the roles, each code with its word from the label table (accounts.RoleNames) and
// the scope a township or department account needs.
func roleHelp() string {
	scope := map[accounts.Role]string{accounts.RoleTownship: "（--scope 乡镇名称）", accounts.RoleDepartment: "（--scope 单位简称）"}
	parts := make([]string, len(accounts.Roles))
	for i, r := range accounts.Roles {
		parts[i] = string(r) + " " + accounts.RoleNames[r] + scope[r]
	}
	return "角色：" + strings.Join(parts, "、") + "。"
}
