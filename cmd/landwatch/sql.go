package main

import (
	"context"
	"flag"
	"fmt"

	"landwatch/cmd/landwatch/sqlread"
)

// sqlCommand is `landwatch sql`; the check of the query and the output are cmd/landwatch/sqlread.
func sqlCommand() *command {
	return &command{
		name:    "sql",
		args:    `"SELECT …"`,
		summary: "对数据仓库执行一条只读查询并输出结果（table、csv 或 json）。",
		setup: func(fs *flag.FlagSet) runFunc {
			var format string
			fs.StringVar(&format, "format", "table", "输出格式：table、csv 或 json")
			return func(ctx context.Context, a *app, args []string) error {
				if len(args) != 1 {
					return usageError{"请给出一条查询，用引号括起来"}
				}
				if format != "table" && format != "csv" && format != "json" {
					return usageError{fmt.Sprintf("未知的 --format “%s”：应为 table、csv 或 json", format)}
				}
				db, err := a.openSQL(ctx)
				if err != nil {
					return err
				}
				defer db.Close()
				res, err := sqlread.ReadOnly(ctx, db.DB, args[0])
				if err != nil {
					return err
				}
				return res.Write(a.stdout, format)
			}
		},
	}
}
