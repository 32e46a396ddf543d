// Command landwatch runs the campaign warehouse: generate or load inputs, run the SQL models,
// write briefings and serve the portal. `landwatch help` lists the subcommands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"landwatch/warehouse"
	"landwatch/warehouse/forward"
)

// command is one subcommand; each lives in a file of its own.
type command struct {
	name    string
	args    string // the argument synopsis after the flags
	summary string
	// flags declares the subcommand's flags on fs; run gets the remaining arguments.
	flags func(fs *flag.FlagSet)
	run   func(ctx context.Context, app *app, args []string) error
}

var commands = map[string]*command{}

func register(c *command) { commands[c.name] = c }

// app is what every subcommand shares.
type app struct {
	dbFlag string
	stdout io.Writer
	stderr io.Writer
	log    *slog.Logger
}

// errNotBuilt is returned by a subcommand whose issue is not done yet: it is never faked.
type errNotBuilt struct {
	what  string
	issue int
}

func (e errNotBuilt) Error() string {
	return fmt.Sprintf("%s is not built yet (issue #%d) / 尚未实现", e.what, e.issue)
}

// usageError makes main print the subcommand's usage and exit 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, argv []string, stdout, stderr io.Writer) int {
	a := &app{stdout: stdout, stderr: stderr,
		log: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))}
	global := flag.NewFlagSet("landwatch", flag.ContinueOnError)
	global.SetOutput(stderr)
	global.StringVar(&a.dbFlag, "db", "", "warehouse file (else $LANDWATCH_DB, else ./landwatch.duckdb)")
	global.Usage = func() { printHelp(stderr) }
	if err := global.Parse(argv); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	rest := global.Args()
	if len(rest) == 0 || rest[0] == "help" || rest[0] == "-h" {
		if len(rest) > 1 {
			if c, ok := commands[rest[1]]; ok {
				printUsage(stdout, c, flagSet(c, a, stdout))
				return 0
			}
		}
		printHelp(stdout)
		if len(rest) == 0 {
			return 2
		}
		return 0
	}
	c, ok := commands[rest[0]]
	if !ok {
		fmt.Fprintf(stderr, "landwatch: unknown command %q (未知命令)\n\n", rest[0])
		printHelp(stderr)
		return 2
	}
	fs := flagSet(c, a, stderr)
	if err := fs.Parse(rest[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(stdout, c, fs)
			return 0
		}
		return 2
	}
	err := c.run(ctx, a, fs.Args())
	if errors.Is(err, warehouse.ErrLocked) && c.name != "serve" {
		// Another process holds the warehouse: if it is `landwatch serve`, let it run the command.
		handled, code, ferr := forward.Forward(ctx, warehouse.Resolve(a.dbFlag), argv, stdout, stderr)
		if handled {
			if ferr != nil {
				fmt.Fprintf(stderr, "landwatch %s: %v\n", c.name, ferr)
			}
			return code
		}
		err = fmt.Errorf("%w\n(%v: stop the process that holds the warehouse, then retry / 请先停止占用数据仓库的进程再重试)", err, ferr)
	}
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "landwatch %s: %s\n\n", c.name, ue.msg)
		printUsage(stderr, c, fs)
		return 2
	case errors.Is(err, context.Canceled):
		fmt.Fprintf(stderr, "landwatch %s: cancelled (已取消)\n", c.name)
		return 130
	default:
		fmt.Fprintf(stderr, "landwatch %s: %v\n", c.name, err)
		return 1
	}
}

func flagSet(c *command, a *app, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&a.dbFlag, "db", a.dbFlag, "warehouse file (else $LANDWATCH_DB, else ./landwatch.duckdb)")
	if c.flags != nil {
		c.flags(fs)
	}
	fs.Usage = func() {}
	return fs
}

func printUsage(w io.Writer, c *command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "usage: landwatch %s [flags] %s\n\n%s\n\nflags:\n", c.name, c.args, c.summary)
	fs.SetOutput(w)
	fs.PrintDefaults()
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "landwatch — 打击非法违法采矿、乱占土地专项行动数据平台\n\nusage: landwatch [--db FILE] COMMAND [flags] [args]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		summary, _, _ := strings.Cut(commands[n].summary, "\n")
		fmt.Fprintf(w, "  %-8s %s\n", n, summary)
	}
	fmt.Fprintln(w, "\n`landwatch COMMAND --help` describes one command.")
}
