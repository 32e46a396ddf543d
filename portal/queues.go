package portal

// Each role's home page is its work queue (portal/README.md "Queues and notifications"): the
// sections of portal/queue the role sees, in order.

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"landwatch/portal/queue"
	"landwatch/store/accounts"
	"landwatch/store/tipstore"
)

// queues builds u's work queue as of today.
func (s *Server) queues(ctx context.Context, u *accounts.User, today time.Time) ([]queue.Section, error) {
	var out []queue.Section
	add := func(q queue.Section, err error) error {
		if err == nil {
			out = append(out, q)
		}
		return err
	}
	var err error
	switch u.Role {
	case accounts.RoleOffice:
		err = firstErr(
			add(queue.Tips(ctx, s.tips, s.db, u, today, "待分拣的举报", []string{tipstore.StatusReceived})),
			add(queue.FromMart(ctx, s.db, queue.Patch)),
			add(queue.FromMart(ctx, s.db, queue.Alerts(""))),
			add(queue.FromMart(ctx, s.db, queue.Video(""))),
			add(queue.FromMart(ctx, s.db, queue.Explosives())),
			add(queue.FromMart(ctx, s.db, queue.Prices)),
			add(queue.FromMart(ctx, s.db, queue.Ledger(""))),
			add(queue.FromMart(ctx, s.db, queue.Actions("office", "办公室", "办公室应办的查处事项"))),
			add(queue.FromMart(ctx, s.db, queue.ViolationActions)),
		)
	case accounts.RoleTownship:
		err = firstErr(
			add(queue.Tips(ctx, s.tips, s.db, u, today, "交办本乡镇核查的举报", []string{tipstore.StatusReceived, tipstore.StatusChecking})),
			add(queue.FromMart(ctx, s.db, queue.Alerts(u.Scope))),
			add(queue.FromMart(ctx, s.db, queue.Video(u.Scope))),
			add(queue.FromMart(ctx, s.db, queue.Ledger(u.Scope))),
			add(queue.FromMart(ctx, s.db, queue.Forms(u.Scope))),
			add(queue.FromMart(ctx, s.db, queue.Actions("township", u.Scope, "本乡镇应办的制止、恢复治理"))),
		)
	case accounts.RoleDepartment:
		if s.isPowerCompany(u) { // the power company works the alerts and the cut-offs, never a tip
			err = firstErr(add(queue.FromMart(ctx, s.db, queue.Alerts(""))), add(queue.FromMart(ctx, s.db, queue.Cutoffs)),
				add(queue.FromMart(ctx, s.db, queue.Actions("unit", u.Scope, "本单位应办的查处事项"))))
			break
		}
		err = firstErr(add(queue.FromMart(ctx, s.db, queue.Stages(u.Scope))), add(queue.FromMart(ctx, s.db, queue.Actions("unit", u.Scope, "本单位应办的查处事项"))),
			add(queue.Cases(ctx, s.cases, u)), add(queue.Clues(ctx, s.cases, u)))
		if err == nil && s.isPolice(u) { // 公安 checks the explosives flows (portal/channels.go)
			err = add(queue.FromMart(ctx, s.db, queue.Explosives()))
		}
	case accounts.RoleFinance:
		err = add(queue.Payments(ctx, s.tips))
	case accounts.RoleMedia:
		err = add(queue.Publish(ctx, s.db))
	case accounts.RoleDiscipline:
		err = firstErr(
			add(queue.Tips(ctx, s.tips, s.db, u, today, "涉及公职人员的举报", []string{tipstore.StatusReceived, tipstore.StatusChecking, tipstore.StatusTrue})),
			add(queue.FromMart(ctx, s.db, queue.Blame)),
		)
	case accounts.RoleLeader:
		err = firstErr(add(queue.FromMart(ctx, s.db, queue.Red)), add(queue.Briefings(ctx, s.db)))
	}
	return out, err
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// dashboard is the home page: the role's queue.
func (s *Server) dashboard(c *fiber.Ctx, u *accounts.User) error {
	today := s.tips.Today()
	qs, err := s.queues(c.UserContext(), u, today)
	if err != nil {
		return err
	}
	return s.render(c, "dashboard", page{Title: "工作台", Data: map[string]any{"Queues": qs, "Today": today.Format(time.DateOnly)}})
}
