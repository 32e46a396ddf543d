package main

import (
	"context"
	"errors"
	"flag"

	"landwatch/cmd/landwatch/bench"
	"landwatch/warehouse"
)

// benchCommand is `landwatch bench`; the measurements themselves are in cmd/landwatch/bench.
func benchCommand() *command {
	return &command{
		name: "bench",
		args: "load [--rows 行数] [--dir 目录] [--csv 文件] | manifest [--data 目录] | models [--as-of 日期] | tips [--clients 个数] [--tips 条数]",
		summary: "用电数据导入的性能基准：在同一进程中交替用 DuckDB 自带的 read_csv 读同一个文件建表\n" +
			"和用 `landwatch load power` 导入它，输出两者的用时、每秒行数、比值和内存峰值。读数文件在 --dir 目录中\n" +
			"确定性生成，也可用 --csv 指定（其户号须为 1430000000 + n）。只用该目录中的临时数据仓库，不碰正式数据仓库。\n" +
			"`bench manifest` 在新建的临时数据仓库中按清单导入 `landwatch gen --scale county` 生成的全部非读数文件（含审计记录），\n" +
			"输出每个文件的用时、CPU 时间、内存峰值和与每个文件 6 毫秒目标的比值。\n" +
			"`bench models` 在同一进程中交替运行 `models run` 和同一数据仓库读数的电表日汇总，输出两者用时、比值和内存峰值；\n" +
			"`bench tips` 在本机回环地址上启动门户，用 N 个客户端提交举报，输出每秒举报数和同一进程测得的 Argon2id 上限（核数 ÷ 每次哈希用时）之比。",
		setup: func(fs *flag.FlagSet) runFunc {
			o := &bench.Options{}
			o.Flags(fs)
			return func(ctx context.Context, a *app, args []string) error {
				err := o.Run(ctx, bench.Env{Stdout: a.stdout, Stderr: a.stderr, AuditLoaded: auditLoaded,
					Open: func(ctx context.Context) (*warehouse.DB, error) { return a.open(ctx, false) }}, args)
				if errors.Is(err, bench.ErrHelp) {
					return nil
				}
				if ue, ok := errors.AsType[bench.UsageError](err); ok {
					return usageError{string(ue)}
				}
				return err
			}
		},
	}
}
