package portal

// The required actions per violation in the work queues (mart_violation_actions, queries/README.md
// "Required actions"): each owner sees its actions due — a member unit those it owns (the power
// company its 终止供电 confirmations), a township its 制止 and 恢复治理, the office its 终止供电
// orders — and the office the violations with an action overdue or unable to start for want of
// the record before it (no case filed, no order given, no restoration plan).

import (
	"fmt"
	"strings"

	"landwatch/queries/read"
)

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

// actionQueue: the actions an owner has due (read.ActionQueue). kind is the owner kind (unit,
// township, office) and owner its name (a unit's short name, a township, 办公室).
func actionQueue(kind, owner, title string) martQueueDef {
	more := "/staff/violations"
	if kind == "unit" {
		more = "/staff/mine"
	}
	return martQueueDef{
		section: queueSection{Title: title, More: more, Empty: "没有到期的应办事项。"},
		queue:   read.ActionQueue(kind, owner),
		item: func(r read.Row) queueItem {
			label := fmt.Sprintf("违法点位 %s（%s%s）：%s", r.ID, r.Township, r.Village, r.Name)
			if r.Ref != r.ID {
				label += "，户号 " + r.Ref
			}
			return queueItem{Label: label, Link: actionLink(kind, r.Code, r.Ref, r.Records), Due: queueDay(r.Due), Overdue: r.Late}
		},
	}
}

// violationActionQueue: the office's list of violations with an action overdue or not started,
// the most overdue first (read.ViolationActionQueue).
var violationActionQueue = martQueueDef{
	section: queueSection{Title: "应办事项逾期或缺失的违法点位", More: "/staff/violations", Empty: "所有违法点位的应办事项均按期办理。"},
	queue:   read.ViolationActionQueue,
	item: func(r read.Row) queueItem {
		var parts []string
		if r.Name != "" {
			parts = append(parts, "逾期："+r.Name)
		}
		if r.Missing != "" {
			parts = append(parts, "尚未起办："+r.Missing)
		}
		return queueItem{Label: fmt.Sprintf("违法点位 %s（%s%s）%s", r.ID, r.Township, r.Village, strings.Join(parts, "；")),
			Link: "/staff/violations", Due: queueDay(r.Due), Overdue: r.Name != ""}
	},
}
