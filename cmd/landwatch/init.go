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
		summary: "Create or update the warehouse and put a campaign configuration in force (default: the embedded Qinyuan 2023 campaign).",
		setup: func(fs *flag.FlagSet) runFunc {
			var configFile, boundariesFile string
			fs.StringVar(&configFile, "config", "", "campaign configuration TOML (default: the embedded one)")
			fs.StringVar(&boundariesFile, "boundaries", "", "township boundaries GeoJSON (overrides county.boundaries; without either, the stored ones are kept)")
			return func(ctx context.Context, a *app, args []string) error {
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
				fmt.Fprintf(a.stdout, "warehouse %s: schema version %d; campaign %s (%s), %s, %d townships, %d villages, %s – %s\n",
					file, migs[len(migs)-1], cfg.Campaign.Name, cfg.Source, cfg.County.Name, len(cfg.Townships), villages,
					cfg.Start().Format("2006-01-02"), cfg.End().Format("2006-01-02"))
				switch {
				case bpath != "":
					fmt.Fprintf(a.stdout, "township boundaries: %d from %s\n", len(stored), bpath)
				case len(stored) > 0:
					fmt.Fprintf(a.stdout, "township boundaries: %d kept from an earlier init\n", len(stored))
				}
				configured := map[string]bool{}
				for _, t := range cfg.Townships {
					configured[t.Name] = true
				}
				for _, b := range stored {
					if !configured[b.Township] {
						a.log.Warn("stored boundary of a township not in the configuration (乡镇边界与配置不符); run init --boundaries", "township", b.Township)
					}
				}
				return nil
			}
		},
	}
}
