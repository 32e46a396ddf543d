package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"landwatch/internal/cliflag"
	"landwatch/reports/province"
)

func provinceCommand() *command {
	return &command{
		name: "province",
		args: "--out 文件.pdf 导出目录… | synth --from 导出目录 --counties 县数 --out 目录 [--stale 县数] [--corrupt 县数] [--missing 县数] [--readings]",
		summary: "把多个县的 Parquet 导出（`landwatch export parquet`）汇总成全省的一份 PDF：\n" +
			"各县按漏排率、按期整改率、属地新增排名，全省合计，并列出导出过旧（比最新的晚7天以上）、缺失或损坏的县。不需要数据仓库。\n" +
			"`province synth` 由一份导出生成确定性的合成省份（用于性能基准和 Spark 核对）。",
		setup: func(fs *flag.FlagSet) runFunc {
			var out string
			fs.StringVar(&out, "out", "", "输出的 PDF 文件（- 表示标准输出）；synth：输出目录")
			return func(ctx context.Context, a *app, args []string) error {
				if len(args) > 0 && args[0] == "synth" {
					return provinceSynth(ctx, a, out, args[1:])
				}
				if out == "" {
					return usageError{"请用 --out 指定输出的 PDF 文件"}
				}
				if len(args) == 0 {
					return usageError{"请至少给出一个县的导出目录"}
				}
				start := time.Now()
				p, err := province.ReadProvince(ctx, args, province.ProvinceOptions{})
				if err != nil {
					return err
				}
				var buf bytes.Buffer
				if err := province.ProvincePDF(p, time.Now(), &buf); err != nil {
					return err
				}
				if err := writeOut(out, a.stdout, buf.Bytes()); err != nil {
					return err
				}
				w := a.stdout
				if out == "-" {
					w = a.stderr
				}
				fmt.Fprintf(w, "全省汇总：%d 个县，纳入 %d 个（过期 %d），缺少导出 %d，导出损坏 %d，不予采用 %d；写入 %s，用时 %s\n",
					len(p.Counties), p.Count(province.CountyOK)+p.Count(province.CountyStale), p.Count(province.CountyStale),
					p.Count(province.CountyMissing), p.Count(province.CountyCorrupt), p.Count(province.CountyRefused), out,
					seconds(time.Since(start)))
				for _, c := range p.Counties {
					if c.Status == province.CountyMissing || c.Status == province.CountyCorrupt || c.Status == province.CountyRefused {
						fmt.Fprintf(w, "  %s：%s\n", c.County, c.Problem)
					}
				}
				return nil
			}
		},
	}
}

func provinceSynth(ctx context.Context, a *app, out string, args []string) error {
	opt := province.SynthProvinceOptions{Out: out}
	fs := cliflag.New("province synth", io.Discard)
	fs.StringVar(&opt.From, "from", "", "")
	fs.StringVar(&opt.Out, "out", opt.Out, "")
	fs.IntVar(&opt.Counties, "counties", 117, "")
	fs.IntVar(&opt.Stale, "stale", 0, "")
	fs.IntVar(&opt.Corrupt, "corrupt", 0, "")
	fs.IntVar(&opt.Missing, "missing", 0, "")
	fs.BoolVar(&opt.Readings, "readings", false, "")
	if err := fs.Parse(args); err != nil {
		return flagError(fs, err)
	}
	if opt.From == "" || opt.Out == "" || fs.NArg() > 0 {
		return usageError{"用法：landwatch province synth --from 导出目录 --counties 县数 --out 目录 [--stale 县数] [--corrupt 县数] [--missing 县数] [--readings]"}
	}
	start := time.Now()
	if err := province.SynthProvince(ctx, opt); err != nil {
		return err
	}
	what := "各县导出"
	if opt.Readings {
		what = "全省用电数据样本"
	}
	fmt.Fprintf(a.stdout, "模拟省：%d 个县的%s已写入 %s，用时 %s\n", opt.Counties, what, opt.Out, seconds(time.Since(start)))
	return nil
}
