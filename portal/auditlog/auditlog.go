// Package auditlog: the audit log as a list (审计日志): every entry the reader may see, checked by audit.Verify, as a
// sentence (view.AuditSentences, portal/view/words.go), filtered by 操作, 操作人 and dates and exported with the
// same filters (portal/view/list.go).
// portal/routes.go mounts its pages.
package auditlog

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"landwatch/audit"
	"landwatch/campaign"
	"landwatch/portal/view"
	"landwatch/portal/web"
	"landwatch/queries/read"
	"landwatch/store/accounts"
)

// Pages are the handlers of these pages (portal/routes.go mounts them).
type Pages struct{ *web.Kit }

// auditRow is one entry as the list shows it: its number over what the reader sees, the local
// time, who acted (a person, not a login name: portal/view/people.go), the action's name and the sentence.
type auditRow struct {
	N                          int64
	At, Person, Action, Detail string
}

// auditShown are the entries u may see, newest first, numbered over what u sees (the oldest is 1),
// and the problems audit.Verify finds, worded for u.
func (h *Pages) auditShown(c *fiber.Ctx, u *accounts.User) ([]audit.Entry, []string, error) {
	n, findings, err := audit.Verify(c.UserContext(), h.DB)
	if err != nil {
		return nil, nil, err
	}
	all, err := audit.Recent(c.UserContext(), h.DB, n) // newest first; Verify has just read them all anyway
	if err != nil {
		return nil, nil, err
	}
	hidden, err := h.Tips.HiddenFrom(c.UserContext(), u)
	if err != nil {
		return nil, nil, err
	}
	var shown []audit.Entry
	for _, e := range all {
		if !hidden[e.Object] && !hidden["T"+strings.TrimPrefix(e.Object, "R")] { // a tip about officials, or its reward
			shown = append(shown, e)
		}
	}
	// numbered over what this reader sees (the oldest is 1), never by the chain's own sequence,
	// whose gaps would show where hidden entries are and how many; a defect is named by that number,
	// or, on an entry the reader does not see (or one deleted), by no number at all
	own := make(map[int64]int64, len(shown))
	for i := range shown {
		own[shown[i].Seq] = int64(len(shown) - i)
		shown[i].Seq = int64(len(shown) - i)
	}
	var problems []string
	for _, f := range findings {
		switch n, ok := own[f.Seq]; {
		case len(hidden) == 0:
			problems = append(problems, f.String())
		case ok:
			problems = append(problems, strings.Replace(f.String(), fmt.Sprintf("第 %d 条", f.Seq), fmt.Sprintf("第 %d 条", n), 1))
		default:
			problems = append(problems, "一处问题所涉的条目不在本账号可见的记录中（或已被删除），请纪检监察核对")
		}
	}
	return shown, problems, nil
}

// auditRows are the entries of shown the request's filters select: 操作 (the action's name from
// the label table), 操作人 (the person as the list words it) and 起始日期/截止日期 (the
// county's local day). The options are those the entries hold.
func (h *Pages) auditRows(c *fiber.Ctx, shown []audit.Entry) ([]auditRow, map[string]any, error) {
	people, _ := accounts.People(c.UserContext(), h.DB) // on a failure every actor is worded as an office
	rows := make([]auditRow, len(shown))
	var actions, persons []read.Option
	for i, e := range shown {
		person := view.PersonWords(people, e.Actor)
		rows[i] = auditRow{N: e.Seq, At: e.At.In(h.Cfg.Location()).Format("2006-01-02 15:04:05"), Person: person,
			Action: campaign.Label("audit_action", e.Action), Detail: view.AuditText(h.Cfg, person, e.Action, e.Object, e.Detail)}
		if !slices.ContainsFunc(actions, func(o read.Option) bool { return o.Value == rows[i].Action }) {
			actions = append(actions, read.Option{Value: rows[i].Action, Label: rows[i].Action}) // the name, never the code, even in the form
		}
		if !slices.ContainsFunc(persons, func(o read.Option) bool { return o.Value == person }) {
			persons = append(persons, read.Option{Value: person, Label: person})
		}
	}
	byLabel := func(a, b read.Option) int {
		return cmp.Or(strings.Compare(a.Label, b.Label), strings.Compare(a.Value, b.Value))
	}
	slices.SortFunc(actions, byLabel)
	slices.SortFunc(persons, byLabel)
	data := map[string]any{"Path": "/staff/audit"}
	action, err := view.PickFilter(c, read.Filter{Param: "action", Label: "操作"}, actions)
	data["Filters"] = []read.Choice{action}
	if err != nil {
		return nil, data, err
	}
	actor, err := view.PickFilter(c, read.Filter{Param: "actor", Label: "操作人"}, persons)
	choices := []read.Choice{action, actor}
	data["Filters"] = choices
	if err != nil {
		return nil, data, err
	}
	days, err := view.ReadDays(c)
	data["Days"] = days.Form()
	if err != nil {
		return nil, data, err
	}
	data["Filtered"] = view.Filtered(choices) || days != (view.Days{})
	var out []auditRow
	for i, r := range rows {
		if (action.Value == "" || r.Action == action.Value) && (actor.Value == "" || r.Person == actor.Value) &&
			days.Holds(shown[i].At.In(h.Cfg.Location())) {
			out = append(out, r)
		}
	}
	return out, data, nil
}

func (h *Pages) Page(c *fiber.Ctx, u *accounts.User) error {
	shown, problems, err := h.auditShown(c, u)
	if err != nil {
		return err
	}
	rows, data, err := h.auditRows(c, shown)
	data["Shown"], data["Findings"] = len(shown), problems
	if err != nil {
		return h.ListError(c, "audit", "审计日志", data, err)
	}
	page1, links, err := view.PageSlice(c, rows)
	if err == nil {
		data["ExportURL"], err = view.ExportURL(c, "/staff/export/audit.xlsx")
	}
	if err != nil {
		return h.ListError(c, "audit", "审计日志", data, err)
	}
	data["Rows"], data["Pages"], data["Total"] = page1, links, len(rows)
	return h.Render(c, "audit", web.Page{Title: "审计日志", Data: data})
}

// Export sends the entries the filters select, every page of them.
func (h *Pages) Export(c *fiber.Ctx, u *accounts.User) error {
	shown, _, err := h.auditShown(c, u)
	if err != nil {
		return err
	}
	rows, _, err := h.auditRows(c, shown)
	if err != nil {
		return h.ListError(c, "error", "审计日志", nil, err)
	}
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = []string{fmt.Sprint(r.N), r.At, r.Person, r.Action, r.Detail}
	}
	return view.SendSheet(c, "审计日志", []string{"序号", "时间", "操作人", "操作", "记录"}, out)
}
