package main

import (
	"context"
	"flag"
	"fmt"

	"landwatch/audit"
)

func auditCommand() *command {
	return &command{
		name:    "audit",
		args:    "verify",
		summary: "核验审计日志（哈希链）：逐条指出被改动、插入或删除的条目，以及被改动的奖励、支付、锁定数据和补录送达时间（有问题时退出码为1）。",
		setup: func(fs *flag.FlagSet) runFunc {
			return func(ctx context.Context, a *app, args []string) error {
				if len(args) != 1 || args[0] != "verify" {
					return usageError{"用法：landwatch audit verify"}
				}
				db, err := a.open(ctx, true)
				if err != nil {
					return err
				}
				defer db.Close()
				n, findings, err := audit.Verify(ctx, db)
				if err != nil {
					return err
				}
				for _, f := range findings {
					fmt.Fprintln(a.stdout, f.String())
				}
				if len(findings) > 0 {
					return fmt.Errorf("审计日志 %s：共 %d 条，发现 %d 处问题（审计日志被篡改）", db.Path, n, len(findings))
				}
				fmt.Fprintf(a.stdout, "审计日志 %s：共 %d 条，链完整，链头与奖励、支付记录一致\n", db.Path, n)
				return nil
			}
		},
	}
}
