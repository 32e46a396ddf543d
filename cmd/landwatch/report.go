package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"landwatch/internal/cliflag"
	"landwatch/queries"
	"landwatch/reports"
	"landwatch/reports/finance"
	"landwatch/warehouse"
)

func reportCommand() *command {
	return &command{
		name: "report",
		args: "weekly [--as-of 日期] --out 文件.pdf | dossier --township 乡镇 [--as-of 日期] --out 文件.pdf | duties [--as-of 日期] --out 文件.xlsx | lookback [--as-of 日期] --out 文件.pdf | finance [--as-of 日期] --out 文件.xlsx",
		summary: "生成领导工作周报（PDF）、某乡镇的追责问责材料、责任分解表（xlsx）、回头看报告（PDF）或财政局台账（xlsx：罚没款、奖励资金、县财政承担的恢复治理）。\n" +
			"数字来自数据模型：先运行 `landwatch models run`；--as-of 默认为最近一次运行的截至日期，也可以是它之前的任一天。",
		setup: func(fs *flag.FlagSet) runFunc {
			var asOf, out, township string
			fs.StringVar(&asOf, "as-of", "", "截至日期 YYYY-MM-DD（默认：最近一次运行模型的截至日期）")
			fs.StringVar(&out, "out", "", "输出文件（- 表示标准输出）")
			fs.StringVar(&township, "township", "", "追责问责材料：乡镇名称")
			return func(ctx context.Context, a *app, args []string) error {
				if len(args) == 0 || !slices.Contains([]string{"weekly", "dossier", "duties", "lookback", "finance"}, args[0]) {
					return usageError{"请给出报告类型：weekly、dossier、duties、lookback 或 finance"}
				}
				// Flags may also follow the report's name: report weekly --as-of D --out F.
				sub := cliflag.New("report "+args[0], io.Discard)
				sub.StringVar(&asOf, "as-of", asOf, "")
				sub.StringVar(&out, "out", out, "")
				sub.StringVar(&township, "township", township, "")
				sub.StringVar(&a.dbFlag, "db", a.dbFlag, "")
				if err := sub.Parse(args[1:]); err != nil {
					return flagError(sub, err)
				}
				if sub.NArg() > 0 {
					return usageError{fmt.Sprintf("多余的参数：%s", strings.Join(sub.Args(), " "))}
				}
				if out == "" {
					return usageError{"请用 --out 指定输出文件"}
				}
				if args[0] == "dossier" && township == "" {
					return usageError{"dossier 需要 --township 乡镇名称"}
				}
				var day time.Time
				if asOf != "" {
					var err error
					if day, err = time.Parse(time.DateOnly, asOf); err != nil {
						return usageError{fmt.Sprintf("--as-of “%s”：日期格式应为 2023-04-30", asOf)}
					}
				}
				db, err := a.open(ctx, true)
				if err != nil {
					return err
				}
				defer db.Close()
				if day.IsZero() {
					if day, err = queries.LatestAsOf(ctx, db); err != nil {
						return err
					}
				}
				start := time.Now()
				var buf bytes.Buffer
				switch args[0] {
				case "weekly":
					err = reports.Weekly(ctx, db, day, &buf)
				case "dossier":
					err = reports.Dossier(ctx, db, township, day, &buf)
				case "duties":
					err = reports.DutiesXLSX(ctx, db, day, &buf)
				case "lookback":
					err = reports.Lookback(ctx, db, day, &buf)
				case "finance":
					err = financeXLSX(ctx, db, day, &buf)
				}
				if err != nil {
					return err
				}
				if err := writeOut(out, a.stdout, buf.Bytes()); err != nil {
					return err
				}
				if out != "" && out != "-" {
					name := map[string]string{"weekly": "工作周报", "dossier": "乡镇档案", "lookback": "回头看报告", "duties": "责任分解表",
						"finance": "财政局台账"}[args[0]]
					fmt.Fprintf(a.stderr, "已写出%s %s（截至 %s，%d 字节，用时 %.1f 秒）\n", name, out, day.Format(time.DateOnly), buf.Len(),
						time.Since(start).Seconds())
				}
				return nil
			}
		},
	}
}

// writeOut writes data to the file atomically (a temporary file renamed into place), or to w for "-".
func writeOut(path string, w io.Writer, data []byte) error {
	if path == "-" {
		_, err := w.Write(data)
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".report-*"+filepath.Ext(path))
	if err != nil {
		return writeError(path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return writeError(path, err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return writeError(path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return writeError(path, err)
	}
	return nil
}

// financeXLSX writes the finance bureau's ledger as of day (reports/finance).
func financeXLSX(ctx context.Context, db *warehouse.DB, day time.Time, w io.Writer) error {
	cfg, err := db.Config(ctx)
	if err != nil {
		return err
	}
	l, err := finance.Read(ctx, db, day)
	if err != nil {
		return err
	}
	return finance.XLSX(l, cfg.County.Name, w)
}

// writeError says in Chinese why path could not be written: the folder missing, no permission, the
// disk full, or the system's own words for anything else.
func writeError(path string, err error) error {
	why := err.Error()
	switch {
	case errors.Is(err, fs.ErrNotExist):
		why = "所在目录不存在"
	case errors.Is(err, fs.ErrPermission):
		why = "没有写入权限"
	case errors.Is(err, syscall.ENOSPC):
		why = "磁盘已满"
	}
	return fmt.Errorf("无法写入 %s：%s", path, why)
}
