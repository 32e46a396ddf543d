package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"landwatch/internal/cliflag"
	"landwatch/queries"
)

func exportCommand() *command {
	return &command{
		name: "export",
		args: "parquet --out 目录 [--as-of 日期]",
		summary: "把数据仓库截至某日的数据导出为开放的 Parquet 文件，供全省汇总和 Spark 使用：\n" +
			"目录/marts/<数据表>.parquet（带县名）、目录/power_readings/day=YYYY-MM-DD/*.parquet、目录/meters.parquet，\n" +
			"以及 目录/manifest.json（县、截至日期、结构版本、参数、行数、每个文件的 SHA-256）。\n" +
			"只导出截至该日已送达的数据；早于最近一次计算的日期按当时的数据重新计算。",
		setup: func(fs *flag.FlagSet) runFunc {
			var asOf, out string
			fs.StringVar(&asOf, "as-of", "", "截至日期 YYYY-MM-DD（默认：最近一次运行模型的截至日期）")
			fs.StringVar(&out, "out", "", "导出目录（须不存在或为空）")
			return func(ctx context.Context, a *app, args []string) error {
				if len(args) == 0 || args[0] != "parquet" {
					return usageError{"请给出格式：parquet"}
				}
				sub := cliflag.New("export parquet", io.Discard)
				sub.StringVar(&asOf, "as-of", asOf, "")
				sub.StringVar(&out, "out", out, "")
				sub.StringVar(&a.dbFlag, "db", a.dbFlag, "")
				if err := sub.Parse(args[1:]); err != nil {
					return flagError(sub, err)
				}
				if sub.NArg() > 0 {
					return usageError{fmt.Sprintf("多余的参数：%s", strings.Join(sub.Args(), " "))}
				}
				if out == "" {
					return usageError{"请用 --out 指定输出目录"}
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
				start := time.Now()
				m, err := queries.Export(ctx, db, queries.ExportOptions{Out: out, AsOf: day})
				if err != nil {
					return err
				}
				var bytes int64
				for _, f := range m.Files {
					bytes += f.Bytes
				}
				fmt.Fprintf(a.stdout, "%s 截至 %s 的数据已导出到 %s：%d 个文件，共 %.1f MB，用时 %s\n", m.County, m.AsOf, out,
					len(m.Files), float64(bytes)/1e6, seconds(time.Since(start)))
				names := make([]string, 0, len(m.Rows))
				for n := range m.Rows {
					names = append(names, n)
				}
				sort.Strings(names)
				for _, n := range names {
					fmt.Fprintf(a.stdout, "  %-36s %12d 行\n", n, m.Rows[n])
				}
				return nil
			}
		},
	}
}
