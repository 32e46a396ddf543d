package main

import "context"

func init() {
	register(&command{
		name:    "audit",
		args:    "verify",
		summary: "Verify the hash-chained audit log.",
		run: func(ctx context.Context, a *app, args []string) error {
			return errNotBuilt{"landwatch audit", 5}
		},
	})
}
