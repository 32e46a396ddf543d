package portal

import (
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"landwatch/etl"
	"landwatch/etl/template"
	"landwatch/portal/view"
	"landwatch/store/accounts"
)

// uploadTemplate sends the template of a kind the user may upload (etl/template): the columns
// exactly as the loader reads them and one example row.
func (s *Server) uploadTemplate(c *fiber.Ctx, u *accounts.User) error {
	kind := param(c, "kind")
	if !slices.ContainsFunc(s.kindsFor(u), func(k kindOption) bool { return k.Kind == kind }) {
		return fiber.ErrNotFound
	}
	k, err := etl.ParseKind(kind)
	if err != nil {
		return fiber.ErrNotFound
	}
	data, err := template.For(s.cfg, k)
	if err != nil {
		return err
	}
	name := template.Name(k)
	if strings.HasSuffix(name, ".csv") {
		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	} else {
		c.Set(fiber.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	}
	view.Attachment(c, name)
	return c.Send(data)
}
