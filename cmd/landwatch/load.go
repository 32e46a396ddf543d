package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"landwatch/audit"
	"landwatch/campaign"
	"landwatch/etl"
	"landwatch/etl/read"
)

func loadCommand() *command {
	return &command{
		name: "load",
		args: "[--received-on 日期[T时:分]] 类型 文件… | manifest 目录",
		summary: "导入数据文件。数据类型：inspection 排查表、rectification 整改台账、patrol 巡查记录、cases 案件、\n" +
			"case-stages 案件环节（成员单位填报本单位负责的办案环节）、meters 用电户档案、power 用电数据、power-checks 用电核查、imagery 卫片图斑、licences 矿业权登记、clues 其他线索、\n" +
			"responsibilities 责任人名册、duties 责任分解表、rechecks 回头看复查、restoration 恢复治理台账、explosives 民爆物品流向、\n" +
			"video 视频监控事件（截图文件与表格放在同一文件夹）、acceptances 整改验收、collections 罚没款收缴（财政局）；\n" +
			"power-alerts 目录：导入 Spark 作业（spark/power_alerts.py）由导出数据算出的用电预警，与 mart_power_alerts 核对。\n" +
			"`load manifest 目录` 导入目录中 manifest.json 列出的全部文件（`landwatch gen` 生成）：用电数据以外的文件在一个事务中导入，\n" +
			"有一个文件出错则这些文件全部不导入，并列出每个出错文件的错误；全部导入后记一条审计记录，列出每个文件及其批次；然后逐个导入用电数据文件。\n" +
			"每个文件要么全部导入，要么一行不导入；同一文件再次导入不做改动；乡镇的更正表替换原表。\n" +
			"每个文件记录送达县里的时间：默认为现在；纸质或U盘早先送达的，用 --received-on 补录（只写日期表示当天结束；\n" +
			"manifest 中每个文件的 received_on 优先）。送达时间不能晚于现在，也不能早于文件中的任何日期。",
		setup: func(fs *flag.FlagSet) runFunc {
			var by, receivedOn string
			var quiet bool
			fs.StringVar(&by, "by", "", "导入人（记入导入批次；默认 $USER）")
			fs.BoolVar(&quiet, "quiet", false, "导入用电数据时不显示进度")
			fs.StringVar(&receivedOn, "received-on", "", "文件送达县里的时间（送达时间），YYYY-MM-DD 或 YYYY-MM-DDTHH:MM，当地时间；默认为现在")
			return func(ctx context.Context, a *app, args []string) error {
				if len(args) < 2 {
					return usageError{"请给出数据类型和至少一个文件，或 `manifest 目录`"}
				}
				by = actor(by)
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
						return usageError{"`load manifest` 只带一个目录"}
					}
					results, err := etl.LoadManifest(ctx, db, cfg, args[1], opt)
					var warns []string
					for _, r := range results {
						printResult(a.stdout, r, 0)
						for _, w := range r.Warnings {
							warns = append(warns, r.File+" "+w.String())
						}
					}
					if aerr := auditLoaded(ctx, au, by, args[1], results); aerr != nil && err == nil {
						err = aerr
					}
					if werr := summarizeWarnings(a.stdout, results, warns, db.Path+".warnings.txt"); werr != nil && err == nil {
						err = werr
					}
					return loadFailed(a.stderr, err)
				}
				kind, err := etl.ParseKind(args[0])
				if err != nil {
					names := make([]string, len(etl.Kinds))
					for i, k := range etl.Kinds {
						names[i] = string(k)
					}
					return usageError{fmt.Sprintf("未知数据类型“%s”：应为 %s", args[0], strings.Join(names, "、"))}
				}
				failed := 0
				for _, file := range args[1:] {
					r, err := etl.LoadFile(ctx, db, cfg, kind, file, opt)
					if err != nil {
						if errors.Is(err, context.Canceled) {
							return err
						}
						fmt.Fprintln(a.stderr, loadError(file, err))
						failed++
						continue
					}
					printResult(a.stdout, r, 10)
					if err := auditStamp(ctx, au, by, r); err != nil {
						return err
					}
				}
				if failed > 0 {
					return fmt.Errorf("%d 个文件未导入（共 %d 个）", failed, len(args)-1)
				}
				return nil
			}
		},
	}
}

// auditStamp records a batch's arrival stamp in the audit chain, bound to the batch: a hand-given
// stamp with who gave it (load.received_stamp), the clock's as load.batch.
func auditStamp(ctx context.Context, au audit.Auditor, by string, r *etl.Result) error {
	if r.AlreadyLoaded {
		return nil
	}
	if r.ReceivedBy == "" {
		return au.Audit(ctx, by, "load.batch", fmt.Sprint(r.BatchID), map[string]any{
			"file": r.File, "kind": string(r.Kind), "received_at": r.ReceivedAt.Format("2006-01-02 15:04"),
			"bound": audit.Bind("load_batches", fmt.Sprint(r.BatchID))})
	}
	return au.Audit(ctx, by, "load.received_stamp", fmt.Sprint(r.BatchID), map[string]any{
		"file": r.File, "kind": string(r.Kind), "received_at": r.ReceivedAt.Format("2006-01-02 15:04"), "given_by": r.ReceivedBy,
		"bound": audit.Bind("load_batches", fmt.Sprint(r.BatchID))})
}

