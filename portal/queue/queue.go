// Package queue holds the sections of the staff's work queues (portal/README.md "Queues and
// notifications"): what a role has to do today, with counts and deadlines, each item linking to
// its page and marked when past its deadline. The models' figures come from the marts of the last
// models run (queries/read's queues), the records people enter from their stores; which sections
// a role sees is portal/queues.go's.
package queue

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"landwatch/campaign"
	"landwatch/queries"
	"landwatch/queries/read"
	"landwatch/reports"
	"landwatch/store/accounts"
	"landwatch/store/casestore"
	"landwatch/store/cluecheck"
	"landwatch/store/tipstore"
	"landwatch/warehouse"
)

// Shown is how many items of a section the home page lists; the section links to the rest.
const Shown = 10

// Item is one thing to do.
type Item struct {
	Label   string
	Link    string
	Due     string // the deadline, YYYY-MM-DD; "" when the item has none
	Overdue bool
}

// Section is one kind of work: its count and its first items.
type Section struct {
	Title   string
	Count   int
	Overdue int
	Items   []Item
	More    string // the page with all of them
	Empty   string // what to say when there is nothing
}

func (q *Section) Add(it Item) {
	q.Count++
	if it.Overdue {
		q.Overdue++
	}
	if len(q.Items) < Shown {
		q.Items = append(q.Items, it)
	}
}

// Day formats a date column's value.
func Day(t sql.NullTime) string {
	if !t.Valid {
		return ""
	}
	return t.Time.Format(time.DateOnly)
}

// Tips is the tips u may see in one of statuses, oldest first; a tip not yet triaged is due
// as int_tip_triage says (read.TipTriage).
func Tips(ctx context.Context, store *tipstore.Store, db *warehouse.DB, u *accounts.User, today time.Time, title string, statuses []string) (Section, error) {
	q := Section{Title: title, More: "/staff/tips", Empty: "没有待办的举报。"}
	tips, _, err := store.ListTips(ctx, u, tipstore.TipFilter{Statuses: statuses})
	if err != nil {
		return q, err
	}
	triage, err := read.TipTriage(ctx, db, today)
	if err != nil {
		return q, err
	}
	slices.Reverse(tips) // oldest first
	for _, t := range tips {
		it := Item{Label: fmt.Sprintf("%s %s%s · %s", t.ID, t.Township, t.Village, t.Status), Link: "/staff/tips/" + t.ID}
		if t.Channel != "" && t.Channel != tipstore.ChannelWeb {
			it.Label += " · " + t.Channel
		}
		if tr, ok := triage[t.ID]; ok {
			it.Due, it.Overdue = tr.Due.Format(time.DateOnly), tr.Overdue
		}
		q.Add(it)
	}
	return q, nil
}

// Def is a queue read from a model (queries/read): the section, the queue and how a row
// reads as an item.
type Def struct {
	Section Section
	Queue   read.Queue
	Item    func(read.Row) Item
}

// FromMart reads def's queue over the last models run; before any run the section says so.
func FromMart(ctx context.Context, db *warehouse.DB, def Def) (Section, error) {
	q := def.Section
	rows, built, err := read.Rows(ctx, db, def.Queue)
	if err != nil {
		return q, err
	}
	if !built {
		q.Empty = "尚未更新统计，暂无数据。"
		return q, nil
	}
	for _, r := range rows {
		q.Add(def.Item(r))
	}
	return q, nil
}

// Patch: imagery patches not yet verified, those without a licence first (read.PatchQueue).
var Patch = Def{
	Section: Section{Title: "待核查的卫片图斑（无证开采嫌疑在前）", More: "/staff/imagery", Empty: "图斑均已核查。"},
	Queue:   read.PatchQueue,
	Item: func(r read.Row) Item {
		return Item{Label: fmt.Sprintf("图斑 %s %s%s，%s 成像，%s", r.ID, r.Township, r.Village, Day(r.Day), campaign.Label("licence_status", r.Code)),
			Link: "/staff/imagery?licence=" + r.Code}
	},
}

