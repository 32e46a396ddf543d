package portal

// The notifications page and the unread count in the menu (portal/notify holds the notices).

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"landwatch/portal/accounts"
	"landwatch/portal/notify"
)

// noticesShown bounds the notifications page.
const noticesShown = 2000

func (s *Server) noticesPage(c *fiber.Ctx, u *accounts.User) error {
	return s.showNotices(c, u, "")
}

func (s *Server) showNotices(c *fiber.Ctx, u *accounts.User, notice string) error {
	list, err := notify.List(c.UserContext(), s.db, u, noticesShown)
	if err != nil {
		return err
	}
	type row struct {
		notify.Notice
		KindName, At string
	}
	rows := make([]row, len(list))
	for i, n := range list {
		rows[i] = row{n, notify.KindNames[n.Kind], n.Created.Format("2006-01-02 15:04")}
	}
	shown, links, err := pageSlice(c, rows) // 50 a page, like every list
	if err != nil {
		return err
	}
	return s.render(c, "notices", page{Title: "通知", Notice: notice, Data: map[string]any{"Rows": shown, "Pages": links, "Total": len(rows)}})
}

// noticesRead marks one notice (field id) or all of them read, then opens the notice's page when
// one was named.
func (s *Server) noticesRead(c *fiber.Ctx, u *accounts.User) error {
	var id int64
	if v := c.FormValue("id"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return s.renderStatus(c, fiber.StatusBadRequest, "error", page{Title: "通知", Error: "通知编号不正确"})
		}
		id = n
	}
	err := notify.MarkRead(c.UserContext(), s.db, u, id, s.tips.LocalNow(s.opt.now()))
	if errors.Is(err, notify.ErrNotYours) {
		return s.renderStatus(c, fiber.StatusForbidden, "error", page{Title: "通知", Error: err.Error()})
	}
	if err != nil {
		return err
	}
	if id == 0 {
		return s.showNotices(c, u, "已全部标为已读。")
	}
	list, err := notify.List(c.UserContext(), s.db, u, noticesShown)
	if err != nil {
		return err
	}
	for _, n := range list {
		if n.ID == id {
			return c.Redirect(n.Link, fiber.StatusSeeOther)
		}
	}
	return s.showNotices(c, u, "")
}

const noticesPath = "/staff/notifications"
