package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"strings"

	"landwatch/audit"
	"landwatch/portal"
	"landwatch/warehouse"
	"landwatch/warehouse/forward"
)

func init() {
	var addr, proxyHeader string
	var perIP, powBits int
	register(&command{
		name: "serve",
		args: "[--addr HOST:PORT] [--tips-per-ip-hour N] [--pow-bits N]",
		summary: "Serve the portal: public tips, staff consoles, charts.\n" +
			"While it runs, load, models, sql, report, user and audit from other processes of the same user\n" +
			"are forwarded to it over the Unix socket <db>.sock.",
		flags: func(fs *flag.FlagSet) {
			fs.StringVar(&addr, "addr", "127.0.0.1:8080", "listen address")
			fs.IntVar(&perIP, "tips-per-ip-hour", -1, "tips an hour per IP address, 0 = no limit (default: the campaign config's)")
			fs.IntVar(&powBits, "pow-bits", -1, "proof-of-work bits of the tip form, 0 = off (default: the campaign config's)")
			fs.StringVar(&proxyHeader, "proxy-header", "", "behind a reverse proxy on this machine: the header with the client address (e.g. X-Real-IP), used for rate limits in memory only")
		},
		run: func(ctx context.Context, a *app, args []string) error {
			if len(args) > 0 {
				return usageError{"serve takes no arguments"}
			}
			if sharedDB(ctx) != nil {
				return errors.New("the server is already running on this warehouse (服务已在运行)")
			}
			db, err := warehouse.Open(ctx, warehouse.Resolve(a.dbFlag), warehouse.Options{RefuseShared: true})
			if err != nil {
				return err
			}
			defer db.Close()
			opt := portal.DefaultOptions()
			opt.Logger = a.log
			opt.ProxyHeader = proxyHeader
			if perIP > 0 {
				opt.TipsPerIPHour = perIP
			}
			opt.DisableTipsPerIPLimit = perIP == 0
			if powBits > 0 {
				opt.PowBits = powBits
			}
			opt.DisablePow = powBits == 0
			srv, err := portal.New(ctx, db, opt)
			if err != nil {
				return err
			}
			defer srv.Close()
			fwd, err := forward.Listen(ctx, db.Path, func(ctx context.Context, argv []string, stdout, stderr io.Writer) int {
				return runForwarded(context.WithValue(ctx, auditorKey{}, audit.Auditor(srv)), db, argv, stdout, stderr)
			}, a.log)
			if err != nil {
				return err
			}
			defer fwd.Close()
			bctx, stopBriefings := context.WithCancel(ctx)
			briefings, err := startBriefings(bctx, a, db) // weekly PDF briefings (reports)
			if err != nil {
				stopBriefings()
				return err
			}
			defer func() { stopBriefings(); <-briefings }()
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return fmt.Errorf("listen on %s: %w", addr, err)
			}
			fmt.Fprintf(a.stdout, "landwatch serving http://%s (warehouse %s; other commands forwarded via %s)\n", ln.Addr(), db.Path, forward.SocketPath(db.Path))
			return srv.Serve(ctx, ln)
		},
	})
}

type sharedKey struct{}

// sharedDB is the warehouse of the running server, for commands forwarded to it.
func sharedDB(ctx context.Context) *warehouse.DB {
	db, _ := ctx.Value(sharedKey{}).(*warehouse.DB)
	return db
}

// forwardable are the commands the server runs for other processes.
var forwardable = map[string]bool{"load": true, "models": true, "sql": true, "report": true, "user": true, "audit": true}

// runForwarded runs a forwarded command line on the server's warehouse.
func runForwarded(ctx context.Context, db *warehouse.DB, argv []string, stdout, stderr io.Writer) int {
	name, _ := commandOf(argv)
	if !forwardable[name] {
		fmt.Fprintf(stderr, "landwatch %s: cannot run while `landwatch serve` holds %s; stop the server first (请先停止服务)\n", name, db.Path)
		return 1
	}
	// sql checks its statement itself, before anything is prepared (sqlguard.go).
	return run(context.WithValue(ctx, sharedKey{}, db), argv, stdout, stderr)
}

// commandOf finds the subcommand after the global flags.
func commandOf(argv []string) (string, []string) {
	for i := 0; i < len(argv); i++ {
		a := argv[i]
		switch {
		case a == "--db" || a == "-db":
			i++
		case strings.HasPrefix(a, "-"):
		default:
			return a, argv[i+1:]
		}
	}
	return "", nil
}