// Alerts: power alerts without a field check (read.AlertQueue); a township's own when town is set.
func Alerts(town string) Def {
	return Def{
		Section: Section{Title: "待现场核查的用电预警", More: "/staff/power", Empty: "用电预警均已核查。"},
		Queue:   read.AlertQueue(town),
		Item: func(r read.Row) Item {
			return Item{Label: fmt.Sprintf("%s 户号 %s %s，%s 起", campaign.Label("rule", r.Code), r.Ref, r.Township, Day(r.Day)),
				Link: "/staff/power/meters/" + r.Ref, Due: Day(r.Due), Overdue: r.Late}
		},
	}
}

// Cutoffs: cut-offs the office ordered that the power company has not confirmed.
var Cutoffs = Def{
	Section: Section{Title: "待确认的终止供电", More: "/staff/power/meters", Empty: "没有待确认的终止供电。"},
	Queue:   read.CutoffQueue,
	Item: func(r read.Row) Item {
		return Item{Label: fmt.Sprintf("户号 %s（%s）%s 下令终止供电", r.Ref, r.Township, Day(r.Day)), Link: "/staff/power/meters/" + r.Ref}
	},
}

// Stages: the stages of the enforcement chain a member unit owns and has not done.
func Stages(unit string) Def {
	return Def{
		Section: Section{Title: "本单位待办的办案环节", More: "/staff/mine", Empty: "没有待办的办案环节。"},
		Queue:   read.StageQueue(unit),
		Item: func(r read.Row) Item {
			return Item{Label: fmt.Sprintf("案件 %s：%s", r.ID, r.Name), Link: "/staff/cases/" + r.ID, Due: Day(r.Due), Overdue: r.Late}
		},
	}
}

// Prices: price determinations past their due day.
var Prices = Def{
	Section: Section{Title: "逾期的价格认定", More: "/staff/cases", Empty: "没有逾期的价格认定。"},
	Queue:   read.PriceQueue,
	Item: func(r read.Row) Item {
		return Item{Label: fmt.Sprintf("案件 %s（%s）价格认定", r.ID, r.Township), Link: "/staff/cases/" + r.ID, Due: Day(r.Due), Overdue: true}
	},
}

// Ledger: ledger items past their deadline and not rectified; a township's own when town is set.
func Ledger(town string) Def {
	title := "逾期未整改的问题"
	if town != "" {
		title = "本乡镇逾期未整改的问题"
	}
	return Def{
		Section: Section{Title: title, More: "/staff/ledger", Empty: "没有逾期未整改的问题。"},
		Queue:   read.LedgerQueue(town),
		Item: func(r read.Row) Item {
			return Item{Label: fmt.Sprintf("%s %s%s · %s", r.ID, r.Township, r.Village, r.Name), Link: "/staff/accountability/" + r.ID,
				Due: Day(r.Due), Overdue: true}
		},
	}
}

// Forms: the forms a township still owes.
func Forms(town string) Def {
	return Def{
		Section: Section{Title: "应报未报的排查表", More: "/staff/upload", Empty: "排查表均已报送。"},
		Queue:   read.FormsQueue(town),
		Item: func(r read.Row) Item {
			return Item{Label: r.Village + r.Name, Link: "/staff/upload", Due: Day(r.Due), Overdue: r.Late}
		},
	}
}

// Blame: items handed to discipline inspection without an outcome yet.
var Blame = Def{
	Section: Section{Title: "已移交待处理的问责事项", More: "/staff/accountability", Empty: "没有待处理的问责事项。"},
	Queue:   read.BlameQueue,
	Item: func(r read.Row) Item {
		return Item{Label: fmt.Sprintf("%s %s · %s，%s 移交", r.ID, r.Township, r.Name, Day(r.Day)), Link: "/staff/accountability/" + r.ID}
	},
}

