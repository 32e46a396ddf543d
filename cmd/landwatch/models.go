package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"landwatch/queries"
)

func init() {
	var asOf string
	asOfFlag := func(fs *flag.FlagSet) {
		fs.StringVar(&asOf, "as-of", "", "compute every figure as of this day, YYYY-MM-DD (default: today, or the campaign's last day once it has passed)")
	}
	register(&command{
		name: "models",
		args: "run [--as-of YYYY-MM-DD] | list",
		summary: "Build the SQL models (staging, intermediate, marts) and run their data tests.\n" +
			"`run` builds every model in dependency order and prints each with its rows and time;\n" +
			"`list` shows the graph (layer, model, materialization, what it reads).",
		flags: asOfFlag,
		run: func(ctx context.Context, a *app, args []string) error {
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
			default:
				return usageError{fmt.Sprintf("unknown models action %q: run or list", args[0])}
			}
		},
	})
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
