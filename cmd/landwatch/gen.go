package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"landwatch/campaign"
	"landwatch/etl/synth"
)

func genCommand() *command {
	return &command{
		name:    "gen",
		args:    "--out 目录 [--scale tiny|county|large] [--seed 种子] [--config 文件]",
		summary: "生成确定性的合成县数据：全部各类输入文件，以及标准答案 truth.json。",
		setup: func(fs *flag.FlagSet) runFunc {
			var out, scale, configFile string
			var seed int64
			fs.StringVar(&out, "out", "", "输出目录（必填）")
			fs.StringVar(&scale, "scale", "county", "规模：tiny（测试用）、county（约5000块电表，演示用）或 large（1亿条以上读数）")
			fs.Int64Var(&seed, "seed", 1, "随机种子；种子和规模相同，生成的文件逐字节相同")
			fs.StringVar(&configFile, "config", "", "专项行动配置文件 TOML（默认：内置的沁源县2023年方案）")
			return func(ctx context.Context, a *app, args []string) error {
				if out == "" {
					return usageError{"请用 --out 指定输出目录"}
				}
				if len(args) > 0 {
					return usageError{fmt.Sprintf("多余的参数：%s", strings.Join(args, " "))}
				}
				cfg := campaign.Default()
				if configFile != "" {
					var err error
					if cfg, err = campaign.Load(configFile); err != nil {
						return err
					}
				}
				start := time.Now()
				m, err := synth.Generate(ctx, synth.Options{Out: out, Scale: scale, Seed: seed, Config: cfg, Progress: a.stdout})
				if err != nil {
					return err
				}
				counts := map[string]int64{}
				files := map[string]int{}
				for _, f := range m.Files {
					counts[f.Kind] += f.Rows
					files[f.Kind]++
				}
				fmt.Fprintf(a.stdout, "\n生成完成：%s（规模 %s，种子 %d），用时 %.1f 秒：\n", out, m.Scale, m.Seed, time.Since(start).Seconds())
				for _, k := range synth.Kinds {
					fmt.Fprintf(a.stdout, "  %s：%d 个文件，%d 行\n", campaign.Label("input", k), files[k], counts[k])
				}
				fmt.Fprintf(a.stdout, "  %s（供 init --boundaries 使用）、manifest.json、truth.json\n", m.Boundaries)
				return nil
			}
		},
	}
}
