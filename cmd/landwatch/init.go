package main

import (
	"context"
	"flag"
	"fmt"

	"landwatch/campaign"
	"landwatch/warehouse"
)

func initCommand() *command {
	return &command{
		name:    "init",
		summary: "建立或升级数据仓库，并启用一份专项行动配置（默认：内置的沁源县2023年方案）。",
		setup: func(fs *flag.FlagSet) runFunc {
			var configFile, boundariesFile string
			fs.StringVar(&configFile, "config", "", "专项行动配置文件 TOML（默认：内置的沁源县2023年方案）")
			fs.StringVar(&boundariesFile, "boundaries", "", "乡镇边界 GeoJSON（优先于配置中的 county.boundaries；两者都没有时保留已存的边界）")
			return func(ctx context.Context, a *app, args []string) error {
				if len(args) > 0 {
					return usageError{"init 不带参数"}
				}
				cfg := campaign.Default()
				if configFile != "" {
					var err error
					if cfg, err = campaign.Load(configFile); err != nil {
						return err
					}
				}
				// Boundaries are read and checked before the warehouse is touched.
				bpath := boundariesFile
				if bpath == "" {
					bpath = cfg.BoundariesPath()
				}
				var bounds []campaign.Boundary
				if bpath != "" {
					var err error
					if bounds, err = campaign.LoadBoundaries(bpath, cfg); err != nil {
						return err
					}
				}
				file := warehouse.Resolve(a.dbFlag)
				db, err := warehouse.Open(ctx, file, warehouse.Options{Config: cfg, RefuseShared: true})
				if err != nil {
					return err
				}
				defer db.Close()
				if bpath != "" {
					if err := db.SetBoundaries(ctx, bounds); err != nil {
						return err
					}
				}
				stored, err := db.Boundaries(ctx)
				if err != nil {
					return err
				}
				migs, err := db.AppliedMigrations(ctx)
				if err != nil {
					return err
				}
				villages := 0
				for _, t := range cfg.Townships {
					villages += len(t.Villages)
				}
				source := cfg.Source // the configuration's file
				if source == campaign.Default().Source {
					source = "内置的默认方案"
				}
				fmt.Fprintf(a.stdout, "数据仓库 %s：结构版本 %d；专项行动 %s（%s），%s，%d 个乡镇，%d 个村，%s 至 %s\n",
					file, migs[len(migs)-1], cfg.Campaign.Name, source, cfg.County.Name, len(cfg.Townships), villages,
					cfg.Start().Format("2006-01-02"), cfg.End().Format("2006-01-02"))
				switch {
				case bpath != "":
					fmt.Fprintf(a.stdout, "乡镇边界：%d 个，来自 %s\n", len(stored), bpath)
				case len(stored) > 0:
					fmt.Fprintf(a.stdout, "乡镇边界：%d 个，沿用以前导入的\n", len(stored))
				}
				configured := map[string]bool{}
				for _, t := range cfg.Townships {
					configured[t.Name] = true
				}
				for _, b := range stored {
					if !configured[b.Township] {
						a.log.Warn("已存的乡镇边界与配置不符，请运行 init --boundaries", "乡镇", b.Township)
					}
				}
				return nil
			}
		},
	}
}
