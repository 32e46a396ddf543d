package portal

// The consoles of two clue channels: 公安's list of civil explosives flows that are clues (民爆流向,
// mart_explosives_flows) and the townships' list of camera events that are clues (视频监控,
// mart_video_events), each with its check deadline and a check form; the office sees both. What is
// read and stored is store/cluecheck's; an event's screenshot is served as the loader kept it.

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"landwatch/campaign"
	"landwatch/portal/view"
	"landwatch/store/accounts"
	"landwatch/store/cluecheck"
)

// isPolice: a department account of the police unit (explosives.police_unit).
func (s *Server) isPolice(u *accounts.User) bool {
	return u.Role == accounts.RoleDepartment && u.Scope == s.cfg.Explosives.Police()
}

// denyNonPolice keeps the explosives pages to the police among the departments.
func (s *Server) denyNonPolice(u *accounts.User) bool {
	return u.Role == accounts.RoleDepartment && !s.isPolice(u)
}

// channelPage describes one channel's console page.
type channelPage struct {
	channel, title, reasonCol, path string
	days                            int
	canCheck                        func(*accounts.User) bool
}

func (s *Server) explosivesView() channelPage {
	return channelPage{channel: cluecheck.Explosives, title: "民爆物品流向核查", reasonCol: "flow_reason", path: "/staff/explosives",
		days: s.cfg.Explosives.Days(), canCheck: s.isPolice}
}

func (s *Server) videoView() channelPage {
	return channelPage{channel: cluecheck.Video, title: "视频监控事件核查", reasonCol: "video_reason", path: "/staff/video",
		days: s.cfg.Video.Days(), canCheck: func(u *accounts.User) bool { return u.Role == accounts.RoleTownship }}
}

func (s *Server) explosivesPage(c *fiber.Ctx, u *accounts.User) error {
	return s.showChannel(c, u, s.explosivesView(), "", nil)
}

func (s *Server) videoPage(c *fiber.Ctx, u *accounts.User) error {
	return s.showChannel(c, u, s.videoView(), "", nil)
}

// scopeTown is a township account's township ("" for the others).
func scopeTown(u *accounts.User) string {
	if u.Role == accounts.RoleTownship {
		return u.Scope
	}
	return ""
}

func (s *Server) showChannel(c *fiber.Ctx, u *accounts.User, v channelPage, notice string, fail error) error {
	list, err := cluecheck.List(c.UserContext(), s.db, v.channel, scopeTown(u))
	if err != nil {
		return err
	}
	open, late := 0, 0
	for i := range list {
		if list[i].Result == "" {
			open++
			if list[i].Late {
				late++
			}
		}
		var words []string
		for _, code := range strings.Split(list[i].Reasons, ",") {
			if code != "" {
				words = append(words, campaign.Label(v.reasonCol, code))
			}
		}
		list[i].Reasons = strings.Join(words, "、")
	}
	d := map[string]any{"Channel": v.channel, "Path": v.path, "Open": open, "Late": late, "Total": len(list), "Days": v.days,
		"CanCheck": v.canCheck(u), "Results": cluecheck.Results, "Today": s.tips.Today().Format(time.DateOnly),
		"Video": v.channel == cluecheck.Video}
	p := page{Title: v.title, Notice: notice, Data: d}
	code := fiber.StatusOK
	if d["Clues"], d["Pages"], err = view.PageSlice(c, list); err != nil { // 50 a page (portal/view/list.go)
		fail = err
	}
	if fail != nil {
		p.Error, code = fail.Error(), fiber.StatusBadRequest
	}
	return s.renderStatus(c, code, "channel", p)
}

// channelCheck records a check of one clue of the channel.
func (s *Server) channelCheck(view func() channelPage) Handler {
	return func(c *fiber.Ctx, u *accounts.User) error {
		v := view()
		on, _ := time.Parse(time.DateOnly, strings.TrimSpace(c.FormValue("checked_on")))
		in := cluecheck.Input{Channel: v.channel, ID: param(c, "id"), Result: c.FormValue("result"), Note: c.FormValue("note"),
			Unit: u.Scope, Township: scopeTown(u), On: on, Now: s.opt.now()}
		err := cluecheck.Record(c.UserContext(), s.db, s.auditLog, u.Name, in)
		switch {
		case errors.Is(err, cluecheck.ErrNotFound):
			return fiber.ErrNotFound
		case errors.Is(err, cluecheck.ErrInvalid):
			return s.showChannel(c, u, v, "", err)
		case err != nil:
			return err
		}
		return s.showChannel(c, u, v, fmt.Sprintf("%s 的核查结果已保存（运行模型后计入）。", in.ID), nil)
	}
}

// videoShot serves an event's screenshot; a township sees its own events' only.
func (s *Server) videoShot(c *fiber.Ctx, u *accounts.User) error {
	id := param(c, "id")
	mime, data, err := cluecheck.Screenshot(c.UserContext(), s.db, id, scopeTown(u))
	switch {
	case errors.Is(err, cluecheck.ErrNotFound):
		return fiber.ErrNotFound
	case err != nil:
		return err
	}
	c.Set(fiber.HeaderContentType, mime)
	view.Attachment(c, id+view.ExtFor(mime))
	return c.Send(data)
}
