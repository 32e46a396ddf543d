package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"landwatch/audit"
	"landwatch/internal/cliflag"
)

func auditCommand() *command {
	return &command{
		name: "audit",
		args: "verify | baseline [--by 姓名]",
		summary: "`audit verify` 核验审计日志（哈希链）：逐条指出被改动、插入或删除的条目，被改动的奖励、支付和锁定快照，" +
			"以及与审计记录不符、被删除、被重新写入或没有审计记录的锁定、补录送达时间、移交与问责处理结果、停电记录、案件环节、举报核查结论和账号角色（有问题时退出码为1）。" +
			"`audit baseline` 为绑定审计以前写入的这些记录逐表建立一次基线（每表只能建立一次，本身写入审计日志）。",
		setup: func(fs *flag.FlagSet) runFunc {
			return func(ctx context.Context, a *app, args []string) error {
				if len(args) > 0 && args[0] == "baseline" {
					bfs := cliflag.New("audit baseline", io.Discard)
					by := bfs.String("by", "", "操作人（默认 $USER）")
					if err := bfs.Parse(args[1:]); err != nil {
						return flagError(bfs, err)
					}
					if bfs.NArg() > 0 {
						return usageError{"用法：landwatch audit baseline [--by 姓名]"}
					}
					db, err := a.open(ctx, false)
					if err != nil {
						return err
					}
					defer db.Close()
					done, err := audit.Baseline(ctx, a.auditor(ctx, db), actor(*by))
					if err != nil {
						return err
					}
					if len(done) == 0 {
						fmt.Fprintln(a.stdout, "各类记录都已建立过基线，未做改动")
						return nil
					}
					fmt.Fprintf(a.stdout, "已为以下记录建立基线：%s\n", strings.Join(done, "、"))
					return nil
				}
				if len(args) != 1 || args[0] != "verify" {
					return usageError{"用法：landwatch audit verify 或 landwatch audit baseline [--by 姓名]"}
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
				fmt.Fprintf(a.stdout, "审计日志 %s：共 %d 条，链完整，链头、奖励、支付、锁定和各项受审计的记录都一致\n", db.Path, n)
				return nil
			}
		},
	}
}