// Red: the townships rated red on the last run.
var Red = Def{
	Section: Section{Title: "评为红色的乡镇", More: "/staff/scorecard", Empty: "没有评为红色的乡镇。"},
	Queue:   read.RedQueue,
	Item: func(r read.Row) Item {
		return Item{Label: r.Township + " " + r.Name, Link: "/staff/scorecard"}
	},
}

// Cases and Clues: what the office handed to u's member unit.
func Cases(ctx context.Context, cases *casestore.Store, u *accounts.User) (Section, error) {
	q := Section{Title: "交办本单位的案件", More: "/staff/mine", Empty: "没有交办的案件。"}
	list, err := cases.ListCases(ctx, u, casestore.Filter{}, "")
	if err != nil && err != casestore.ErrNotBuilt {
		return q, err
	}
	for _, r := range list {
		q.Add(Item{Label: fmt.Sprintf("案件 %s %s · %s", r.ID, r.Township, r.Status), Link: "/staff/cases/" + r.ID})
	}
	return q, nil
}

func Clues(ctx context.Context, cases *casestore.Store, u *accounts.User) (Section, error) {
	q := Section{Title: "交办本单位核查的线索", More: "/staff/mine", Empty: "没有交办的线索。"}
	list, err := cases.ListClues(ctx, u, casestore.Filter{}, "")
	if err != nil && err != casestore.ErrNotBuilt {
		return q, err
	}
	for _, r := range list {
		if r.Verdict == "属实" || r.Verdict == "不属实" {
			continue
		}
		q.Add(Item{Label: fmt.Sprintf("线索 %s %s · %s", r.ID, r.Township, r.Verdict), Link: "/staff/clues/" + r.ID})
	}
	return q, nil
}

// Payments: approved rewards not yet paid.
func Payments(ctx context.Context, tips *tipstore.Store) (Section, error) {
	q := Section{Title: "待支付的奖励", More: "/staff/rewards", Empty: "没有待支付的奖励。"}
	lines, err := tips.RewardLines(ctx)
	if err != nil {
		return q, err
	}
	for _, l := range lines {
		if l.PayoutID == "" {
			q.Add(Item{Label: fmt.Sprintf("奖励 %s（%s，%s 元，%s 批准）", l.RewardID, l.Township, l.Amount, l.ApprovedOn), Link: "/staff/rewards"})
		}
	}
	return q, nil
}

// Publish: the statistics of the last run when they are newer than what the public sees.
func Publish(ctx context.Context, db *warehouse.DB) (Section, error) {
	q := Section{Title: "待审核发布的统计", More: "/staff/publish", Empty: "公众页面已是最新统计。"}
	run, err := queries.LatestAsOf(ctx, db)
	if err != nil {
		q.Empty = "尚未更新统计，暂无统计。"
		return q, nil
	}
	snap, err := reports.LatestSnapshot(ctx, db)
	if err != nil {
		return q, err
	}
	if snap == nil || snap.Stats.AsOf < run.Format(time.DateOnly) {
		label := fmt.Sprintf("截至 %s 的统计待审核发布", run.Format(time.DateOnly))
		if snap != nil {
			label += fmt.Sprintf("（公众页面现为截至 %s 的版本）", snap.Stats.AsOf)
		}
		q.Add(Item{Label: label, Link: "/staff/publish"})
	}
	return q, nil
}

// Briefings: the latest weekly briefings.
func Briefings(ctx context.Context, db *warehouse.DB) (Section, error) {
	q := Section{Title: "最新工作周报", More: "/staff/briefings", Empty: "尚无工作周报。"}
	list, err := reports.Briefings(ctx, db)
	if err != nil {
		return q, err
	}
	for i, b := range list {
		if i == 3 {
			break
		}
		mon := b.AsOf.AddDate(0, 0, -int((b.AsOf.Weekday()+6)%7))
		q.Add(Item{Label: fmt.Sprintf("%d年%s工作周报（截至 %s）", mon.Year(), campaign.DaySpan(mon, mon.AddDate(0, 0, 6)), b.AsOf.Format(time.DateOnly)), Link: "/staff/briefings/" + b.FileName})
	}
	q.Count = len(list)
	return q, nil
}

