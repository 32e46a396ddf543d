// Package portal is the HTTP layer of the web portal: anonymous tips with receipt codes and rewards
// for citizens, the staff consoles by role under /staff/. It owns the routes (routes.go, one table),
// sessions, sign-in and rate limits, proof of work, the body gate, rendering and templates; its
// handlers are thin and call the stores: tips and rewards (store/tipstore), cases and clues
// (store/casestore), accounts (store/accounts), uploads (portal/intake), evidence sanitizers
// (internal/sanitize), the audit chain (audit). portal/README.md lists them all.
//
// Privacy rules kept here: on citizen routes no IP address, user agent or referrer is written to
// the warehouse, the files or the logs (the request log has method, route pattern, status and
// duration only); IP addresses are used in memory only, for rate limits; every response carries
// Cache-Control: no-store and Referrer-Policy: no-referrer.
package portal

import (
	"cmp"
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/utils"
	"golang.org/x/net/netutil"

	"landwatch/audit"
	"landwatch/campaign"
	"landwatch/internal/gcpace"
	"landwatch/portal/auditlog"
	"landwatch/portal/casework"
	"landwatch/portal/fines"
	"landwatch/portal/gate"
	"landwatch/portal/notices"
	"landwatch/portal/power"
	"landwatch/portal/web"
	"landwatch/store/accounts"
	"landwatch/store/casestore"
	"landwatch/store/tipstore"
	"landwatch/warehouse"
	"landwatch/warehouse/secret"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Options configure a Server. The zero value is the safe default: the campaign configuration's
// hourly limits and proof of work, a 5 s wait for tips sent without JavaScript. Turning a protection
// off takes an explicit Disable field; a negative value is refused.
type Options struct {
	// TipsPerIPHour is how many tips an address may send an hour; 0: the configuration's
	// portal.tips_per_ip_hour.
	TipsPerIPHour int
	// DisableTipsPerIPLimit lifts the per-address limit.
	DisableTipsPerIPLimit bool
	// TipsPerHour is how many tips the portal takes an hour in all; 0: the configuration's
	// portal.tips_per_hour.
	TipsPerHour int
	// DisableTipsPerHourLimit lifts the overall limit.
	DisableTipsPerHourLimit bool
	// PowBits is the proof-of-work difficulty of the tip form and API (at most 28); 0: the
	// configuration's portal.pow_bits.
	PowBits int
	// DisablePow turns proof of work off.
	DisablePow bool
	// NoJSDelay is how long a tip sent without proof of work (no JavaScript) waits, and the least age of
	// its form; 0: 5 s.
	NoJSDelay time.Duration
	// Logger receives the request log and errors; nil: nothing is logged.
	Logger *slog.Logger
	// Now is the clock (default time.Now); tests and the demo may set it.
	Now func() time.Time
	// ProxyHeader names the header carrying the client address (e.g. X-Real-IP) when the portal runs
	// behind a reverse proxy; it is read only from the peers in TrustedProxies, must hold one IP
	// address (else the peer address is used and the value logged), and is used for the in-memory
	// rate limits only. Empty: the TCP peer address.
	ProxyHeader string
	// MaxConnections is how many connections the server keeps open at once; 0: 4096. Idle
	// connections cannot fill the memory, and one over the limit waits to be accepted.
	MaxConnections int
	// TrustedProxies are the addresses (or CIDR ranges) the reverse proxy connects from; required
	// with ProxyHeader. A dedicated address (e.g. 127.0.0.2) keeps other local processes, which
	// connect from 127.0.0.1, from choosing their own address.
	TrustedProxies []string
	// HashSlots is how many Argon2id hashes may run at once; 0: one per core, fewer when memory is
	// short.
	HashSlots int
}

// DefaultOptions are the safe defaults (the zero Options).
func DefaultOptions() Options { return Options{} }

// settings are the options resolved against the configuration: 0 here means "off".
type settings struct {
	tipsPerIPHour, tipsPerHour, powBits int
	noJSDelay                           time.Duration
	now                                 func() time.Time
	log                                 *slog.Logger
}

// resolve validates the options and fills the defaults from the configuration.
func (o Options) resolve(cfg *campaign.Config) (settings, error) {
	for name, v := range map[string]int{"每个地址每小时举报条数": o.TipsPerIPHour, "每小时举报总条数": o.TipsPerHour, "工作量证明难度（位）": o.PowBits,
		"同时计算的哈希数": o.HashSlots} {
		if v < 0 {
			return settings{}, fmt.Errorf("%s 为 %d：不能为负数（关闭一项限制请用对应的关闭选项）", name, v)
		}
	}
	if o.NoJSDelay < 0 {
		return settings{}, fmt.Errorf("未启用脚本时的等待时间 %v：不能为负数", o.NoJSDelay)
	}
	st := settings{tipsPerIPHour: cmp.Or(o.TipsPerIPHour, cfg.Portal.TipsPerIPHour), tipsPerHour: cmp.Or(o.TipsPerHour, cfg.Portal.TipsPerHour),
		powBits: cmp.Or(o.PowBits, cfg.Portal.PowBits), noJSDelay: cmp.Or(o.NoJSDelay, 5*time.Second), now: o.Now, log: o.Logger}
	if o.DisableTipsPerIPLimit {
		st.tipsPerIPHour = 0
	}
	if o.DisableTipsPerHourLimit {
		st.tipsPerHour = 0
	}
	if o.DisablePow {
		st.powBits = 0
	}
	if st.powBits > 28 {
		return settings{}, fmt.Errorf("工作量证明难度为 %d 位：最多 28 位", st.powBits)
	}
	if st.now == nil {
		st.now = time.Now
	}
	if st.log == nil {
		st.log = slog.New(slog.DiscardHandler)
	}
	return st, nil
}

// Server is the portal.
type Server struct {
	db  *warehouse.DB
	cfg *campaign.Config
	opt settings
	log *slog.Logger
	// citizenLog logs citizens' requests to the hour only (hourHandler)
	citizenLog *slog.Logger
	keys       *secret.Keys
	// proxyHeader carries the client address from a trusted proxy (proxy.go)
	proxyHeader string
	// maxConns is how many connections Serve keeps open at once (Options.MaxConnections)
	maxConns int
	// auditLog is the hash-chained audit log (audit.Chain); store/chain is another thing, the
	// transfers to discipline inspection
	auditLog *audit.Chain
	// kit is what the handlers of portal/power share with these (web.Kit)
	kit      *web.Kit
	power    *power.Pages    // the power company's console (portal/power)
	fines    *fines.Pages    // the finance bureau's console (portal/fines)
	notices  *notices.Pages  // notifications (portal/notices)
	auditlog *auditlog.Pages // the audit log (portal/auditlog)
	casework *casework.Pages // cases, clues, stages, acceptance and restoration (portal/casework)
	app      *fiber.App
	pages    map[string]*template.Template
	// citizenPages are the tip form and receipt rendered once (citizenpages.go)
	citizenPages citizenPages

	tipLimit  *gate.HourLimiter
	receiptBk *gate.Backoff // wrong receipts per IP
	loginIP   *gate.Backoff // sign-in attempts per address, counted before the hash
	loginPair *gate.Backoff // sign-in attempts per (user name, address), counted before the hash
	loginUser *gate.Backoff // wrong passwords per user name from every address (slows, never locks)
	inflight  *gate.Budget  // bytes of request bodies held at once (portal.max_inflight_mb)
	hasher    *accounts.Hasher
	accounts  *accounts.Store
	forms     *gate.Tokens
	sessions  *sessions

	tips  *tipstore.Store
	cases *casestore.Store

	routes []Route
	hooks  Hooks
}

// maxConnections is the most connections the server keeps open at once unless
// Options.MaxConnections says otherwise. Serve accepts no more (a further one waits in the
// system's queue until one closes), so fasthttp's own limit, set a little above, never answers
// with its English busy text.
const maxConnections = 4096

// New builds the server on an open, writable warehouse. It creates the secret file next to the
// warehouse if needed.
func New(ctx context.Context, db *warehouse.DB, o Options) (*Server, error) {
	cfg, err := db.Config(ctx)
	if err != nil {
		return nil, err
	}
	opt, err := o.resolve(cfg)
	if err != nil {
		return nil, err
	}
	proxies, err := gate.TrustedProxies(o.ProxyHeader, o.TrustedProxies)
	if err != nil {
		return nil, err
	}
	k, err := secret.Load(db.Path, true)
	if err != nil {
		return nil, err
	}
	s := &Server{proxyHeader: o.ProxyHeader, maxConns: cmp.Or(o.MaxConnections, maxConnections), db: db, cfg: cfg, opt: opt, log: opt.log, citizenLog: slog.New(hourHandler{opt.log.Handler()}), keys: k,
		tipLimit:  gate.NewHourLimiter(opt.tipsPerIPHour, opt.tipsPerHour),
		receiptBk: gate.NewBackoff(5, 2*time.Second, 10*time.Minute),
		loginIP:   gate.NewBackoff(loginIPFree, 2*time.Second, 15*time.Minute),
		loginPair: gate.NewBackoff(loginPairFree, 2*time.Second, 15*time.Minute),
		loginUser: gate.NewBackoff(loginUserCeiling, 0, 0),
		hasher:    accounts.NewHasher(o.HashSlots),
		inflight:  gate.NewBudget(cfg.Portal.MaxInflight()),
		forms:     gate.NewTokens(k.FormKey()),
		sessions:  newSessions(),
	}
	s.accounts = accounts.NewStore(db, s.hasher, opt.now)
	if s.auditLog, err = audit.OpenChain(ctx, db, k, opt.now, opt.log); err != nil {
		return nil, err
	}
	if err := s.parseTemplates(); err != nil {
		return nil, err
	}
	s.app = fiber.New(fiber.Config{
		DisableStartupMessage: true,
		BodyLimit:             (cfg.Portal.MaxFiles*cfg.Portal.MaxFileMB + 2) << 20,
		// open connections at once (Fiber's default is 262,144, each holding its buffers): far
		// more than a county's portal sees, few enough that idle ones cannot fill the memory
		Concurrency:             cmp.Or(o.MaxConnections, maxConnections) + 64,
		ReadTimeout:             2 * time.Minute,
		WriteTimeout:            2 * time.Minute,
		IdleTimeout:             2 * time.Minute,
		ErrorHandler:            s.errorHandler,
		AppName:                 "landwatch",
		ProxyHeader:             o.ProxyHeader,
		EnableTrustedProxyCheck: true, // no peer is trusted unless listed (proxy.go)
		TrustedProxies:          proxies,
		EnableIPValidation:      true,
		// bodies are read by bodyGate, after the checks that need only the headers
		StreamRequestBody:            true,
		DisablePreParseMultipartForm: true,
	})
	s.hooks = s.defaultHooks()
	s.kit = &web.Kit{DB: db, Cfg: cfg, Audit: s.auditLog, Now: opt.now, RenderStatus: s.renderStatus} // the stores below
	s.power = &power.Pages{Kit: s.kit}
	s.fines, s.notices, s.auditlog = &fines.Pages{Kit: s.kit}, &notices.Pages{Kit: s.kit}, &auditlog.Pages{Kit: s.kit}
	s.casework = &casework.Pages{Kit: s.kit}
	s.app.Use(s.baseMiddleware)
	s.app.Use(recover.New()) // a panic answers 500 instead of ending the process
	s.app.Use(s.bodyGate)
	s.mountRoutes()
	s.app.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
	if s.tips, err = tipstore.Open(ctx, tipstore.Config{DB: db, Campaign: cfg, Keys: k, Chain: s.auditLog, Hasher: s.hasher, Now: opt.now}); err != nil {
		return nil, err
	}
	s.cases = casestore.New(db, cfg, s.auditLog, opt.now)
	s.kit.Tips, s.kit.Cases = s.tips, s.cases
	return s, nil
}

// Tips is the store of tips, rewards and payouts (the demo and tests call it directly).
func (s *Server) Tips() *tipstore.Store { return s.tips }

// Cases is the store of cases and clues as the member units work them.
func (s *Server) Cases() *casestore.Store { return s.cases }

// Close stops what the server started (the tip committer) and waits for it: tips already queued
// are committed first, later ones are refused. Serve must have returned; Close may be called more
// than once.
func (s *Server) Close() error { return s.tips.Close() }

// App is the Fiber application (for tests: app.Test).
func (s *Server) App() *fiber.App { return s.app }

// DB is the warehouse the server owns.
func (s *Server) DB() *warehouse.DB { return s.db }

// Config is the campaign configuration in force.
func (s *Server) Config() *campaign.Config { return s.cfg }

// Serve answers on ln until ctx ends, then shuts down gracefully.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	defer gcpace.Start()() // each receipt hash's 19 MiB would start a collection (internal/gcpace)
	errc := make(chan error, 1)
	go func() { errc <- s.app.Listener(netutil.LimitListener(ln, s.maxConns)) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return s.app.ShutdownWithContext(sctx)
	}
}

