package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"landwatch/campaign"
	"landwatch/etl"
	"landwatch/etl/template"
	"landwatch/internal/cliflag"
)

// templateCommand writes the template of an input kind (etl/template): the columns exactly as
// the loader reads them and one example row — the same file the upload page offers.
func templateCommand() *command {
	var kinds []string
	for _, k := range template.Kinds() {
		kinds = append(kinds, string(k)+"（"+campaign.Label("input", string(k))+"）")
	}
	return &command{
		name: "template",
		args: "类型 --out 文件",
		summary: "写出一类报表的填报模板（表头与导入时读取的列完全一致，另有一行示例；用电数据为 csv，其余为 xlsx）。\n" +
			"类型：" + strings.Join(kinds, "、"),
		setup: func(fs *flag.FlagSet) runFunc {
			var out, configFile string
			fs.StringVar(&out, "out", "", "写到的文件")
			fs.StringVar(&configFile, "config", "", "专项行动配置文件（示例行取其中的乡镇、村、类别；默认内置配置）")
			return func(ctx context.Context, a *app, args []string) error {
				if len(args) == 0 {
					return usageError{"请给出报表类型"}
				}
				kind := args[0]
				sub := cliflag.New("template "+kind, io.Discard)
				sub.StringVar(&out, "out", out, "")
				sub.StringVar(&configFile, "config", configFile, "")
				if err := sub.Parse(args[1:]); err != nil {
					return flagError(sub, err)
				}
				if sub.NArg() > 0 {
					return usageError{fmt.Sprintf("多余的参数：%s", strings.Join(sub.Args(), " "))}
				}
				if out == "" {
					return usageError{"请用 --out 给出要写的文件"}
				}
				k, err := etl.ParseKind(kind)
				if err != nil || !isTemplateKind(k) {
					return usageError{fmt.Sprintf("没有“%s”这类报表的模板", kind)}
				}
				cfg := campaign.Default()
				if configFile != "" {
					if cfg, err = campaign.Load(configFile); err != nil {
						return err
					}
				}
				data, err := template.For(cfg, k)
				if err != nil {
					return err
				}
				if err := os.WriteFile(out, data, 0o600); err != nil {
					return fmt.Errorf("写入模板 %s 失败：%w", out, err)
				}
				fmt.Fprintf(a.stdout, "已写出%s模板：%s\n", campaign.Label("input", string(k)), out)
				return nil
			}
		},
	}
}

func isTemplateKind(k etl.Kind) bool {
	for _, t := range template.Kinds() {
		if t == k {
			return true
		}
	}
	return false
}
