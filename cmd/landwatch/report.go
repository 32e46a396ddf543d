package main

import "context"

func init() {
	register(&command{
		name:    "report",
		args:    "weekly --as-of DATE --out FILE.pdf",
		summary: "Write the weekly PDF briefing for leaders.",
		run: func(ctx context.Context, a *app, args []string) error {
			return errNotBuilt{"landwatch report", 6}
		},
	})
}
