// Package notices: the notifications page and the unread count in the menu (store/notify holds the notices).
// portal/routes.go mounts its pages.
package notices

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"landwatch/portal/view"
	"landwatch/portal/web"
	"landwatch/queries/read"
	"landwatch/store/accounts"
	"landwatch/store/notify"
)

// Pages are the handlers of these pages (portal/routes.go mounts them).
type Pages struct{ *web.Kit }

// noticesShown bounds the notifications page.
const noticesShown = 2000

func (h *Pages) Page(c *fiber.Ctx, u *accounts.User) error {
	return h.showNotices(c, u, "")
}

func (h *Pages) showNotices(c *fiber.Ctx, u *accounts.User, notice string) error {
	rows, choices, err := h.noticeRows(c, u)
	data := map[string]any{"Path": Path, "Filters": choices}
	if err != nil {
		return h.ListError(c, "notices", "通知", data, err)
	}
	shown, links, err := view.PageSlice(c, rows) // 50 a page, like every list
	if err != nil {
		return h.ListError(c, "notices", "通知", data, err)
	}
	if data["ExportURL"], err = view.ExportURL(c, "/staff/export/notifications.xlsx"); err != nil {
		return h.ListError(c, "notices", "通知", data, err)
	}
	data["Rows"], data["Pages"], data["Total"], data["Filtered"] = shown, links, len(rows), view.Filtered(choices)
	return h.Render(c, "notices", web.Page{Title: "通知", Notice: notice, Data: data})
}

// noticeRow is a notice as the list shows it.
type noticeRow struct {
	notify.Notice
	KindName, At string
}

// noticeRows are u's notices (the newest noticesShown) the request's filters select: 类别 (kind)
// and 状态 (read: 未读/已读).
func (h *Pages) noticeRows(c *fiber.Ctx, u *accounts.User) ([]noticeRow, []read.Choice, error) {
	var kinds []read.Option
	for _, k := range []string{notify.KindAssigned, notify.KindAnswered, notify.KindOverdue, notify.KindApproved} {
		kinds = append(kinds, read.Option{Value: k, Label: notify.KindNames[k]})
	}
	kind, err := view.PickFilter(c, read.Filter{Param: "kind", Label: "类别"}, kinds)
	if err != nil {
		return nil, []read.Choice{kind}, err
	}
	state, err := view.PickFilter(c, read.Filter{Param: "read", Label: "状态"}, []read.Option{{Value: "false", Label: "未读"}, {Value: "true", Label: "已读"}})
	choices := []read.Choice{kind, state}
	if err != nil {
		return nil, choices, err
	}
	list, err := notify.List(c.UserContext(), h.DB, u, noticesShown)
	if err != nil {
		return nil, choices, err
	}
	var rows []noticeRow
	for _, n := range list {
		if (kind.Value != "" && n.Kind != kind.Value) || (state.Value != "" && fmt.Sprint(n.Read) != state.Value) {
			continue
		}
		rows = append(rows, noticeRow{n, notify.KindNames[n.Kind], n.Created.Format("2006-01-02 15:04")})
	}
	return rows, choices, nil
}

// Export sends the notices the filters select, every page of them.
func (h *Pages) Export(c *fiber.Ctx, u *accounts.User) error {
	rows, _, err := h.noticeRows(c, u)
	if err != nil {
		return h.ListError(c, "error", "通知", nil, err)
	}
	out := make([][]string, len(rows))
	for i, n := range rows {
		state := "未读"
		if n.Read {
			state = "已读"
		}
		out[i] = []string{n.At, n.KindName, n.Body, state}
	}
	return view.SendSheet(c, "通知", []string{"时间", "类别", "内容", "状态"}, out)
}

// Read marks one notice (field id) or all of them read, then opens the notice's page when
// one was named.
func (h *Pages) Read(c *fiber.Ctx, u *accounts.User) error {
	var id int64
	if v := c.FormValue("id"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			return h.RenderStatus(c, fiber.StatusBadRequest, "error", web.Page{Title: "通知", Error: "通知编号不正确"})
		}
		id = n
	}
	err := notify.MarkRead(c.UserContext(), h.DB, u, id, h.Tips.LocalNow(h.Now()))
	if errors.Is(err, notify.ErrNotYours) {
		return h.RenderStatus(c, fiber.StatusForbidden, "error", web.Page{Title: "通知", Error: err.Error()})
	}
	if err != nil {
		return err
	}
	if id == 0 {
		return h.showNotices(c, u, "已全部标为已读。")
	}
	list, err := notify.List(c.UserContext(), h.DB, u, noticesShown)
	if err != nil {
		return err
	}
	for _, n := range list {
		if n.ID == id {
			return c.Redirect(n.Link, fiber.StatusSeeOther)
		}
	}
	return h.showNotices(c, u, "")
}

const Path = "/staff/notifications"
