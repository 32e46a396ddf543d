package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"landwatch/internal/cliflag"
	"landwatch/store/powerstore"
)

func powerCommand() *command {
	return &command{
		name: "power",
		args: "cutoff --meter 户号 (--ordered 日期 | --done 日期) [--received-on 日期] [--note 说明]",
		summary: "终止供电：`cutoff --ordered` 记录领导小组办公室对某户号下达终止供电指令的日期（该户须有经现场核查为非法采矿的\n" +
			"用电预警）；`cutoff --done` 记录供电公司确认实际终止供电的日期（须已有指令）。确认日期之后该户仍有用电的，\n" +
			"运行模型后产生“终止供电后仍用电”预警。--received-on 为早先在纸面上作出的记录补录其日期（记为当日结束时，\n" +
			"写入审计日志）。记录只增不改，以最新的为准；`landwatch serve` 运行时经其转交。",
		setup: func(fs *flag.FlagSet) runFunc {
			var meter, ordered, done, receivedOn, note, by string
			declare := func(fs *flag.FlagSet) {
				fs.StringVar(&meter, "meter", meter, "户号")
				fs.StringVar(&ordered, "ordered", ordered, "下达终止供电指令的日期 YYYY-MM-DD")
				fs.StringVar(&done, "done", done, "供电公司实际终止供电的日期 YYYY-MM-DD")
				fs.StringVar(&receivedOn, "received-on", receivedOn, "补录：记录实际作出的日期 YYYY-MM-DD（默认现在）")
				fs.StringVar(&note, "note", note, "说明")
				fs.StringVar(&by, "by", by, "记录人（默认 $USER）")
			}
			declare(fs)
			return func(ctx context.Context, a *app, args []string) error {
				if len(args) == 0 || args[0] != "cutoff" {
					return usageError{"请给出操作：cutoff"}
				}
				sub := cliflag.New("power cutoff", io.Discard)
				declare(sub)
				sub.StringVar(&a.dbFlag, "db", a.dbFlag, "")
				if err := sub.Parse(args[1:]); err != nil {
					return flagError(sub, err)
				}
				if sub.NArg() > 0 {
					return usageError{fmt.Sprintf("多余的参数：%s", strings.Join(sub.Args(), " "))}
				}
				if meter == "" || (ordered == "") == (done == "") {
					return usageError{"cutoff 需要 --meter 户号，以及 --ordered 或 --done 二者之一"}
				}
				in := powerstore.CutoffInput{Meter: meter, Kind: "ordered", Note: note}
				var err error
				if in.On, err = flagDate("ordered", ordered); err != nil {
					return err
				}
				if done != "" {
					in.Kind = "done"
					if in.On, err = flagDate("done", done); err != nil {
						return err
					}
				}
				if in.RecordedOn, err = flagDate("received-on", receivedOn); err != nil {
					return err
				}
				by = actor(by)
				db, err := a.open(ctx, false)
				if err != nil {
					return err
				}
				defer db.Close()
				c, err := powerstore.RecordCutoff(ctx, db, a.auditor(ctx, db), by, in)
				if err != nil {
					return err
				}
				what := "已记录终止供电指令"
				if c.Kind == "done" {
					what = "已记录终止供电确认"
				}
				fmt.Fprintf(a.stdout, "%s：户号 %s，日期 %s", what, c.Meter, c.On.Format(time.DateOnly))
				if c.Violation != "" {
					fmt.Fprintf(a.stdout, "，违法点位 %s", c.Violation)
				}
				fmt.Fprintf(a.stdout, "，记录时间 %s\n", c.RecordedAt.Format("2006-01-02 15:04"))
				return nil
			}
		},
	}
}
