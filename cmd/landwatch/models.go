package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/mattn/go-runewidth"

	"landwatch/audit"
	"landwatch/campaign"
	"landwatch/internal/cliflag"
	"landwatch/queries"
)

func modelsCommand() *command {
	return &command{
		name: "models",
		args: "run [--as-of 日期] | freeze --as-of 日期 [--by 姓名] | list",
		summary: "计算数据模型（源数据整理、中间、成果三层）并运行数据测试。\n" +
			"`run` 按依赖顺序计算全部模型，列出每个模型的行数和用时；\n" +
			"`freeze` 锁定某日的乡镇记分卡、违法点位和整改台账：报告按锁定时的数据显示，哈希写入审计日志，\n" +
			"此后送达时间不晚于该日的文件不能再导入；\n" +
			"`list` 列出模型关系（层、模型、物化方式、读取的表）。",
		setup: func(fs *flag.FlagSet) runFunc {
			var asOf string
			asOfFlag := func(fs *flag.FlagSet) {
				fs.StringVar(&asOf, "as-of", "", "截至日期 YYYY-MM-DD（默认：今天；专项行动结束后为其最后一天）")
			}
			asOfFlag(fs)
			return func(ctx context.Context, a *app, args []string) error {
				if len(args) == 0 {
					return usageError{"请给出 run、freeze 或 list"}
				}
				switch args[0] {
				case "list":
					if len(args) > 1 {
						return usageError{"list 不带参数"}
					}
					return listModels(a)
				case "run":
					fs := cliflag.New("models run", io.Discard)
					asOfFlag(fs)
					if err := fs.Parse(args[1:]); err != nil {
						return flagError(fs, err)
					}
					if fs.NArg() > 0 {
						return usageError{fmt.Sprintf("多余的参数：%s", fs.Arg(0))}
					}
					var day time.Time
					if asOf != "" {
						var err error
						if day, err = time.Parse("2006-01-02", asOf); err != nil {
							return usageError{fmt.Sprintf("--as-of “%s”：日期格式应为 2023-04-30", asOf)}
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
					fs := cliflag.New("models freeze", io.Discard)
					asOfFlag(fs)
					fs.StringVar(&by, "by", "", "锁定人（默认 $USER）")
					if err := fs.Parse(args[1:]); err != nil {
						return flagError(fs, err)
					}
					if fs.NArg() > 0 {
						return usageError{fmt.Sprintf("多余的参数：%s", fs.Arg(0))}
					}
					day, err := time.Parse("2006-01-02", asOf)
					if err != nil {
						return usageError{fmt.Sprintf("freeze 需要 --as-of 锁定日期（如 2023-04-30），收到“%s”", asOf)}
					}
					by = actor(by)
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
						"sha256": f.SHA256, "scorecards": f.Scorecards, "violations": f.Violations, "ledger": f.Ledger,
						"bound": audit.Bind("freezes", f.AsOf.Format(time.DateOnly))}); err != nil {
						return fmt.Errorf("已锁定，但审计日志未记录：%w", err)
					}
					fmt.Fprintf(a.stdout, "%s 已锁定（%s，%s）：记分卡 %d 行，违法点位 %d 处，台账 %d 项，哈希 %s\n",
						f.AsOf.Format(time.DateOnly), f.FrozenAt.Format("2006-01-02 15:04"), f.FrozenBy, f.Scorecards, f.Violations, f.Ledger, f.SHA256[:16])
					return nil
				default:
					return usageError{fmt.Sprintf("未知操作“%s”：应为 run、freeze 或 list", args[0])}
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
	// the layer and how a model is kept in Chinese; the model's name as `sql` takes it
	fmt.Fprintf(a.stdout, "%s %s %s %s %s\n", runewidth.FillRight("层", 10), runewidth.FillRight("模型", 34),
		runewidth.FillRight("物化", 4), runewidth.FillRight("测试数", 6), "读取")
	for _, m := range models {
		deps := append(append([]string{}, m.Deps...), m.Sources...)
		line := fmt.Sprintf("%s %s %s %s %s", runewidth.FillRight(campaign.Label("model_layer", m.Layer), 10),
			runewidth.FillRight(m.Name, 34), runewidth.FillRight(campaign.Label("materialization", m.Materialized), 4),
			runewidth.FillRight(fmt.Sprint(len(m.Tests)), 6), strings.Join(deps, "、"))
		fmt.Fprintln(a.stdout, strings.TrimRight(line, " "))
	}
	return nil
}
