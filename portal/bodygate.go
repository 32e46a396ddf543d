package portal

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"landwatch/portal/gate"
	"landwatch/store/tipstore"
)

// Request bodies are streamed (Fiber's StreamRequestBody): bodyGate decides from the headers
// alone whether a body may be read at all, and reads it up to the route's limit. A tip's proof of
// work and its address's hourly limit are checked before its body (up to the upload limit, e.g.
// 100 MB) is read; a staff form's session before its upload; more evidence's receipt and a large
// staff form's CSRF token before the rest of the body (from a header, or from the form's first
// field, the only part read first). Every body then takes its size from the server's budget of
// bytes in flight (portal/gate/budget.go) before it is read, and gives it back when its handler returns.
// A large multipart body is kept in an unlinked temporary file rather than in memory (its files
// are parsed from there); other bodies are read into memory, once.

// smallBody is the most read from a request that is no upload (forms, JSON, messages), and the
// largest tip body that may still carry its form token and proof of work inside (as JSON fields).
const smallBody = 1 << 20

// loginBody is the most read of a sign-in form: a user name has at most 64 bytes (maxNameLen).
const loginBody = 16 << 10

// budgetWait is how long a body waits for room in the budget of bytes in flight before it is
// refused as busy (503).
const budgetWait = 20 * time.Second

// admittedKey holds, in a request's locals, the admission of a tip checked before its body;
// receiptKey the tip of more evidence whose receipt was checked before its body.
const (
	admittedKey = "landwatch.admitted"
	receiptKey  = "landwatch.receipt"
)

type admission struct {
	once sync.Once
	undo func()
	kept bool
}

// gateReceipt is a receipt bodyGate checked, and its tip.
type gateReceipt struct{ code, id string }

// release gives back the token and the rate-limit slot of a tip that was not stored.
func (a *admission) release() {
	if a != nil && !a.kept {
		a.once.Do(a.undo)
	}
}

func admitted(c *fiber.Ctx) *admission {
	a, _ := c.Locals(admittedKey).(*admission)
	return a
}

func isUploadRoute(method, path string) bool {
	if method != fiber.MethodPost {
		return false
	}
	switch path {
	case "/tip", "/api/v1/tips", "/status/evidence", "/api/v1/tips/evidence":
		return true
	}
	return false
}

var (
	errFormStale    = errors.New("表单已失效或来自别处，请返回刷新后重试")
	errReceiptFirst = errors.New("请在举报进度页面输入回执码后再补充材料")
)

// bodyGate runs before every handler.
func (s *Server) bodyGate(c *fiber.Ctx) error {
	req := c.Request()
	path, method := c.Path(), c.Method()
	limit := smallBody
	refuse := func(code int, err error) error {
		c.Context().SetConnectionClose() // the unread body is never read
		if strings.HasPrefix(path, "/api/") {
			return c.Status(code).JSON(fiber.Map{"error": err.Error()})
		}
		return s.renderStatus(c, code, "error", page{Title: "提交未被接受", Error: err.Error()})
	}
	var sess *session
	staffPost := strings.HasPrefix(path, "/staff/") && method == fiber.MethodPost && path != "/staff/login"
	switch {
	case isUploadRoute(method, path):
		limit = s.uploadLimit()
	case path == "/staff/login":
		limit = loginBody
	case staffPost:
		u, ss := s.current(c)
		if u == nil {
			return refuse(fiber.StatusUnauthorized, errors.New("请先登录"))
		}
		sess, limit = ss, s.uploadLimit()
	}
	if len(req.Header.Peek(fiber.HeaderContentEncoding)) > 0 {
		return refuse(fiber.StatusUnsupportedMediaType, errors.New("不接受压缩的请求内容"))
	}
	cl := req.Header.ContentLength()
	if cl > limit {
		return refuse(fiber.StatusRequestEntityTooLarge, s.tooLarge())
	}
	if method == fiber.MethodPost && (path == "/tip" || path == "/api/v1/tips") {
		if code, err := s.preAdmit(c, cl, path == "/tip"); err != nil {
			return refuse(code, err)
		}
	}
	if method == fiber.MethodPost && (path == "/status/evidence" || path == "/api/v1/tips/evidence") {
		// more evidence needs a receipt: an address throttled for wrong receipts, or an API call
		// without one or with a wrong one, is refused before its files are read
		if w := s.receiptBk.Wait(clientIP(c), s.opt.now()); w > 0 {
			return refuse(fiber.StatusTooManyRequests, fmt.Errorf("错误次数过多，请 %d 秒后再试", int(w.Seconds())+1))
		}
		if path == "/api/v1/tips/evidence" {
			if c.Get("X-Receipt") == "" {
				return refuse(fiber.StatusNotFound, tipstore.ErrNoReceipt)
			}
			if err := s.gateReceipt(c, c.Get("X-Receipt")); err != nil {
				return refuse(receiptStatus(err), err)
			}
		}
	}
	if !req.IsBodyStream() {
		return c.Next()
	}
	stream := c.Context().RequestBodyStream()
	boundary := string(req.Header.MultipartFormBoundary())
	big := cl < 0 || cl > smallBody
	var head []byte
	if big {
		want := ""
		switch {
		case path == "/status/evidence" && method == fiber.MethodPost:
			want = "receipt"
		case staffPost && c.Get("X-CSRF-Token") != "":
			if c.Get("X-CSRF-Token") != sess.csrf {
				return refuse(fiber.StatusForbidden, errFormStale)
			}
		case staffPost:
			want = "_csrf"
		}
		if want != "" {
			miss := errFormStale
			if want == "receipt" {
				miss = errReceiptFirst
			}
			if boundary == "" {
				return refuse(fiber.StatusBadRequest, miss)
			}
			val, consumed, ok := gate.FirstField(stream, boundary, want)
			if !ok {
				return refuse(fiber.StatusBadRequest, miss)
			}
			head = consumed
			switch want {
			case "receipt":
				if err := s.gateReceipt(c, val); err != nil {
					return refuse(receiptStatus(err), err)
				}
			case "_csrf":
				if val == "" || val != sess.csrf {
					return refuse(fiber.StatusForbidden, errFormStale)
				}
			}
		}
	}
	weight := int64(cl)
	if cl < 0 {
		weight = int64(limit)
	}
	if weight > 0 {
		if !s.inflight.Take(c.Context(), weight, budgetWait) {
			admitted(c).release()
			c.Set(fiber.HeaderRetryAfter, "30")
			return refuse(fiber.StatusServiceUnavailable, gate.ErrBusy)
		}
		defer s.inflight.Give(weight)
	}
	body := io.MultiReader(bytes.NewReader(head), stream)
	if big && boundary != "" {
		f, n, err := gate.Spool(body, limit)
		if err != nil {
			admitted(c).release()
			if errors.Is(err, gate.ErrTooLarge) {
				return refuse(fiber.StatusRequestEntityTooLarge, s.tooLarge())
			}
			return refuse(fiber.StatusBadRequest, errors.New("请求内容不完整"))
		}
		defer f.Close()
		req.SetBodyStream(f, int(n))
		return c.Next()
	}
	b := make([]byte, 0, min(max(cl, 0), limit)+1)
	b, err := gate.ReadAllInto(b, io.LimitReader(body, int64(limit)+1))
	if err != nil {
		return refuse(fiber.StatusBadRequest, errors.New("请求内容不完整"))
	}
	if len(b) > limit {
		admitted(c).release()
		return refuse(fiber.StatusRequestEntityTooLarge, s.tooLarge())
	}
	req.SetBodyRaw(b) // not copied: the body is held once
	return c.Next()
}

