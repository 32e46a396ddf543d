package portal

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"landwatch/portal/view"
	"landwatch/store/tipstore"
)

// What a citizen takes away: the reward's claim code (shown once) gets the receipt's copy, save
// and print (static/receipt.js, templates/status_view.html), and the paper receipt of a phone or
// letter tip says where to check it.

// publicAddress is the portal's address for citizens: portal.public_url, or the scheme and host
// the request came to.
func (s *Server) publicAddress(c *fiber.Ctx) string {
	if a := strings.TrimRight(strings.TrimSpace(s.cfg.Portal.PublicURL), "/"); a != "" {
		return a
	}
	return strings.TrimRight(strings.Clone(c.BaseURL()), "/")
}

// claimFile answers the claim code's save button with the code as a text file: the page sends the
// code back (the server keeps only its hash), so the file holds exactly what was shown.
func (s *Server) claimFile(c *fiber.Ctx) error {
	raw := strings.ReplaceAll(strings.TrimSpace(c.FormValue("code")), " ", "")
	if len(raw) != 16 || strings.Trim(raw, "0123456789") != "" {
		return c.Status(fiber.StatusBadRequest).SendString("领奖码应为16位数字")
	}
	text := fmt.Sprintf("%s举报奖励领奖码\r\n领奖码：%s\r\n领取时向财政局出示回执码和领奖码即可，无需提供姓名。领奖码遗失可凭回执码在“查询进度”重新生成（原领奖码作废）。\r\n",
		s.cfg.County.Name, tipstore.GroupCode(raw))
	c.Set(fiber.HeaderContentType, "text/plain; charset=utf-8")
	view.Attachment(c, "领奖码.txt")
	return c.SendString(text)
}

// claimKey holds, in the request's locals, a claim code just issued again (statusClaimCode).
type claimKey struct{}

func claimShown(c *fiber.Ctx) string {
	v, _ := c.Locals(claimKey{}).(string)
	return v
}
