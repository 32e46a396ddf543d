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

	"landwatch/portal"
	"landwatch/warehouse"
)

// command is one subcommand; each lives in a file of its own.
type command struct {
	name    string
	args    string // the argument synopsis after the flags
	summary string
	// setup declares the subcommand's flags on fs, into variables of this one invocation, and
	// returns what runs with them: commands forwarded to a running server run concurrently in one
	// process, so no flag value outlives its call.
	setup func(fs *flag.FlagSet) runFunc
}

// runFunc runs a subcommand with the arguments left after its flags.
type runFunc func(ctx context.Context, app *app, args []string) error

// commandList is every subcommand, in the order help lists them.
func commandList() []*command {
	return []*command{accountabilityCommand(), auditCommand(), benchCommand(), demoCommand(), genCommand(), initCommand(), loadCommand(),
		modelsCommand(), reportCommand(), serveCommand(), sqlCommand(), userCommand()}
}

// lookup finds a subcommand by name.
func lookup(name string) (*command, bool) {
	for _, c := range commandList() {
		if c.name == name {
			return c, true
		}
	}
	return nil, false
}

// app is what every subcommand shares.
type app struct {
	dbFlag string
	stdout io.Writer
	stderr io.Writer
	log    *slog.Logger
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
			if c, ok := lookup(rest[1]); ok {
				fs, _ := flagSet(c, a, stdout)
				printUsage(stdout, c, fs)
				return 0
			}
		}
		printHelp(stdout)
		if len(rest) == 0 {
			return 2
		}
		return 0
	}
	c, ok := lookup(rest[0])
	if !ok {
		fmt.Fprintf(stderr, "landwatch: unknown command %q (未知命令)\n\n", rest[0])
		printHelp(stderr)
		return 2
	}
	fs, runCmd := flagSet(c, a, stderr)
	if err := fs.Parse(rest[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(stdout, c, fs)
			return 0
		}
		return 2
	}
	err := runCmd(ctx, a, fs.Args())
	if errors.Is(err, warehouse.ErrLocked) && c.name != "serve" {
		// Another process holds the warehouse: if it is `landwatch serve`, let it run the command.
		handled, code, ferr := portal.Forward(ctx, warehouse.Resolve(a.dbFlag), argv, stdout, stderr)
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

// flagSet makes the flag set of one invocation of c and what runs with its values.
func flagSet(c *command, a *app, out io.Writer) (*flag.FlagSet, runFunc) {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(out)
	fs.StringVar(&a.dbFlag, "db", a.dbFlag, "warehouse file (else $LANDWATCH_DB, else ./landwatch.duckdb)")
	runCmd := c.setup(fs)
	fs.Usage = func() {}
	return fs, runCmd
}

func printUsage(w io.Writer, c *command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "usage: landwatch %s [flags] %s\n\n%s\n\nflags:\n", c.name, c.args, c.summary)
	fs.SetOutput(w)
	fs.PrintDefaults()
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "landwatch — 打击非法违法采矿、乱占土地专项行动数据平台\n\nusage: landwatch [--db FILE] COMMAND [flags] [args]\n\ncommands:")
	byName := map[string]*command{}
	for _, c := range commandList() {
		byName[c.name] = c
	}
	names := make([]string, 0, len(byName))
	for n := range byName {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		summary, _, _ := strings.Cut(byName[n].summary, "\n")
		fmt.Fprintf(w, "  %-8s %s\n", n, summary)
	}
	fmt.Fprintln(w, "\n`landwatch COMMAND --help` describes one command.")
}
