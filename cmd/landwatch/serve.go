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

func serveCommand() *command {
	return &command{
		name: "serve",
		args: "[--addr 地址:端口] [--tips-per-ip-hour 条数] [--pow-bits 位数] [--proxy-header 请求头 --trusted-proxies 地址,…]",
		summary: "启动门户网站：群众举报、各单位工作台、统计图表。\n" +
			"运行期间，同一用户在其他终端执行的 load、models、sql、report、user、audit 命令\n" +
			"经本机套接字 <db>.sock 转交给它执行。",
		setup: func(fs *flag.FlagSet) runFunc {
			var addr, proxyHeader, trusted string
			var perIP, powBits int
			fs.StringVar(&addr, "addr", "127.0.0.1:8080", "监听地址")
			fs.IntVar(&perIP, "tips-per-ip-hour", -1, "每个IP地址每小时可提交的举报数，0 为不限（默认：按配置）")
			fs.IntVar(&powBits, "pow-bits", -1, "举报表单的工作量证明难度（位），0 为关闭（默认：按配置）")
			fs.StringVar(&proxyHeader, "proxy-header", "", "经反向代理访问时，携带客户端地址的请求头（如 X-Real-IP，须为单个IP地址），只在内存中用于限流；须同时给出 --trusted-proxies")
			fs.StringVar(&trusted, "trusted-proxies", "", "反向代理连接本服务所用的地址或地址段，逗号分隔（如 127.0.0.2,10.0.0.1）；只有来自这些地址的请求头才被采信")
			return func(ctx context.Context, a *app, args []string) error {
				if len(args) > 0 {
					return usageError{"serve 不带参数"}
				}
				if sharedDB(ctx) != nil {
					return errors.New("服务已在这个数据仓库上运行")
				}
				db, err := warehouse.Open(ctx, warehouse.Resolve(a.dbFlag), warehouse.Options{RefuseShared: true})
				if err != nil {
					return err
				}
				defer db.Close()
				opt := portal.DefaultOptions()
				opt.Logger = a.log
				opt.ProxyHeader = proxyHeader
				if trusted != "" {
					opt.TrustedProxies = strings.Split(trusted, ",")
				}
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
				// From here on, no statement on the warehouse reads or writes another file (forwarded
				// `sql` included), except what a loader stages (warehouse/seal.go).
				if err := db.SealRunning(ctx); err != nil {
					return err
				}
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
				sweeps := startNoticeSweep(bctx, a, db) // overdue notices, every morning (store/notify)
				defer func() { stopBriefings(); <-sweeps }()
				ln, err := net.Listen("tcp", addr)
				if err != nil {
					return fmt.Errorf("无法监听 %s：%w", addr, err)
				}
				fmt.Fprintf(a.stdout, "landwatch 门户已启动：http://%s（数据仓库 %s；其他命令经 %s 转交）\n", ln.Addr(), db.Path, forward.SocketPath(db.Path))
				return srv.Serve(ctx, ln)
			}
		},
	}
}

type sharedKey struct{}

// sharedDB is the warehouse of the running server, for commands forwarded to it.
func sharedDB(ctx context.Context) *warehouse.DB {
	db, _ := ctx.Value(sharedKey{}).(*warehouse.DB)
	return db
}

// forwardable are the commands the server runs for other processes.
var forwardable = map[string]bool{"load": true, "models": true, "sql": true, "report": true, "user": true, "audit": true, "notify": true, "power": true}

// runForwarded runs a forwarded command line on the server's warehouse.
func runForwarded(ctx context.Context, db *warehouse.DB, argv []string, stdout, stderr io.Writer) int {
	name, _ := commandOf(argv)
	if !forwardable[name] {
		fmt.Fprintf(stderr, "landwatch %s：`landwatch serve` 正在使用 %s，此命令不能同时运行；请先停止服务\n", name, db.Path)
		return 1
	}
	// sql checks its statement itself, before anything is prepared (cmd/landwatch/sqlread/guard.go).
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
