package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"landwatch/internal/cliflag"
	"landwatch/queries"
	"landwatch/store/chain"
)

func accountabilityCommand() *command {
	return &command{
		name: "accountability",
		args: "transfer --item 问题编号 --as-of 日期 [--on 日期] [--note 说明] | outcome --item 问题编号 --outcome 结果 --on 日期 [--doc 文号] [--note 说明] | list [--as-of 日期]",
		summary: "追责问责名单（含责任人）、移交纪检监察及处理结果。\n" +
			"`transfer` 记录某日名单上的一项已移交纪检监察（--on 移交日期，默认今天）；`outcome` 记录处理结果\n" +
			"（" + strings.Join(chain.Outcomes, "、") + "）及日期、文号；`list` 列出追责问责名单。\n" +
			"记录只增不改（更正即再记一条，以最新的为准），并写入审计日志。",
		setup: func(fs *flag.FlagSet) runFunc {
			var item, asOf, on, note, outcome, doc, by, recordedOn string
			declare := func(fs *flag.FlagSet) {
				fs.StringVar(&item, "item", item, "事项编号（问题编号或违法点位编号）")
				fs.StringVar(&asOf, "as-of", asOf, "名单日期 YYYY-MM-DD（list 默认：最近一次运行模型的截至日期）")
				fs.StringVar(&on, "on", on, "transfer：移交日期（默认今天）；outcome：处理决定日期")
				fs.StringVar(&note, "note", note, "说明")
				fs.StringVar(&outcome, "outcome", outcome, "处理结果："+strings.Join(chain.Outcomes, "、"))
				fs.StringVar(&doc, "doc", doc, "处理结果的文号")
				fs.StringVar(&by, "by", by, "记录人（默认 $USER）")
				fs.StringVar(&recordedOn, "recorded-on", recordedOn, "早先在纸面上作出的记录：作出的日期（YYYY-MM-DD；默认现在；写入审计日志）")
			}
			declare(fs)
			return func(ctx context.Context, a *app, args []string) error {
				if len(args) == 0 || (args[0] != "transfer" && args[0] != "outcome" && args[0] != "list") {
					return usageError{"请给出操作：transfer、outcome 或 list"}
				}
				sub := cliflag.New("accountability "+args[0], io.Discard)
				declare(sub)
				sub.StringVar(&a.dbFlag, "db", a.dbFlag, "")
				if err := sub.Parse(args[1:]); err != nil {
					return flagError(sub, err)
				}
				if sub.NArg() > 0 {
					return usageError{fmt.Sprintf("多余的参数：%s", strings.Join(sub.Args(), " "))}
				}
				asOfDay, err := flagDate("as-of", asOf)
				if err != nil {
					return err
				}
				onDay, err := flagDate("on", on)
				if err != nil {
					return err
				}
				recDay, err := flagDate("recorded-on", recordedOn)
				if err != nil {
					return err
				}
				by = actor(by)
				switch args[0] {
				case "transfer":
					if item == "" || asOfDay.IsZero() {
						return usageError{"transfer 需要 --item 编号和 --as-of 名单日期"}
					}
				case "outcome":
					if item == "" || outcome == "" || onDay.IsZero() {
						return usageError{"outcome 需要 --item 编号、--outcome 处理结果和 --on 日期"}
					}
				}
				db, err := a.open(ctx, args[0] == "list")
				if err != nil {
					return err
				}
				defer db.Close()
				switch args[0] {
				case "transfer":
					t, err := chain.RecordTransfer(ctx, db, a.auditor(ctx, db), by, chain.TransferInput{ItemID: item, AsOf: asOfDay, On: onDay, Note: note, RecordedOn: recDay})
					if err != nil {
						return err
					}
					fmt.Fprintf(a.stdout, "已移交纪检监察：%s（%s，%s），名单日期 %s，移交日期 %s，记录号 %d\n", t.ItemID, t.Township,
						strings.Join(t.Reasons, "、"), t.AsOf.Format(time.DateOnly), t.On.Format(time.DateOnly), t.Seq)
				case "outcome":
					o, err := chain.RecordOutcome(ctx, db, a.auditor(ctx, db), by, chain.OutcomeInput{ItemID: item, Outcome: outcome, On: onDay, DocNo: doc, Note: note, RecordedOn: recDay})
					if err != nil {
						return err
					}
					fmt.Fprintf(a.stdout, "已记录处理结果：%s %s（%s，%s），记录号 %d\n", o.ItemID, o.Outcome, o.On.Format(time.DateOnly), o.DocNo, o.Seq)
				case "list":
					if asOfDay.IsZero() {
						if asOfDay, err = queries.LatestAsOf(ctx, db); err != nil {
							return err
						}
					}
					list, err := chain.ListAt(ctx, db, asOfDay)
					if err != nil {
						return err
					}
					printAccountability(a.stdout, asOfDay, list)
				}
				return nil
			}
		},
	}
}

// printAccountability prints the list as a table, one line per item and reason.
func printAccountability(w io.Writer, asOf time.Time, list []chain.Entry) {
	fmt.Fprintf(w, "追责问责名单（截至 %s）：%d项\n", asOf.Format(time.DateOnly), len(list))
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "乡镇\t村\t编号\t问题\t第一责任人\t分管领导\t直接责任人\t包村干部\t责任单位\t状态\t移交日期\t处理结果\t文号")
	dash := func(s string) string {
		if s == "" {
			return "—"
		}
		return s
	}
	day := func(t sql.NullTime) string {
		if t.Valid {
			return t.Time.Format(time.DateOnly)
		}
		return "—"
	}
	for _, e := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e.Township, dash(e.Village), e.ItemID, e.Reason,
			dash(e.FirstResponsible), dash(e.LeaderInCharge), dash(e.DirectResponsible), dash(e.VillageCadre), dash(e.Unit),
			e.Status, day(e.TransferredOn), dash(e.Outcome), dash(e.DocumentNo))
	}
	tw.Flush()
}
