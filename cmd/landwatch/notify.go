package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"landwatch/store/notify"
	"landwatch/warehouse"
)

func notifyCommand() *command {
	return &command{
		name: "notify",
		args: "[--day 日期] [--out 目录]",
		summary: "检查逾期事项并发送通知（未分拣的举报、逾期的价格认定、逾期未整改的问题、应报未报的排查表；\n" +
			"同一事项只通知一次），然后为每个单位写一份当日通知汇总（文本文件，给没有打开门户的单位）。\n" +
			"通知在门户菜单“通知”中查看；门户运行时每天早上也会自动检查一次。",
		setup: func(fs *flag.FlagSet) runFunc {
			var day, out string
			fs.StringVar(&day, "day", "", "检查和汇总的日期 YYYY-MM-DD（默认今天）")
			fs.StringVar(&out, "out", "", "写入每日通知汇总的文件夹（不给则只检查逾期、不写文件）")
			return func(ctx context.Context, a *app, args []string) error {
				if len(args) > 0 {
					return usageError{fmt.Sprintf("多余的参数：%v", args)}
				}
				db, err := a.open(ctx, false)
				if err != nil {
					return err
				}
				defer db.Close()
				cfg, err := db.Config(ctx)
				if err != nil {
					return err
				}
				loc := cfg.Location()
				now := time.Now()
				d := warehouse.LocalDay(loc, now)
				if day != "" {
					if d, err = time.Parse(time.DateOnly, day); err != nil {
						return usageError{fmt.Sprintf("--day “%s”：日期格式应为 2023-04-30", day)}
					}
				}
				created := warehouse.LocalTimestamp(loc, now)
				if !d.Equal(warehouse.LocalDay(loc, now)) { // a past day checked afterwards: its notices date from that morning
					created = d.Add(sweepAt * time.Hour)
				}
				sent, err := notify.Sweep(ctx, db, cfg, d, created)
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "逾期检查（%s）：新发通知 %d 条\n", d.Format(time.DateOnly), sent)
				if out == "" {
					return nil
				}
				paths, err := notify.WriteDigests(ctx, db, cfg.County.Name, out, d)
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "已写出 %d 个单位的每日通知汇总到 %s\n", len(paths), out)
				for _, p := range paths {
					fmt.Fprintf(a.stdout, "  %s\n", p)
				}
				return nil
			}
		},
	}
}