// logFor is the logger of a request: a citizen's requests are logged with the time to the hour
// only, staff requests as they are.
func (s *Server) logFor(c *fiber.Ctx) *slog.Logger {
	if strings.HasPrefix(c.Path(), "/staff") {
		return s.log
	}
	return s.citizenLog
}

// hourHandler logs records with their time truncated to the hour.
type hourHandler struct{ slog.Handler }

func (h hourHandler) Handle(ctx context.Context, r slog.Record) error {
	r.Time = r.Time.Truncate(time.Hour)
	return h.Handler.Handle(ctx, r)
}

func (h hourHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return hourHandler{h.Handler.WithAttrs(as)}
}
func (h hourHandler) WithGroup(n string) slog.Handler { return hourHandler{h.Handler.WithGroup(n)} }

// securityHeaders are set on every answer, errors Fiber answers before any handler (431, 413)
// included.
func securityHeaders(c *fiber.Ctx) {
	h := &c.Response().Header
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; connect-src 'self'")
}

// baseMiddleware sets the privacy and security headers and logs the request without IP, user
// agent, referrer, query string or path parameters.
func (s *Server) baseMiddleware(c *fiber.Ctx) error {
	start := time.Now()
	c.Locals(clientIPKey{}, s.resolveClientIP(c))
	securityHeaders(c)
	err := c.Next()
	if err != nil {
		if herr := s.app.ErrorHandler(c, err); herr != nil {
			c.Status(fiber.StatusInternalServerError)
		}
	}
	s.logFor(c).Info("请求", "方法", c.Method(), "路径", c.Route().Path, "状态码", c.Response().StatusCode(),
		"毫秒", time.Since(start).Milliseconds())
	return nil
}

