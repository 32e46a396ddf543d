package portal

// The notifications page and the unread count in the menu (store/notify holds the notices).

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"landwatch/portal/view"
	"landwatch/store/accounts"
	"landwatch/store/notify"
)

// noticesShown bounds the notifications page.
const noticesShown = 2000

func (s *Server) noticesPage(c *fiber.Ctx, u *accounts.User) error {
	return s.showNotices(c, u, "")
}

func (s *Server) showNotices(c *fiber.Ctx, u *accounts.User, notice string) error {
	rows, choices, err := s.noticeRows(c, u)
	data := map[string]any{"Path": noticesPath, "Filters": choices}
	if err != nil {
		return s.listError(c, "notices", "通知", data, err)
	}
	shown, links, err := view.PageSlice(c, rows) // 50 a page, like every list
	if err != nil {
		return s.listError(c, "notices", "通知", data, err)
	}
	if data["ExportURL"], err = view.ExportURL(c, "/staff/export/notifications.xlsx"); err != nil {
		return s.listError(c, "notices", "通知", data, err)
	}
	data["Rows"], data["Pages"], data["Total"], data["Filtered"] = shown, links, len(rows), view.Filtered(choices)
	return s.render(c, "notices", page{Title: "通知", Notice: notice, Data: data})
}

// noticeRow is a notice as the list shows it.
type noticeRow struct {
	notify.Notice
	KindName, At string
}

// noticeRows are u's notices (the newest noticesShown) the request's filters select: 类别 (kind)
// and 状态 (read: 未读/已读).
func (s *Server) noticeRows(c *fiber.Ctx, u *accounts.User) ([]noticeRow, []filterChoice, error) {
	var kinds []filterOption
	for _, k := range []string{notify.KindAssigned, notify.KindAnswered, notify.KindOverdue, notify.KindApproved} {
		kinds = append(kinds, filterOption{Value: k, Label: notify.KindNames[k]})
	}
	kind, err := view.PickFilter(c, filterSpec{Param: "kind", Label: "类别"}, kinds)
	if err != nil {
		return nil, []filterChoice{kind}, err
	}
	read, err := view.PickFilter(c, filterSpec{Param: "read", Label: "状态"}, []filterOption{{Value: "false", Label: "未读"}, {Value: "true", Label: "已读"}})
	choices := []filterChoice{kind, read}
	if err != nil {
		return nil, choices, err
	}
	list, err := notify.List(c.UserContext(), s.db, u, noticesShown)
	if err != nil {
		return nil, choices, err
	}
	var rows []noticeRow
	for _, n := range list {
		if (kind.Value != "" && n.Kind != kind.Value) || (read.Value != "" && fmt.Sprint(n.Read) != read.Value) {
			continue
		}
		rows = append(rows, noticeRow{n, notify.KindNames[n.Kind], n.Created.Format("2006-01-02 15:04")})
	}
	return rows, choices, nil
}

// exportNotices sends the notices the filters select, every page of them.
func (s *Server) exportNotices(c *fiber.Ctx, u *accounts.User) error {
	rows, _, err := s.noticeRows(c, u)
	if err != nil {
		return s.listError(c, "error", "通知", nil, err)
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
