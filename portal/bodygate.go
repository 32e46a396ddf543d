package portal

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"

	"landwatch/portal/tipstore"
)

// Request bodies are streamed (Fiber's StreamRequestBody): bodyGate decides from the headers
// alone whether a body may be read at all, and reads it into memory up to the route's limit. A
// tip's proof of work and its address's hourly limit are checked before its body (up to the upload
// limit, e.g. 100 MB) is read; a staff form's session before its upload.

// smallBody is the most read from a request that is no upload (forms, JSON, messages), and the
// largest tip body that may still carry its form token and proof of work inside (as JSON fields).
const smallBody = 1 << 20

// admittedKey holds, in a request's locals, the admission of a tip checked before its body.
const admittedKey = "landwatch.admitted"

type admission struct {
	once sync.Once
	undo func()
	kept bool
}

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
	switch {
	case isUploadRoute(method, path):
		limit = s.uploadLimit()
	case strings.HasPrefix(path, "/staff/") && method == fiber.MethodPost && path != "/staff/login":
		if u, _ := s.current(c); u == nil {
			return refuse(fiber.StatusUnauthorized, errors.New("请先登录"))
		}
		limit = s.uploadLimit()
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
		// without one, is refused before its files are read
		if w := s.receiptBk.wait(clientIP(c), s.opt.now()); w > 0 {
			return refuse(fiber.StatusTooManyRequests, fmt.Errorf("错误次数过多，请 %d 秒后再试", int(w.Seconds())+1))
		}
		if path == "/api/v1/tips/evidence" && c.Get("X-Receipt") == "" {
			return refuse(fiber.StatusNotFound, tipstore.ErrNoReceipt)
		}
	}
	if req.IsBodyStream() {
		b, err := io.ReadAll(io.LimitReader(c.Context().RequestBodyStream(), int64(limit)+1))
		if err != nil {
			return refuse(fiber.StatusBadRequest, errors.New("请求内容不完整"))
		}
		if len(b) > limit {
			admitted(c).release()
			return refuse(fiber.StatusRequestEntityTooLarge, s.tooLarge())
		}
		req.SetBody(b)
	}
	return c.Next()
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
		if ok, perIP := s.tipLimit.room(clientIP(c), s.opt.now()); !ok {
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
			return fiber.StatusBadRequest, errTokenBad
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