// statusWords are the Chinese answers to the errors Fiber raises with its English status text.
var statusWords = map[int]string{
	fiber.StatusBadRequest: "请求有误，请返回重试", fiber.StatusUnauthorized: "请先登录", fiber.StatusForbidden: "没有权限访问此页面",
	fiber.StatusRequestTimeout: "请求超时，请重试", fiber.StatusUnsupportedMediaType: "不支持的提交格式",
	fiber.StatusTooManyRequests: "请求过于频繁，请稍后再试", fiber.StatusRequestHeaderFieldsTooLarge: "请求头过大",
	fiber.StatusServiceUnavailable: "服务暂不可用，请稍后再试", fiber.StatusUnprocessableEntity: "提交的内容无法处理",
}

// errorHandler answers errors in Chinese, as JSON on /api/ and as a page elsewhere.
func (s *Server) errorHandler(c *fiber.Ctx, err error) error {
	code := fiber.StatusInternalServerError
	msg := "服务器内部错误，请稍后再试"
	var fe *fiber.Error
	if errors.Is(err, casestore.ErrNotBuilt) { // the models have never been built: say so
		fe = fiber.NewError(fiber.StatusServiceUnavailable, err.Error())
		err = fe
	}
	if errors.As(err, &fe) {
		code = fe.Code
		switch code {
		case fiber.StatusNotFound:
			msg = "页面不存在"
		case fiber.StatusRequestEntityTooLarge:
			msg = fmt.Sprintf("上传内容过大：每个文件不超过 %d MB，最多 %d 个", s.cfg.Portal.MaxFileMB, s.cfg.Portal.MaxFiles)
		case fiber.StatusMethodNotAllowed:
			msg = "不支持的请求方式"
		default:
			msg = fe.Message
			if w, ok := statusWords[code]; ok && fe.Message == utils.StatusMessage(code) { // Fiber's own English words
				msg = w
			}
		}
	} else {
		s.logFor(c).Error("请求处理失败", "路径", c.Route().Path, "错误", err)
	}
	securityHeaders(c)
	if strings.HasPrefix(c.Path(), "/api/") {
		return c.Status(code).JSON(fiber.Map{"error": msg})
	}
	return s.renderStatus(c, code, "error", page{Title: "出错了", Error: msg})
}

// tx runs fn in a transaction on the audit chain (audit.Chain.Tx).
func (s *Server) tx(ctx context.Context, fn func(tx *sql.Tx, au *audit.Tx) error) error {
	return s.auditLog.Tx(ctx, fn)
}

// Audit appends one entry to the audit chain the server holds (commands forwarded to a running
// server append through it).
func (s *Server) Audit(ctx context.Context, actor, action, object string, detail map[string]any) error {
	return s.auditLog.Audit(ctx, actor, action, object, detail)
}

// staticFiles returns the embedded static folder.
func staticFiles() fs.FS {
	sub, _ := fs.Sub(staticFS, "static")
	return sub
}
