package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"landwatch/queries"
)

func modelsCommand() *command {
	return &command{
		name: "models",
		args: "run [--as-of YYYY-MM-DD] | freeze --as-of YYYY-MM-DD [--by NAME] | list",
		summary: "Build the SQL models (staging, intermediate, marts) and run their data tests.\n" +
			"`run` builds every model in dependency order and prints each with its rows and time;\n" +
			"`freeze` locks a day's scorecards, violations and ledger (锁定): reports show them as stored, the hash goes\n" +
			"into the audit chain, and no file stamped on or before that day can be loaded any more;\n" +
			"`list` shows the graph (layer, model, materialization, what it reads).",
		setup: func(fs *flag.FlagSet) runFunc {
			var asOf string
			asOfFlag := func(fs *flag.FlagSet) {
				fs.StringVar(&asOf, "as-of", "", "compute every figure as of this day, YYYY-MM-DD (default: today, or the campaign's last day once it has passed)")
			}
			asOfFlag(fs)
			return func(ctx context.Context, a *app, args []string) error {
				if len(args) == 0 {
					return usageError{"give run or list"}
				}
				switch args[0] {
				case "list":
					if len(args) > 1 {
						return usageError{"list takes no arguments"}
					}
					return listModels(a)
				case "run":
					fs := flag.NewFlagSet("models run", flag.ContinueOnError)
					fs.SetOutput(a.stderr)
					asOfFlag(fs)
					if err := fs.Parse(args[1:]); err != nil {
						return usageError{err.Error()}
					}
					if fs.NArg() > 0 {
						return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
					}
					var day time.Time
					if asOf != "" {
						var err error
						if day, err = time.Parse("2006-01-02", asOf); err != nil {
							return usageError{fmt.Sprintf("--as-of %q: want YYYY-MM-DD (日期格式应为 2023-04-30)", asOf)}
						}
					}
					db, err := a.open(ctx, false)
					if err != nil {
						return err
					}
					defer db.Close()
					_, err = queries.Run(ctx, db, queries.RunOptions{AsOf: day, Progress: a.stdout})
					return err
				case "freeze":
					var by string
					fs := flag.NewFlagSet("models freeze", flag.ContinueOnError)
					fs.SetOutput(a.stderr)
					asOfFlag(fs)
					fs.StringVar(&by, "by", "", "who freezes (default: $USER)")
					if err := fs.Parse(args[1:]); err != nil {
						return usageError{err.Error()}
					}
					if fs.NArg() > 0 {
						return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
					}
					day, err := time.Parse("2006-01-02", asOf)
					if err != nil {
						return usageError{fmt.Sprintf("freeze needs --as-of YYYY-MM-DD (锁定日期), got %q", asOf)}
					}
					if by == "" {
						by = os.Getenv("USER")
					}
					if by == "" {
						by = "cli"
					}
					db, err := a.open(ctx, false)
					if err != nil {
						return err
					}
					defer db.Close()
					f, err := queries.FreezeDate(ctx, db, day, queries.FreezeOptions{By: by})
					if err != nil {
						return err
					}
					if err := a.auditor(ctx, db).Audit(ctx, by, "models.freeze", f.AsOf.Format(time.DateOnly), map[string]any{
						"sha256": f.SHA256, "scorecards": f.Scorecards, "violations": f.Violations, "ledger": f.Ledger}); err != nil {
						return fmt.Errorf("已锁定，但审计日志未记录 (frozen, audit entry failed): %w", err)
					}
					fmt.Fprintf(a.stdout, "%s 已锁定（%s，%s）：记分卡 %d 行，违法点位 %d 处，台账 %d 项，哈希 %s\n",
						f.AsOf.Format(time.DateOnly), f.FrozenAt.Format("2006-01-02 15:04"), f.FrozenBy, f.Scorecards, f.Violations, f.Ledger, f.SHA256[:16])
					return nil
				default:
					return usageError{fmt.Sprintf("unknown models action %q: run, freeze or list", args[0])}
				}
			}
		},
	}
}

func listModels(a *app) error {
	models, err := queries.Models()
	if err != nil {
		return err
	}
	fmt.Fprintf(a.stdout, "%-13s %-34s %-5s %-6s %s\n", "layer", "model", "kind", "tests", "depends on")
	for _, m := range models {
		deps := append(append([]string{}, m.Deps...), m.Sources...)
		fmt.Fprintf(a.stdout, "%-13s %-34s %-5s %-6d %s\n", m.Layer, m.Name, m.Materialized, len(m.Tests), strings.Join(deps, ", "))
	}
	return nil
}
