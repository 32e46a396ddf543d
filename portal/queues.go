package portal

// Each role's home page is its work queue (portal/README.md "Queues and notifications"): what it
// has to do today, with counts and deadlines, each item linking to its page and marked when past
// its deadline. Figures of the models come from the marts of the last models run; the portal's own
// records (tips, rewards, assignments) from their stores.

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/gofiber/fiber/v2"

	"landwatch/campaign"
	"landwatch/queries"
	"landwatch/queries/read"
	"landwatch/reports"
	"landwatch/store/accounts"
	"landwatch/store/casestore"
	"landwatch/store/tipstore"
)

// queueShown is how many items of a section the home page lists; the section links to the rest.
const queueShown = 10

// queueItem is one thing to do.
type queueItem struct {
	Label   string
	Link    string
	Due     string // the deadline, YYYY-MM-DD; "" when the item has none
	Overdue bool
}

// queueSection is one kind of work: its count and its first items.
type queueSection struct {
	Title   string
	Count   int
	Overdue int
	Items   []queueItem
	More    string // the page with all of them
	Empty   string // what to say when there is nothing
}

func (q *queueSection) add(it queueItem) {
	q.Count++
	if it.Overdue {
		q.Overdue++
	}
	if len(q.Items) < queueShown {
		q.Items = append(q.Items, it)
	}
}

// queueDay formats a date column's value.
func queueDay(t sql.NullTime) string {
	if !t.Valid {
		return ""
	}
	return t.Time.Format(time.DateOnly)
}

