package web

import (
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// Param is the path parameter name of the request, URL-decoded: an id with Chinese characters
// arrives percent-encoded (景凤镇-前寨村-20230304-6 as %E6%99%AF…) and Fiber hands the parameter over
// as it stands in the path. Every handler reads its path parameters through Param (TestParamsDecoded
// fails on a c.Params call elsewhere in portal and its packages). A parameter that does not decode ("%zz")
// is "", which every handler answers as not found. '+' stays '+' (a path is not a form). The value
// is a copy: Fiber reuses the request's buffer after the handler returns.
func Param(c *fiber.Ctx, name string) string {
	v, err := url.PathUnescape(c.Params(name))
	if err != nil {
		return ""
	}
	return strings.Clone(v)
}
