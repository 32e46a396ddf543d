package portal

import (
	"github.com/gofiber/fiber/v2"

	"landwatch/portal/web"
)

// param is web.Param: the path parameter name of the request, URL-decoded and copied. Every
// handler reads its path parameters through it (TestParamsDecoded).
func param(c *fiber.Ctx, name string) string { return web.Param(c, name) }
