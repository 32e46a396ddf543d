package main

import (
	"context"
	"fmt"

	"landwatch/audit"
)

func init() {
	register(&command{
		name:    "audit",
		args:    "verify",
		summary: "Verify the hash-chained audit log; names every edited, inserted or deleted entry (exit 1 if any).",
		run: func(ctx context.Context, a *app, args []string) error {
			if len(args) != 1 || args[0] != "verify" {
				return usageError{"usage: audit verify"}
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
		},
	})
}
