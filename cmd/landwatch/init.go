package main

import (
	"context"
	"flag"
	"fmt"

	"landwatch/campaign"
	"landwatch/warehouse"
)

func init() {
	var configFile string
	register(&command{
		name:    "init",
		summary: "Create or update the warehouse and put a campaign configuration in force (default: the embedded Qinyuan 2023 campaign).",
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&configFile, "config", "", "campaign configuration TOML (default: the embedded one)")
		},
		run: func(ctx context.Context, a *app, args []string) error {
			if len(args) > 0 {
				return usageError{"init takes no arguments"}
			}
			cfg := campaign.Default()
			if configFile != "" {
				var err error
				if cfg, err = campaign.Load(configFile); err != nil {
					return err
				}
			}
			file := warehouse.Resolve(a.dbFlag)
			db, err := warehouse.Open(ctx, file, warehouse.Options{Config: cfg})
			if err != nil {
				return err
			}
			defer db.Close()
			migs, err := db.AppliedMigrations(ctx)
			if err != nil {
				return err
			}
			villages := 0
			for _, t := range cfg.Townships {
				villages += len(t.Villages)
			}
			fmt.Fprintf(a.stdout, "warehouse %s: schema version %d; campaign %s (%s), %s, %d townships, %d villages, %s – %s\n",
				file, migs[len(migs)-1], cfg.Campaign.Name, cfg.Source, cfg.County.Name, len(cfg.Townships), villages,
				cfg.Start().Format("2006-01-02"), cfg.End().Format("2006-01-02"))
			return nil
		},
	})
}
