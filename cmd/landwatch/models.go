package main

import "context"

func init() {
	register(&command{
		name:    "models",
		args:    "run [--as-of YYYY-MM-DD] | list",
		summary: "Build the SQL models (staging, intermediate, marts) and run their data tests.",
		run: func(ctx context.Context, a *app, args []string) error {
			return errNotBuilt{"landwatch models", 4}
		},
	})
}
