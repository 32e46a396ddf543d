package portal

// The consoles of two clue channels: 公安's list of civil explosives flows that are clues (民爆流向,
// mart_explosives_flows) and the townships' list of camera events that are clues (视频监控,
// mart_video_events), each with its check deadline and a check form (portal/cluecheck stores the
// checks); the office sees both. An event's screenshot is served as the loader kept it (sanitised).

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"landwatch/campaign"
	"landwatch/portal/accounts"
	"landwatch/portal/cluecheck"
	"landwatch/warehouse"
)

// isPolice: a department account of the police unit (explosives.police_unit).
func (s *Server) isPolice(u *accounts.User) bool {
	return u.Role == accounts.RoleDepartment && u.Scope == s.cfg.Explosives.Police()
}

// denyNonPolice keeps the explosives pages to the police among the departments.
func (s *Server) denyNonPolice(u *accounts.User) bool {
	return u.Role == accounts.RoleDepartment && !s.isPolice(u)
}

// clueRow is one clue of either channel's list.
type clueRow struct {
	ID, Status, DueOn, Reasons, Township, Village, Place, What, Day, Who, Result, CheckedOn, Shot string
	Late                                                                                          bool
}

// reasonWords turns a mart's comma-joined reason codes into words of the label table.
func reasonWords(column, codes string) string {
	var out []string
	for _, c := range strings.Split(codes, ",") {
		if c != "" {
			out = append(out, campaign.Label(column, c))
		}
	}
	return strings.Join(out, "、")
}

// status is the first column of a clue's row: what is owed and by when.
func (r *clueRow) status() {
	switch {
	case r.Result != "":
		r.Status = "已核查：" + r.Result
	case r.Late:
		r.Status = "逾期未核查"
	default:
		r.Status = "待核查"
	}
}

const flowsSQL = `SELECT flow_id, strftime(check_due_on, '%Y-%m-%d'), check_late, reasons, township, coalesce(village, ''), site,
	item || ' ' || CAST(CAST(net AS DOUBLE) AS VARCHAR) || coalesce(unit, ''), strftime(drawn_on, '%Y-%m-%d'), buyer || '（' || licence_id || '）',
	coalesce(check_result, ''), coalesce(strftime(checked_on, '%Y-%m-%d'), '')
	FROM mart_explosives_flows WHERE is_clue`

const eventsSQL = `SELECT event_id, strftime(check_due_on, '%Y-%m-%d'), check_late, reasons, township, coalesce(village, ''),
	camera_id, event_type || coalesce('：' || note, ''), strftime(seen_at, '%Y-%m-%d %H:%M'), '',
	coalesce(check_result, ''), coalesce(strftime(checked_on, '%Y-%m-%d'), '')
	FROM mart_video_events WHERE is_clue`

// clueList reads a channel's clues (a township: its own), unchecked first, by deadline.
func (s *Server) clueList(c *fiber.Ctx, u *accounts.User, mart, q, reasonCol string) ([]clueRow, error) {
	if ok, err := s.hasTable(c, mart); err != nil || !ok {
		return nil, err
	}
	var args []any
	if u.Role == accounts.RoleTownship {
		q += ` AND township = ?`
		args = append(args, u.Scope)
	}
	var out []clueRow
	err := warehouse.EachRow(c.UserContext(), s.db, q+` ORDER BY check_result IS NOT NULL, check_due_on, 1 LIMIT 5000`, args,
		func(rs *sql.Rows) error {
			var r clueRow
			if err := rs.Scan(&r.ID, &r.DueOn, &r.Late, &r.Reasons, &r.Township, &r.Village, &r.Place, &r.What, &r.Day, &r.Who,
				&r.Result, &r.CheckedOn); err != nil {
				return err
			}
			r.Reasons = reasonWords(reasonCol, r.Reasons)
			r.status()
			out = append(out, r)
			return nil
		})
	return out, err
}

// channelPage describes one channel's console page.
type channelPage struct {
	channel, title, template, mart, query, reasonCol, path string
	days                                                   int
	canCheck                                               func(*accounts.User) bool
}

func (s *Server) explosivesView() channelPage {
	return channelPage{channel: cluecheck.Explosives, title: "民爆物品流向核查", template: "channel", mart: "mart_explosives_flows",
		query: flowsSQL, reasonCol: "flow_reason", path: "/staff/explosives", days: s.cfg.Explosives.Days(), canCheck: s.isPolice}
}

func (s *Server) videoView() channelPage {
	return channelPage{channel: cluecheck.Video, title: "视频监控事件核查", template: "channel", mart: "mart_video_events",
		query: eventsSQL, reasonCol: "video_reason", path: "/staff/video", days: s.cfg.Video.Days(),
		canCheck: func(u *accounts.User) bool { return u.Role == accounts.RoleTownship }}
}

