package portal

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"landwatch/campaign"
	"landwatch/portal/view"
	"landwatch/portal/web"
	"landwatch/store/accounts"
)

// page and navItem are web.Page and web.NavItem: what every template gets.
type (
	page    = web.Page
	navItem = web.NavItem
)

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
	// person words who acted (portal/view/people.go): {{person $.People .By}}
	"person": view.PersonWords,
	// weekName is a week kept as an ISO week code (2023-W17) written by its dates: 2023年4月24日至30日
	"weekName": campaign.WeekName,
	// label is campaign.Label: the Chinese word for a code of a label column
	"label": campaign.Label,
	"eq2":   func(a, b string) bool { return a == b },
	"kb":    func(n int64) string { return fmt.Sprintf("%.0f KB", float64(n)/1024) },
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
		t, err := template.New(name).Funcs(funcs).Funcs(template.FuncMap{"word": s.cellWord, "localTime": s.localTime}).ParseFS(templateFS, "templates/layout.html", "templates/"+e.Name())
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
		if p.People == nil {
			p.People, _ = accounts.People(c.UserContext(), s.db) // on a failure every actor is worded as an office
		}
	}
	p.Error, p.Notice = view.ChineseOnly(p.Error), view.ChineseOnly(p.Notice)
	for k, v := range p.Errors {
		p.Errors[k] = view.ChineseOnly(v)
	}
	b, err := s.renderPage(t, name, p)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Status(code).Send(b)
}

// renderPage executes a page's template with the layout.
func (s *Server) renderPage(t *template.Template, name string, p page) ([]byte, error) {
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, "layout", struct {
		page
		County string
	}{p, s.cfg.County.Name}); err != nil {
		return nil, fmt.Errorf("render %s: %w", name, err)
	}
	return b.Bytes(), nil
}

// httpFS adapts an fs.FS for the filesystem middleware.
func httpFS(f fs.FS) http.FileSystem { return http.FS(f) }

// localTime writes a stored instant in the county's time zone (campaign time), to the minute: pages
// never show UTC.
func (s *Server) localTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(s.cfg.Location()).Format("2006-01-02 15:04")
}

// cellWord is view.CellWord under this server's configuration (the templates' word).
func (s *Server) cellWord(col, v string) string { return view.CellWord(s.cfg, col, v) }

// auditText is view.AuditText under this server's configuration.
func (s *Server) auditText(actor, action, object, detail string) string {
	return view.AuditText(s.cfg, actor, action, object, detail)
}
