package main

import "context"

func init() {
	register(&command{
		name:    "user",
		args:    "add --name NAME --role ROLE",
		summary: "Manage staff accounts.",
		run: func(ctx context.Context, a *app, args []string) error {
			return errNotBuilt{"landwatch user", 5}
		},
	})
}