func (s *Server) explosivesPage(c *fiber.Ctx, u *accounts.User) error {
	return s.showChannel(c, u, s.explosivesView(), "", nil)
}

func (s *Server) videoPage(c *fiber.Ctx, u *accounts.User) error {
	return s.showChannel(c, u, s.videoView(), "", nil)
}

func (s *Server) showChannel(c *fiber.Ctx, u *accounts.User, v channelPage, notice string, fail error) error {
	list, err := s.clueList(c, u, v.mart, v.query, v.reasonCol)
	if err != nil {
		return err
	}
	open, late := 0, 0
	for _, r := range list {
		if r.Result == "" {
			open++
			if r.Late {
				late++
			}
		}
	}
	d := map[string]any{"Channel": v.channel, "Path": v.path, "Open": open, "Late": late, "Total": len(list), "Days": v.days,
		"CanCheck": v.canCheck(u), "Results": cluecheck.Results, "Today": s.tips.Today().Format(time.DateOnly),
		"Video": v.channel == cluecheck.Video}
	p := page{Title: v.title, Notice: notice, Data: d}
	code := fiber.StatusOK
	d["Clues"], d["Pages"], err = pageSlice(c, list) // 50 a page (data.go)
	if err != nil {
		fail = err
	}
	if fail != nil {
		p.Error, code = fail.Error(), fiber.StatusBadRequest
	}
	return s.renderStatus(c, code, v.template, p)
}

// channelCheck records a check of one clue of the channel.
func (s *Server) channelCheck(view func() channelPage) Handler {
	return func(c *fiber.Ctx, u *accounts.User) error {
		v := view()
		on, _ := time.Parse(time.DateOnly, strings.TrimSpace(c.FormValue("checked_on")))
		in := cluecheck.Input{Channel: v.channel, ID: c.Params("id"), Result: c.FormValue("result"), Note: c.FormValue("note"),
			Unit: u.Scope, On: on, Now: s.opt.now()}
		if u.Role == accounts.RoleTownship {
			in.Township = u.Scope
		}
		err := cluecheck.Record(c.UserContext(), s.db, s.chain, u.Name, in)
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

// videoShot serves an event's screenshot (the bytes the loader kept after stripping their
// metadata); a township sees its own events' only.
func (s *Server) videoShot(c *fiber.Ctx, u *accounts.User) error {
	id := c.Params("id")
	for _, m := range []string{"mart_video_events", "stg_video__screenshots"} {
		if ok, err := s.hasTable(c, m); err != nil {
			return err
		} else if !ok {
			return fiber.ErrNotFound
		}
	}
	var town, mime string
	var data []byte
	err := s.db.QueryRowContext(c.UserContext(), `SELECT e.township, s.mime, s.data FROM mart_video_events e
		JOIN stg_video__screenshots s ON s.event_id = e.event_id AND s.sha256 = e.screenshot_sha256
		WHERE e.event_id = ? LIMIT 1`, id).Scan(&town, &mime, &data)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && u.Role == accounts.RoleTownship && town != u.Scope) {
		return fiber.ErrNotFound
	}
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, mime)
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s%s"`, id, extFor(mime)))
	return c.Send(data)
}

// channelQueue: a channel's clues without a check, by deadline; a township's own when town is set.
func channelQueue(mart, title, more, town string) martQueueDef {
	q := `SELECT ` + map[string]string{"mart_explosives_flows": "flow_id, site", "mart_video_events": "event_id, camera_id"}[mart] +
		`, township, check_due_on, check_late FROM ` + mart + ` WHERE is_clue AND check_result IS NULL`
	var args []any
	if town != "" {
		q += ` AND township = ?`
		args = append(args, town)
	}
	return martQueueDef{
		section: queueSection{Title: title, More: more, Empty: "线索均已核查。"},
		model:   mart, query: q + ` ORDER BY check_due_on, 1`, args: args,
		row: func(r *sql.Rows) (queueItem, error) {
			var id, where, t string
			var due sql.NullTime
			var late bool
			err := r.Scan(&id, &where, &t, &due, &late)
			return queueItem{Label: fmt.Sprintf("%s %s %s", id, t, where), Link: more, Due: queueDay(due), Overdue: late}, err
		},
	}
}

// explosivesQueue and videoQueue are the work queues' sections of the two channels.
func explosivesQueue() martQueueDef {
	return channelQueue("mart_explosives_flows", "待核查的民爆流向线索", "/staff/explosives", "")
}

func videoQueue(town string) martQueueDef {
	return channelQueue("mart_video_events", "待核查的视频监控线索", "/staff/video", town)
}