// auditLoaded records a manifest's new batches in one audit entry, each file named with its
// batch and arrival stamp, every batch bound to it (as auditStamp binds one).
func auditLoaded(ctx context.Context, au audit.Auditor, by, dir string, results []*etl.Result) error {
	var files []map[string]any
	var keys []string
	for _, r := range results {
		if r.AlreadyLoaded {
			continue
		}
		f := map[string]any{"batch": r.BatchID, "file": r.File, "kind": string(r.Kind), "received_at": r.ReceivedAt.Format("2006-01-02 15:04")}
		if r.ReceivedBy != "" {
			f["given_by"] = r.ReceivedBy
		}
		files = append(files, f)
		keys = append(keys, fmt.Sprint(r.BatchID))
	}
	if len(files) == 0 {
		return nil
	}
	span := keys[0]
	if len(keys) > 1 {
		span += "–" + keys[len(keys)-1]
	}
	return au.Audit(ctx, by, "load.manifest", filepath.Base(filepath.Clean(dir)), map[string]any{
		"files": len(files), "batches": span, "list": files, "bound": audit.BindAll("load_batches", keys...)})
}

func loadFailed(w io.Writer, err error) error {
	if err == nil || errors.Is(err, context.Canceled) {
		return err
	}
	var me *etl.ManifestError
	if errors.As(err, &me) {
		fmt.Fprintln(w, me)
		return fmt.Errorf("%d 个文件有错误，清单中的表格文件未导入", len(me.Files))
	}
	var fe *etl.FileError
	if errors.As(err, &fe) {
		fmt.Fprintln(w, fe)
		return fmt.Errorf("%s 未导入", fe.File)
	}
	return err
}

// printResult prints one file's result on a line, and up to shown of its warnings under it.
func printResult(w io.Writer, r *etl.Result, shown int) {
	if r.AlreadyLoaded {
		fmt.Fprintf(w, "%s【%s】：已导入过（批次 %d），未做改动\n", r.File, campaign.Label("input", string(r.Kind)), r.BatchID)
		return
	}
	line := fmt.Sprintf("%s【%s】：批次 %d，%d 行，%d 条提示", r.File, campaign.Label("input", string(r.Kind)), r.BatchID, r.Rows, len(r.Warnings))
	if r.Replaced != 0 {
		line += fmt.Sprintf("，替换批次 %d", r.Replaced)
	}
	if r.ReceivedBy != "" {
		// who gave the stamp: a name given with --by, or the actor's words (cli: 系统管理员（命令行）)
		line += fmt.Sprintf("，送达时间 %s，%s补录", r.ReceivedAt.Format("2006-01-02 15:04"), campaign.Label("actor", r.ReceivedBy))
	}
	fmt.Fprintln(w, line)
	for i, wn := range r.Warnings {
		if i == shown {
			if shown > 0 {
				fmt.Fprintf(w, "  …另有 %d 条提示，见批次 %d 的导入提示（load_warnings）\n", len(r.Warnings)-shown, r.BatchID)
			}
			break
		}
		fmt.Fprintf(w, "  提示：%s\n", wn)
	}
}

// summarizeWarnings prints one line per kind of warning with its count and writes every warning,
// one a line, to file (the manifest of a county holds hundreds; nobody reads them on a terminal).
func summarizeWarnings(w io.Writer, results []*etl.Result, all []string, file string) error {
	if len(all) == 0 {
		return nil
	}
	counts := map[string]int{}
	var order []string
	for _, r := range results {
		for _, wn := range r.Warnings {
			k := warningKind(wn.Msg)
			if counts[k] == 0 {
				order = append(order, k)
			}
			counts[k]++
		}
	}
	fmt.Fprintf(w, "导入提示共 %d 条：\n", len(all))
	for _, k := range order {
		fmt.Fprintf(w, "  %s：%d 条\n", k, counts[k])
	}
	if err := os.WriteFile(file, []byte(strings.Join(all, "\n")+"\n"), 0o600); err != nil {
		return fmt.Errorf("写入导入提示清单：%w", err)
	}
	fmt.Fprintf(w, "  全部提示见 %s\n", file)
	return nil
}

// warningKind is what a warning says without its particulars (a code, a name, a number).
func warningKind(msg string) string {
	if i := strings.IndexAny(msg, "0123456789“("); i > 0 {
		msg = msg[:i]
	}
	return strings.TrimRight(strings.TrimSpace(msg), "为：:，")
}

// loadError is why a file was not loaded: the loader's own sentence (it names the file, row and
// column), or in Chinese when the file could not be opened at all.
func loadError(file string, err error) string {
	if r := read.OpenReason(err); r != "" {
		return file + "：" + r
	}
	return err.Error()
}