// queues builds u's work queue as of today.
func (s *Server) queues(ctx context.Context, u *accounts.User, today time.Time) ([]queueSection, error) {
	var out []queueSection
	add := func(q queueSection, err error) error {
		if err == nil {
			out = append(out, q)
		}
		return err
	}
	var err error
	switch u.Role {
	case accounts.RoleOffice:
		err = firstErr(
			add(s.tipQueue(ctx, u, today, "待分拣的举报", []string{tipstore.StatusReceived})),
			add(s.martQueue(ctx, patchQueue)),
			add(s.martQueue(ctx, alertQueue(""))),
			add(s.martQueue(ctx, videoQueue(""))),
			add(s.martQueue(ctx, explosivesQueue())),
			add(s.martQueue(ctx, priceQueue)),
			add(s.martQueue(ctx, ledgerQueue(""))),
			add(s.martQueue(ctx, actionQueue("office", "办公室", "办公室应办的查处事项"))),
			add(s.martQueue(ctx, violationActionQueue)),
		)
	case accounts.RoleTownship:
		err = firstErr(
			add(s.tipQueue(ctx, u, today, "交办本乡镇核查的举报", []string{tipstore.StatusReceived, tipstore.StatusChecking})),
			add(s.martQueue(ctx, alertQueue(u.Scope))),
			add(s.martQueue(ctx, videoQueue(u.Scope))),
			add(s.martQueue(ctx, ledgerQueue(u.Scope))),
			add(s.martQueue(ctx, formsQueue(u.Scope))),
			add(s.martQueue(ctx, actionQueue("township", u.Scope, "本乡镇应办的制止、恢复治理"))),
		)
	case accounts.RoleDepartment:
		if s.isPowerCompany(u) { // the power company works the alerts and the cut-offs, never a tip
			err = firstErr(add(s.martQueue(ctx, alertQueue(""))), add(s.martQueue(ctx, cutoffQueue)),
				add(s.martQueue(ctx, actionQueue("unit", u.Scope, "本单位应办的查处事项"))))
			break
		}
		err = firstErr(add(s.martQueue(ctx, stageQueue(u.Scope))), add(s.martQueue(ctx, actionQueue("unit", u.Scope, "本单位应办的查处事项"))),
			add(s.caseQueue(ctx, u)), add(s.clueQueue(ctx, u)))
		if err == nil && s.isPolice(u) { // 公安 checks the explosives flows (portal/channels.go)
			err = add(s.martQueue(ctx, explosivesQueue()))
		}
	case accounts.RoleFinance:
		err = add(s.payQueue(ctx))
	case accounts.RoleMedia:
		err = add(s.publishQueue(ctx))
	case accounts.RoleDiscipline:
		err = firstErr(
			add(s.tipQueue(ctx, u, today, "涉及公职人员的举报", []string{tipstore.StatusReceived, tipstore.StatusChecking, tipstore.StatusTrue})),
			add(s.martQueue(ctx, blameQueue)),
		)
	case accounts.RoleLeader:
		err = firstErr(add(s.martQueue(ctx, redQueue)), add(s.briefingQueue(ctx)))
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

// tipQueue is the tips u may see in one of statuses, oldest first; a tip not yet triaged is due
// as int_tip_triage says (read.TipTriage).
func (s *Server) tipQueue(ctx context.Context, u *accounts.User, today time.Time, title string, statuses []string) (queueSection, error) {
	q := queueSection{Title: title, More: "/staff/tips", Empty: "没有待办的举报。"}
	tips, _, err := s.tips.ListTips(ctx, u, tipstore.TipFilter{Statuses: statuses})
	if err != nil {
		return q, err
	}
	triage, err := read.TipTriage(ctx, s.db, today)
	if err != nil {
		return q, err
	}
	slices.Reverse(tips) // oldest first
	for _, t := range tips {
		it := queueItem{Label: fmt.Sprintf("%s %s%s · %s", t.ID, t.Township, t.Village, t.Status), Link: "/staff/tips/" + t.ID}
		if t.Channel != "" && t.Channel != tipstore.ChannelWeb {
			it.Label += " · " + t.Channel
		}
		if tr, ok := triage[t.ID]; ok {
			it.Due, it.Overdue = tr.Due.Format(time.DateOnly), tr.Overdue
		}
		q.add(it)
	}
	return q, nil
}

// martQueueDef is a queue read from a model (queries/read): the section, the queue and how a row
// reads as an item.
type martQueueDef struct {
	section queueSection
	queue   read.Queue
	item    func(read.Row) queueItem
}

// martQueue reads def's queue over the last models run; before any run the section says so.
func (s *Server) martQueue(ctx context.Context, def martQueueDef) (queueSection, error) {
	q := def.section
	rows, built, err := read.Rows(ctx, s.db, def.queue)
	if err != nil {
		return q, err
	}
	if !built {
		q.Empty = "尚未更新统计，暂无数据。"
		return q, nil
	}
	for _, r := range rows {
		q.add(def.item(r))
	}
	return q, nil
}

// patchQueue: imagery patches not yet verified, those without a licence first (read.PatchQueue).
var patchQueue = martQueueDef{
	section: queueSection{Title: "待核查的卫片图斑（无证开采嫌疑在前）", More: "/staff/imagery", Empty: "图斑均已核查。"},
	queue:   read.PatchQueue,
	item: func(r read.Row) queueItem {
		return queueItem{Label: fmt.Sprintf("图斑 %s %s%s，%s 成像，%s", r.ID, r.Township, r.Village, queueDay(r.Day), campaign.Label("licence_status", r.Code)),
			Link: "/staff/imagery?licence=" + r.Code}
	},
}

// alertQueue: power alerts without a field check (read.AlertQueue); a township's own when town is set.
func alertQueue(town string) martQueueDef {
	return martQueueDef{
		section: queueSection{Title: "待现场核查的用电预警", More: "/staff/power", Empty: "用电预警均已核查。"},
		queue:   read.AlertQueue(town),
		item: func(r read.Row) queueItem {
			return queueItem{Label: fmt.Sprintf("%s 户号 %s %s，%s 起", campaign.Label("rule", r.Code), r.Ref, r.Township, queueDay(r.Day)),
				Link: "/staff/power/meters/" + r.Ref, Due: queueDay(r.Due), Overdue: r.Late}
		},
	}
}

// cutoffQueue: cut-offs the office ordered that the power company has not confirmed.
var cutoffQueue = martQueueDef{
	section: queueSection{Title: "待确认的终止供电", More: "/staff/power/meters", Empty: "没有待确认的终止供电。"},
	queue:   read.CutoffQueue,
	item: func(r read.Row) queueItem {
		return queueItem{Label: fmt.Sprintf("户号 %s（%s）%s 下令终止供电", r.Ref, r.Township, queueDay(r.Day)), Link: "/staff/power/meters/" + r.Ref}
	},
}

// stageQueue: the stages of the enforcement chain a member unit owns and has not done.
func stageQueue(unit string) martQueueDef {
	return martQueueDef{
		section: queueSection{Title: "本单位待办的办案环节", More: "/staff/mine", Empty: "没有待办的办案环节。"},
		queue:   read.StageQueue(unit),
		item: func(r read.Row) queueItem {
			return queueItem{Label: fmt.Sprintf("案件 %s：%s", r.ID, r.Name), Link: "/staff/cases/" + r.ID, Due: queueDay(r.Due), Overdue: r.Late}
		},
	}
}

// priceQueue: price determinations past their due day.
var priceQueue = martQueueDef{
	section: queueSection{Title: "逾期的价格认定", More: "/staff/cases", Empty: "没有逾期的价格认定。"},
	queue:   read.PriceQueue,
	item: func(r read.Row) queueItem {
		return queueItem{Label: fmt.Sprintf("案件 %s（%s）价格认定", r.ID, r.Township), Link: "/staff/cases/" + r.ID, Due: queueDay(r.Due), Overdue: true}
	},
}

// ledgerQueue: ledger items past their deadline and not rectified; a township's own when town is set.
func ledgerQueue(town string) martQueueDef {
	title := "逾期未整改的问题"
	if town != "" {
		title = "本乡镇逾期未整改的问题"
	}
	return martQueueDef{
		section: queueSection{Title: title, More: "/staff/ledger", Empty: "没有逾期未整改的问题。"},
		queue:   read.LedgerQueue(town),
		item: func(r read.Row) queueItem {
			return queueItem{Label: fmt.Sprintf("%s %s%s · %s", r.ID, r.Township, r.Village, r.Name), Link: "/staff/accountability/" + r.ID,
				Due: queueDay(r.Due), Overdue: true}
		},
	}
}

// formsQueue: the forms a township still owes.
func formsQueue(town string) martQueueDef {
	return martQueueDef{
		section: queueSection{Title: "应报未报的排查表", More: "/staff/upload", Empty: "排查表均已报送。"},
		queue:   read.FormsQueue(town),
		item: func(r read.Row) queueItem {
			return queueItem{Label: r.Village + r.Name, Link: "/staff/upload", Due: queueDay(r.Due), Overdue: r.Late}
		},
	}
}

// blameQueue: items handed to discipline inspection without an outcome yet.
var blameQueue = martQueueDef{
	section: queueSection{Title: "已移交待处理的问责事项", More: "/staff/accountability", Empty: "没有待处理的问责事项。"},
	queue:   read.BlameQueue,
	item: func(r read.Row) queueItem {
		return queueItem{Label: fmt.Sprintf("%s %s · %s，%s 移交", r.ID, r.Township, r.Name, queueDay(r.Day)), Link: "/staff/accountability/" + r.ID}
	},
}

// redQueue: the townships rated red on the last run.
var redQueue = martQueueDef{
	section: queueSection{Title: "评为红色的乡镇", More: "/staff/scorecard", Empty: "没有评为红色的乡镇。"},
	queue:   read.RedQueue,
	item: func(r read.Row) queueItem {
		return queueItem{Label: r.Township + " " + r.Name, Link: "/staff/scorecard"}
	},
}

// caseQueue and clueQueue: what the office handed to u's member unit.
func (s *Server) caseQueue(ctx context.Context, u *accounts.User) (queueSection, error) {
	q := queueSection{Title: "交办本单位的案件", More: "/staff/mine", Empty: "没有交办的案件。"}
	list, err := s.cases.ListCases(ctx, u, casestore.Filter{}, "")
	if err != nil && err != casestore.ErrNotBuilt {
		return q, err
	}
	for _, r := range list {
		q.add(queueItem{Label: fmt.Sprintf("案件 %s %s · %s", r.ID, r.Township, r.Status), Link: "/staff/cases/" + r.ID})
	}
	return q, nil
}

func (s *Server) clueQueue(ctx context.Context, u *accounts.User) (queueSection, error) {
	q := queueSection{Title: "交办本单位核查的线索", More: "/staff/mine", Empty: "没有交办的线索。"}
	list, err := s.cases.ListClues(ctx, u, casestore.Filter{}, "")
	if err != nil && err != casestore.ErrNotBuilt {
		return q, err
	}
	for _, r := range list {
		if r.Verdict == "属实" || r.Verdict == "不属实" {
			continue
		}
		q.add(queueItem{Label: fmt.Sprintf("线索 %s %s · %s", r.ID, r.Township, r.Verdict), Link: "/staff/clues/" + r.ID})
	}
	return q, nil
}

// payQueue: approved rewards not yet paid.
func (s *Server) payQueue(ctx context.Context) (queueSection, error) {
	q := queueSection{Title: "待支付的奖励", More: "/staff/rewards", Empty: "没有待支付的奖励。"}
	lines, err := s.tips.RewardLines(ctx)
	if err != nil {
		return q, err
	}
	for _, l := range lines {
		if l.PayoutID == "" {
			q.add(queueItem{Label: fmt.Sprintf("奖励 %s（%s，%s 元，%s 批准）", l.RewardID, l.Township, l.Amount, l.ApprovedOn), Link: "/staff/rewards"})
		}
	}
	return q, nil
}

// publishQueue: the statistics of the last run when they are newer than what the public sees.
func (s *Server) publishQueue(ctx context.Context) (queueSection, error) {
	q := queueSection{Title: "待审核发布的统计", More: "/staff/publish", Empty: "公众页面已是最新统计。"}
	run, err := queries.LatestAsOf(ctx, s.db)
	if err != nil {
		q.Empty = "尚未更新统计，暂无统计。"
		return q, nil
	}
	snap, err := reports.LatestSnapshot(ctx, s.db)
	if err != nil {
		return q, err
	}
	if snap == nil || snap.Stats.AsOf < run.Format(time.DateOnly) {
		label := fmt.Sprintf("截至 %s 的统计待审核发布", run.Format(time.DateOnly))
		if snap != nil {
			label += fmt.Sprintf("（公众页面现为截至 %s 的版本）", snap.Stats.AsOf)
		}
		q.add(queueItem{Label: label, Link: "/staff/publish"})
	}
	return q, nil
}

// briefingQueue: the latest weekly briefings.
func (s *Server) briefingQueue(ctx context.Context) (queueSection, error) {
	q := queueSection{Title: "最新工作周报", More: "/staff/briefings", Empty: "尚无工作周报。"}
	list, err := reports.Briefings(ctx, s.db)
	if err != nil {
		return q, err
	}
	for i, b := range list {
		if i == 3 {
			break
		}
		y, w := b.AsOf.ISOWeek()
		q.add(queueItem{Label: fmt.Sprintf("%d年第%d周工作周报（截至 %s）", y, w, b.AsOf.Format(time.DateOnly)), Link: "/staff/briefings/" + b.FileName})
	}
	q.Count = len(list)
	return q, nil
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