// gateReceipt checks a receipt before the body it came with is read, and keeps its tip for the
// handler (webReceipt, apiReceipt) so the receipt is not hashed twice.
func (s *Server) gateReceipt(c *fiber.Ctx, code string) error {
	id, status, err := s.receiptTip(c, code)
	if err != nil {
		if status == fiber.StatusInternalServerError {
			return fmt.Errorf("查询回执码失败：%w", err)
		}
		return err
	}
	c.Locals(receiptKey, gateReceipt{code: strings.Clone(code), id: id})
	return nil
}

// receiptStatus is the HTTP status of a receipt refused by gateReceipt.
func receiptStatus(err error) int {
	switch {
	case errors.Is(err, tipstore.ErrNoReceipt):
		return fiber.StatusNotFound
	case strings.HasPrefix(err.Error(), "查询回执码失败"):
		return fiber.StatusInternalServerError
	}
	return fiber.StatusTooManyRequests
}

func (s *Server) uploadLimit() int {
	return (s.cfg.Portal.MaxFiles*s.cfg.Portal.MaxFileMB + 2) << 20
}

func (s *Server) tooLarge() error {
	return fmt.Errorf("上传内容过大：每个文件不超过 %d MB，最多 %d 个", s.cfg.Portal.MaxFileMB, s.cfg.Portal.MaxFiles)
}

// preAdmit checks a tip before its body: the form token, proof of work and the address's hourly
// limit when the token comes in the URL (the web form) or in headers (X-Pow-Token, X-Pow-Nonce);
// without proof of work, the hourly limit alone. A tip whose token is not there may only be small:
// its token is then read from its fields.
func (s *Server) preAdmit(c *fiber.Ctx, cl int, web bool) (int, error) {
	if !web && s.opt.powBits == 0 {
		if ok, perIP := s.tipLimit.Room(clientIP(c), s.opt.now()); !ok {
			return fiber.StatusTooManyRequests, s.limitError(perIP)
		}
		return 0, nil
	}
	// copies: the token is kept in the spent-token map beyond this request
	tok := strings.Clone(cmpOr(c.Query("pow_token"), c.Get("X-Pow-Token")))
	nonce := strings.Clone(cmpOr(c.Query("pow_nonce"), c.Get("X-Pow-Nonce")))
	if tok == "" {
		if cl >= 0 && cl <= smallBody {
			return 0, nil
		}
		if web {
			return fiber.StatusBadRequest, gate.ErrTokenBad
		}
		return fiber.StatusBadRequest, errPowMissing
	}
	undo, code, err := s.admit(c, tok, nonce, web)
	if err != nil {
		return code, err
	}
	c.Locals(admittedKey, &admission{undo: undo})
	return 0, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
