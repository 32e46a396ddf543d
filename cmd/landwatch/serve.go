package main

import "context"

func init() {
	register(&command{
		name:    "serve",
		args:    "[--addr HOST:PORT]",
		summary: "Serve the portal: public tips, staff consoles, charts.",
		run: func(ctx context.Context, a *app, args []string) error {
			return errNotBuilt{"landwatch serve", 5}
		},
	})
}
