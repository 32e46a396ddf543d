package main

import "context"

func init() {
	register(&command{
		name:    "gen",
		args:    "--out DIR [--scale tiny|county|large] [--seed N]",
		summary: "Generate a deterministic synthetic county: every input file plus truth.json.",
		run: func(ctx context.Context, a *app, args []string) error {
			return errNotBuilt{"landwatch gen", 2}
		},
	})
}
