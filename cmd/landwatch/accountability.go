package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"landwatch/portal/chain"
	"landwatch/queries"
)

func accountabilityCommand() *command {
	return &command{
		name: "accountability",
		args: "transfer --item ID --as-of D [--on D] [--note TEXT] | outcome --item ID --outcome X --on D [--doc NO] [--note TEXT] | list [--as-of D]",
		summary: "The accountability list with names (追责问责名单), transfers to discipline inspection (移交纪检监察) and their outcomes.\n" +
			"`transfer` records that an item of the list as of D was handed over (on --on, default today); `outcome` records its outcome\n" +
			"(" + strings.Join(chain.Outcomes, "、") + ") with the date and document number; `list` prints mart_accountability.\n" +
			"Records are appended, never changed (a correction is a new record, the latest counts) and audited.",
		setup: func(fs *flag.FlagSet) runFunc {
			var item, asOf, on, note, outcome, doc, by, recordedOn string
			declare := func(fs *flag.FlagSet) {
				fs.StringVar(&item, "item", item, "the item (问题编号 or violation id)")
				fs.StringVar(&asOf, "as-of", asOf, "the list's date YYYY-MM-DD (list: default the last models run)")
				fs.StringVar(&on, "on", on, "transfer: the day it was handed over (default today); outcome: the day of the decision")
				fs.StringVar(&note, "note", note, "a note (说明)")
				fs.StringVar(&outcome, "outcome", outcome, "outcome: "+strings.Join(chain.Outcomes, ", "))
				fs.StringVar(&doc, "doc", doc, "outcome: the document number (文号)")
				fs.StringVar(&by, "by", by, "who records it (default: $USER)")
				fs.StringVar(&recordedOn, "recorded-on", recordedOn, "a record made on paper earlier: the day it was made (YYYY-MM-DD; default now; audited)")
			}
			declare(fs)
			return func(ctx context.Context, a *app, args []string) error {
				if len(args) == 0 || (args[0] != "transfer" && args[0] != "outcome" && args[0] != "list") {
					return usageError{"give transfer, outcome or list"}
				}
				sub := flag.NewFlagSet("accountability "+args[0], flag.ContinueOnError)
				sub.SetOutput(io.Discard)
				declare(sub)
				sub.StringVar(&a.dbFlag, "db", a.dbFlag, "")
				if err := sub.Parse(args[1:]); err != nil {
					return usageError{err.Error()}
				}
				if sub.NArg() > 0 {
					return usageError{fmt.Sprintf("unexpected arguments %q", sub.Args())}
				}
				date := func(name, s string) (time.Time, error) {
					if s == "" {
						return time.Time{}, nil
					}
					d, err := time.Parse(time.DateOnly, s)
					if err != nil {
						return time.Time{}, usageError{fmt.Sprintf("--%s %q is not a date YYYY-MM-DD (日期格式应为 YYYY-MM-DD)", name, s)}
					}
					return d, nil
				}
				asOfDay, err := date("as-of", asOf)
				if err != nil {
					return err
				}
				onDay, err := date("on", on)
				if err != nil {
					return err
				}
				recDay, err := date("recorded-on", recordedOn)
				if err != nil {
					return err
				}
				if by == "" {
					by = os.Getenv("USER")
				}
				if by == "" {
					by = "cli"
				}
				switch args[0] {
				case "transfer":
					if item == "" || asOfDay.IsZero() {
						return usageError{"transfer needs --item ID and --as-of D"}
					}
				case "outcome":
					if item == "" || outcome == "" || onDay.IsZero() {
						return usageError{"outcome needs --item ID, --outcome X and --on D"}
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
