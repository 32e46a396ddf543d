package main

import "context"

func init() {
	register(&command{
		name:    "load",
		args:    "KIND FILE...",
		summary: "Load input files into the warehouse. KIND: inspection, rectification, patrol, cases, meters, power, power-checks, imagery, clues.",
		run: func(ctx context.Context, a *app, args []string) error {
			return errNotBuilt{"landwatch load", 3}
		},
	})
}
