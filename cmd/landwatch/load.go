package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"landwatch/etl"
	"landwatch/portal"
)

func init() {
	var by, receivedOn string
	var quiet bool
	register(&command{
		name: "load",
		args: "[--received-on YYYY-MM-DD[THH:MM]] KIND FILE... | manifest DIR",
		summary: "Load input files into the warehouse. KIND: inspection, rectification, patrol, cases, meters, power, power-checks, imagery, clues;\npower-alerts DIR loads the alerts the Spark job (spark/power_alerts.py) computed from an export, to compare with mart_power_alerts.\n" +
			"`load manifest DIR` loads every file listed in DIR/manifest.json (written by `landwatch gen`).\n" +
			"Each file loads in full or not at all; the same file again is a no-op; a corrected township form replaces the earlier one.\n" +
			"Every file is stamped with when it reached the county: now, or --received-on for a file that arrived earlier on paper or USB\n" +
			"(a date means the end of that day; the manifest's received_on per file wins). 送达时间不能晚于现在，也不能早于文件中的任何日期。",
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&by, "by", "", "who loads (recorded in load_batches; default: $USER)")
			fs.BoolVar(&quiet, "quiet", false, "no progress output for power readings")
			fs.StringVar(&receivedOn, "received-on", "", "when the files reached the county (送达时间), YYYY-MM-DD or YYYY-MM-DDTHH:MM, campaign local time; default now")
		},
		run: func(ctx context.Context, a *app, args []string) error {
			if len(args) < 2 {
				return usageError{"give a KIND and at least one FILE, or `manifest DIR`"}
			}
			if by == "" {
				by = os.Getenv("USER")
			}
			if by == "" {
				by = "cli"
			}
			opt := etl.Options{LoadedBy: by}
			if !quiet {
				opt.Progress = a.stderr
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
			if receivedOn != "" {
				at, err := etl.ParseReceived(receivedOn, cfg.Location())
				if err != nil {
					return usageError{err.Error()}
				}
				opt.ReceivedAt, opt.ReceivedBy = at, by
			}
			au := a.auditor(ctx, db)
			if args[0] == "manifest" {
				if len(args) != 2 {
					return usageError{"`load manifest DIR` takes one directory"}
				}
				results, err := etl.LoadManifest(ctx, db, cfg, args[1], opt)
				for _, r := range results {
					printResult(a.stdout, r)
					if aerr := auditStamp(ctx, au, by, r); aerr != nil && err == nil {
						err = aerr
					}
				}
				return loadFailed(a.stderr, err)
			}
			kind, err := etl.ParseKind(args[0])
			if err != nil {
				return usageError{err.Error()}
			}
			failed := 0
			for _, file := range args[1:] {
				r, err := etl.LoadFile(ctx, db, cfg, kind, file, opt)
				if err != nil {
					if errors.Is(err, context.Canceled) {
						return err
					}
					fmt.Fprintln(a.stderr, err)
					failed++
					continue
				}
				printResult(a.stdout, r)
				if err := auditStamp(ctx, au, by, r); err != nil {
					return err
				}
			}
			if failed > 0 {
				return fmt.Errorf("%d个文件未导入 (%d of %d files not loaded)", failed, failed, len(args)-1)
			}
			return nil
		},
	})
}

// auditStamp records a hand-given arrival stamp in the audit chain, with who gave it.
func auditStamp(ctx context.Context, au portal.Auditor, by string, r *etl.Result) error {
	if r.AlreadyLoaded || r.ReceivedBy == "" {
		return nil
	}
	return au.Audit(ctx, by, "load.received_stamp", fmt.Sprint(r.BatchID), map[string]any{
		"file": r.File, "kind": string(r.Kind), "received_at": r.ReceivedAt.Format("2006-01-02 15:04"), "given_by": r.ReceivedBy})
}

func loadFailed(w io.Writer, err error) error {
	if err == nil || errors.Is(err, context.Canceled) {
		return err
	}
	var fe *etl.FileError
	if errors.As(err, &fe) {
		fmt.Fprintln(w, fe)
		return fmt.Errorf("%s 未导入 (not loaded)", fe.File)
	}
	return err
}

func printResult(w io.Writer, r *etl.Result) {
	switch {
	case r.AlreadyLoaded:
		fmt.Fprintf(w, "%s [%s]: 已导入过，未做改动 (already loaded as batch %d, no-op)\n", r.File, r.Kind, r.BatchID)
		return
	case r.Replaced != 0:
		fmt.Fprintf(w, "%s [%s]: batch %d, %d行 (rows), %d条提示 (warnings), 替换批次%d (replaces batch %d)\n",
			r.File, r.Kind, r.BatchID, r.Rows, len(r.Warnings), r.Replaced, r.Replaced)
	default:
		fmt.Fprintf(w, "%s [%s]: batch %d, %d行 (rows), %d条提示 (warnings)\n", r.File, r.Kind, r.BatchID, r.Rows, len(r.Warnings))
	}
	if r.ReceivedBy != "" {
		fmt.Fprintf(w, "  送达时间 %s（%s 补录）\n", r.ReceivedAt.Format("2006-01-02 15:04"), r.ReceivedBy)
	}
	const shown = 10
	for i, wn := range r.Warnings {
		if i == shown {
			fmt.Fprintf(w, "  …另有%d条提示，见 load_warnings (%d more warnings in load_warnings, batch %d)\n", len(r.Warnings)-shown, len(r.Warnings)-shown, r.BatchID)
			break
		}
		fmt.Fprintf(w, "  提示 (warning): %s\n", wn)
	}
}