// The required actions per violation (mart_violation_actions, queries/README.md "Required
// actions"): each owner sees its actions due — a member unit those it owns (the power company its
// 终止供电 confirmations), a township its 制止 and 恢复治理, the office its 终止供电 orders — and the
// office the violations with an action overdue or unable to start for want of the record before it
// (no case filed, no order given, no restoration plan).

// actionLink is the page where an action is worked: the meter for 终止供电, the first case for a
// case's action, a member unit's own cases and clues when there is no case yet, else the
// violations list (the office's and a township's).
func actionLink(kind, action, ref, records string) string {
	switch {
	case action == "cutoff_order" || action == "cutoff_done":
		return "/staff/power/meters/" + ref
	case records != "" && action != "restore" && action != "stop":
		id, _, _ := strings.Cut(records, ",")
		return "/staff/cases/" + id
	case kind == "unit":
		return "/staff/mine"
	}
	return "/staff/violations"
}

// Actions: the actions an owner has due (read.ActionQueue). kind is the owner kind (unit,
// township, office) and owner its name (a unit's short name, a township, 办公室).
func Actions(kind, owner, title string) Def {
	more := "/staff/violations"
	if kind == "unit" {
		more = "/staff/mine"
	}
	return Def{
		Section: Section{Title: title, More: more, Empty: "没有到期的应办事项。"},
		Queue:   read.ActionQueue(kind, owner),
		Item: func(r read.Row) Item {
			label := fmt.Sprintf("违法点位 %s（%s%s）：%s", r.ID, r.Township, r.Village, r.Name)
			if r.Ref != r.ID {
				label += "，户号 " + r.Ref
			}
			return Item{Label: label, Link: actionLink(kind, r.Code, r.Ref, r.Records), Due: Day(r.Due), Overdue: r.Late}
		},
	}
}

// ViolationActions: the office's list of violations with an action overdue or not started,
// the most overdue first (read.ViolationActionQueue).
var ViolationActions = Def{
	Section: Section{Title: "应办事项逾期或缺失的违法点位", More: "/staff/violations", Empty: "所有违法点位的应办事项均按期办理。"},
	Queue:   read.ViolationActionQueue,
	Item: func(r read.Row) Item {
		var parts []string
		if r.Name != "" {
			parts = append(parts, "逾期："+r.Name)
		}
		if r.Missing != "" {
			parts = append(parts, "尚未起办："+r.Missing)
		}
		return Item{Label: fmt.Sprintf("违法点位 %s（%s%s）%s", r.ID, r.Township, r.Village, strings.Join(parts, "；")),
			Link: "/staff/violations", Due: Day(r.Due), Overdue: r.Name != ""}
	},
}

// channel: a channel's clues without a check, by deadline (read.ChannelQueue); a township's
// own when town is set.
func channel(channel, title, more, town string) Def {
	mart := map[string]string{cluecheck.Explosives: "mart_explosives_flows", cluecheck.Video: "mart_video_events"}[channel]
	key := map[string]string{cluecheck.Explosives: "flow_id", cluecheck.Video: "event_id"}[channel]
	place := map[string]string{cluecheck.Explosives: "site", cluecheck.Video: "camera_id"}[channel]
	return Def{
		Section: Section{Title: title, More: more, Empty: "线索均已核查。"},
		Queue:   read.ChannelQueue(mart, key, place, town),
		Item: func(r read.Row) Item {
			return Item{Label: fmt.Sprintf("%s %s %s", r.ID, r.Township, r.Ref), Link: more, Due: Day(r.Due), Overdue: r.Late}
		},
	}
}

// Explosives and Video are the work queues' sections of the two channels.
func Explosives() Def {
	return channel(cluecheck.Explosives, "待核查的民爆流向线索", "/staff/explosives", "")
}

func Video(town string) Def {
	return channel(cluecheck.Video, "待核查的视频监控线索", "/staff/video", town)
}
