package portal

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"

	"landwatch/portal/accounts"
)

// page is what every template gets.
type page struct {
	Title  string
	Error  string
	Notice string
	Errors map[string]string // per form field
	User   *accounts.User
	CSRF   string
	Nav    []navItem
	Data   any
}

type navItem struct{ Path, Label string }

var funcs = template.FuncMap{
	"roleName": func(r accounts.Role) string { return accounts.RoleNames[r] },
	"actionName": func(a string) string {
		if n, ok := map[string]string{"status": "改状态", "assign": "交办", "link": "关联", "duplicate": "标记重复",
			"category": "设定类别"}[a]; ok {
			return n
		}
		return a
	},
	"join": strings.Join,
	"eq2":  func(a, b string) bool { return a == b },
	"kb":   func(n int64) string { return fmt.Sprintf("%.0f KB", float64(n)/1024) },
	"fileKind": func(kind string) string {
		if n, ok := map[string]string{"image": "照片", "video": "视频", "pdf": "PDF 文件"}[kind]; ok {
			return n
		}
		return "文件"
	},
	"sel": func(a, b string) template.HTMLAttr {
		if a == b {
			return "selected"
		}
		return ""
	},
}

func (s *Server) parseTemplates() error {
	s.pages = map[string]*template.Template{}
	entries, err := fs.ReadDir(templateFS, "templates")
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".html")
		if name == "layout" {
			continue
		}
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/"+e.Name())
		if err != nil {
			return fmt.Errorf("template %s: %w", name, err)
		}
		s.pages[name] = t
	}
	return nil
}

func (s *Server) render(c *fiber.Ctx, name string, p page) error {
	return s.renderStatus(c, fiber.StatusOK, name, p)
}

func (s *Server) renderStatus(c *fiber.Ctx, code int, name string, p page) error {
	t := s.pages[name]
	if t == nil {
		return fmt.Errorf("no template %s", name)
	}
	if p.User == nil {
		if u, sess := s.current(c); u != nil {
			p.User, p.CSRF = u, sess.csrf
		}
	}
	if p.User != nil {
		p.Nav = s.navFor(c.UserContext(), p.User)
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, "layout", struct {
		page
		County string
	}{p, s.cfg.County.Name}); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Status(code).Send(b.Bytes())
}

// httpFS adapts an fs.FS for the filesystem middleware.
func httpFS(f fs.FS) http.FileSystem { return http.FS(f) }
