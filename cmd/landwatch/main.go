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

	"landwatch/internal/cliflag"
	"landwatch/internal/oserr"
	"landwatch/warehouse"
	"landwatch/warehouse/forward"
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
	return []*command{accountabilityCommand(), auditCommand(), benchCommand(), demoCommand(), exportCommand(), genCommand(),
		initCommand(), loadCommand(), modelsCommand(), notifyCommand(), powerCommand(), provinceCommand(), reportCommand(), serveCommand(), sqlCommand(), templateCommand(), userCommand()}
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
	// Everything landwatch writes — exports, reports, digests, generated files, the demo folder,
	// and what DuckDB writes for it (COPY … TO) — is its owner's only, whatever the umask it was
	// started with.
	warehouse.PrivateFiles()
	a := &app{stdout: stdout, stderr: stderr,
		log: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo, ReplaceAttr: chineseLog}))}
	global := cliflag.New("landwatch", stderr)
	global.StringVar(&a.dbFlag, "db", "", "数据仓库文件（不给时用 $LANDWATCH_DB，再不给用 ./landwatch.duckdb）")
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
		fmt.Fprintf(stderr, "landwatch：未知命令“%s”。%s\n\n", rest[0], suggest(rest[0]))
		printHelp(stderr)
		return 2
	}
	fs, runCmd := flagSet(c, a, stderr)
	if err := fs.Parse(rest[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(stdout, c, fs)
			return 0
		}
		fmt.Fprintln(stderr)
		printUsage(stderr, c, fs)
		return 2
	}
	err := runCmd(ctx, a, fs.Args())
	if errors.Is(err, warehouse.ErrLocked) && c.name != "serve" {
		// Another process holds the warehouse: if it is `landwatch serve`, let it run the command.
		handled, code, ferr := forward.Forward(ctx, warehouse.Resolve(a.dbFlag), argv, stdout, stderr)
		if handled {
			if ferr != nil {
				fmt.Fprintf(stderr, "landwatch %s: %s\n", c.name, oserr.Text(ferr))
			}
			return code
		}
		if errors.Is(ferr, forward.ErrNoServer) {
			err = fmt.Errorf("%w\n（占用它的不是本数据仓库的服务，无法代为执行：请先停止该进程再重试）", err)
		} else {
			err = fmt.Errorf("%w\n（%v：请先停止占用数据仓库的进程再重试）", err, ferr)
		}
	}
	var ue usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		// --help given to a subcommand's own flags (report weekly --help)
		printUsage(stdout, c, fs)
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "landwatch %s: %s\n\n", c.name, ue.msg)
		printUsage(stderr, c, fs)
		return 2
	case errors.Is(err, context.Canceled):
		fmt.Fprintf(stderr, "landwatch %s：已取消\n", c.name)
		return 130
	default:
		// the OS's errors (a folder that cannot be made, a full disk, a port in use) in Chinese
		fmt.Fprintf(stderr, "landwatch %s: %s\n", c.name, oserr.Text(err))
		return 1
	}
}

// flagSet makes the flag set of one invocation of c and what runs with its values; it writes a
// mistake in its flags, in Chinese, on out.
func flagSet(c *command, a *app, out io.Writer) (*flag.FlagSet, runFunc) {
	fs := cliflag.New(c.name, out)
	fs.StringVar(&a.dbFlag, "db", a.dbFlag, "数据仓库文件（不给时用 $LANDWATCH_DB，再不给用 ./landwatch.duckdb）")
	runCmd := c.setup(fs)
	fs.Usage = func() {}
	return fs, runCmd
}

func printUsage(w io.Writer, c *command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "用法：landwatch %s [选项] %s\n\n%s\n\n", c.name, c.args, c.summary)
	cliflag.PrintFlags(w, fs)
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "landwatch — 打击非法违法采矿、乱占土地专项行动数据平台\n\n用法：landwatch [--db 文件] 命令 [选项] [参数]\n\n命令：")
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
	fmt.Fprintln(w, "\n`landwatch 命令 --help` 查看一个命令的说明。")
}

// suggest says which command a mistyped one probably was: “您是不是要输入 …？”, or lists the commands.
func suggest(typed string) string {
	best, bestD := "", 3
	for _, c := range commandList() {
		if d := editDistance(typed, c.name); d < bestD {
			best, bestD = c.name, d
		}
	}
	if best != "" {
		return fmt.Sprintf("您是不是要输入“landwatch %s”？", best)
	}
	return "`landwatch help` 列出全部命令。"
}

// editDistance is the Levenshtein distance between two words.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}
