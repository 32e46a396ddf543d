package portal

import (
	"fmt"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"landwatch/etl"
	"landwatch/store/accounts"
)

// attachment names the file an answer downloads as: a Chinese name in filename* (RFC 6266, UTF-8,
// percent-encoded), and for old clients a plain filename of its ASCII letters.
func attachment(c *fiber.Ctx, name string) {
	ext := path.Ext(name)
	plain := strings.Map(func(r rune) rune {
		if r < 0x80 && r > ' ' && r != '"' && r != '\\' && r != ';' {
			return r
		}
		return -1
	}, strings.TrimSuffix(name, ext))
	if plain == "" {
		plain = "download"
	}
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s%s"; filename*=UTF-8''%s`, plain, ext, url.PathEscape(name)))
}

// uploadTemplate sends the template of a kind the user may upload (etl/template.go): the columns
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
	data, err := etl.Template(s.cfg, k)
	if err != nil {
		return err
	}
	name := etl.TemplateName(k)
	if strings.HasSuffix(name, ".csv") {
		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	} else {
		c.Set(fiber.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	}
	attachment(c, name)
	return c.Send(data)
}
