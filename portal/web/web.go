// Package web holds what the portal's handlers share, so that a console's handlers can live in a
// package of their own (portal/power, portal/casework, …): the page every template gets, the staff handler's
// signature, the path parameter reader, and Kit — the warehouse, the configuration, the stores,
// the audit log, the clock and the renderer that portal's Server hands them.
package web

import (
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"landwatch/audit"
	"landwatch/campaign"
	"landwatch/internal/sanitize"
	"landwatch/queries/read"
	"landwatch/store/accounts"
	"landwatch/store/casestore"
	"landwatch/store/tipstore"
	"landwatch/warehouse"
)

// Page is what every template gets.
type Page struct {
	Title  string
	Error  string
	Notice string
	Errors map[string]string // per form field
	User   *accounts.User
	CSRF   string
	Nav    []NavItem
	Data   any
	// People are the staff accounts' persons for the template function person
	// (portal/view/people.go), read for every page of a signed-in user.
	People map[string]accounts.Person
}

// NavItem is an entry of the staff menu.
type NavItem struct{ Path, Label string }

// Handler is what a staff route runs, with the signed-in user.
type Handler func(c *fiber.Ctx, u *accounts.User) error

// Kit is what handlers share: the warehouse, the configuration, the stores of tips and cases, the
// audit log, the clock (Now) and the page renderer (RenderStatus: the template name, with the
// layout, the menu and the session's user filled in).
type Kit struct {
	DB           *warehouse.DB
	Cfg          *campaign.Config
	Audit        *audit.Chain
	Tips         *tipstore.Store
	Cases        *casestore.Store
	Now          func() time.Time
	RenderStatus func(c *fiber.Ctx, code int, name string, p Page) error
}

// Render answers 200 with the page.
func (k *Kit) Render(c *fiber.Ctx, name string, p Page) error {
	return k.RenderStatus(c, fiber.StatusOK, name, p)
}

// Today is the campaign's date now (tipstore.Store.Today).
func (k *Kit) Today() time.Time { return k.Tips.Today() }

// ListError answers a refused filter of a list page (400, in Chinese) with the page's template
// tmpl and what data holds of it (its filters); any other error goes on as it is.
func (k *Kit) ListError(c *fiber.Ctx, tmpl, title string, data map[string]any, err error) error {
	if msg := new(read.InputError); errors.As(err, msg) {
		return k.RenderStatus(c, fiber.StatusBadRequest, tmpl, Page{Title: title, Error: string(*msg), Data: data})
	}
	return err
}

// IsPowerCompany says whether u is a department account of the power company
// (power.company_unit).
func (k *Kit) IsPowerCompany(u *accounts.User) bool {
	return u.Role == accounts.RoleDepartment && u.Scope == k.Cfg.PowerCompany()
}

// TownshipNames are the configured townships, in order (a list's filter).
func (k *Kit) TownshipNames() []string {
	var out []string
	for _, t := range k.Cfg.Townships {
		out = append(out, t.Name)
	}
	return out
}

// FormFiles reads the multipart files of field "files" (empty file inputs are skipped).
func (k *Kit) FormFiles(c *fiber.Ctx) ([]tipstore.Evidence, error) {
	form, err := c.MultipartForm()
	if err != nil {
		if errors.Is(err, fiber.ErrUnprocessableEntity) || strings.Contains(err.Error(), "multipart") {
			return nil, nil
		}
		return nil, nil
	}
	var out []tipstore.Evidence
	var heads []*multipart.FileHeader
	heads = append(heads, form.File["files"]...)
	heads = append(heads, form.File["file"]...)
	if len(heads) > k.Cfg.Portal.MaxFiles {
		return nil, &tipstore.InputError{Fields: map[string]string{"files": fmt.Sprintf("最多 %d 个文件", k.Cfg.Portal.MaxFiles)}}
	}
	max := int64(k.Cfg.Portal.MaxFileMB) << 20
	for _, h := range heads {
		if h.Size == 0 && h.Filename == "" {
			continue
		}
		if h.Size > max {
			return nil, &tipstore.InputError{Fields: map[string]string{"files": (&sanitize.FileError{Name: h.Filename, Msg: fmt.Sprintf("超过 %d MB 的上限", k.Cfg.Portal.MaxFileMB)}).Error()}}
		}
		f, err := h.Open()
		if err != nil {
			return nil, err
		}
		data, err := io.ReadAll(io.LimitReader(f, max+1))
		f.Close()
		if err != nil {
			return nil, err
		}
		out = append(out, tipstore.Evidence{Name: h.Filename, Data: data})
	}
	return out, nil
}
