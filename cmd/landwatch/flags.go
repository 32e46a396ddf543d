package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"time"

	"landwatch/internal/cliflag"
)

// flagDate parses the date given to --name (YYYY-MM-DD); zero when none was given.
func flagDate(name, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, usageError{fmt.Sprintf("--%s “%s”：日期格式应为 2023-04-30", name, s)}
	}
	return d, nil
}

// actor is who a command records as having acted: --by when given, else the login name, else "cli".
func actor(by string) string {
	if by == "" {
		by = os.Getenv("USER")
	}
	if by == "" {
		by = "cli"
	}
	return by
}

// flagError is what a subcommand returns when its own flag set (report weekly's, user add's)
// refused its flags: flag.ErrHelp, for which main prints the command's usage on stdout, or a
// usageError with the mistake in Chinese.
func flagError(fs *flag.FlagSet, err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return flag.ErrHelp
	}
	return usageError{cliflag.Message(fs, err)}
}
