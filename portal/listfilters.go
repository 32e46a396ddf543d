package portal

// Filters and filtered exports of the lists that are not mart pages (用电户, 用电预警, 通知, 审计日志),
// like the mart pages' (data.go) and with portal/view/list.go: every select filter offers its values and a value not offered is
// refused in Chinese before anything reaches SQL (and then only as a bind parameter); the list is
// paged 50 rows at a time; its export (/staff/export/NAME.xlsx with the page's own query) holds
// exactly the rows the filters select, every page of them, under Chinese headings.

import (
	"github.com/gofiber/fiber/v2"
)

// listError (web.Kit.ListError) answers a refused filter of a list page (400, in Chinese) with
// the page's template tmpl and what data holds of it (its filters); any other error goes on.
func (s *Server) listError(c *fiber.Ctx, tmpl, title string, data map[string]any, err error) error {
	return s.kit.ListError(c, tmpl, title, data, err)
}
