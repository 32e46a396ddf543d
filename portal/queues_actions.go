package portal

// The required actions per violation in the work queues (mart_violation_actions, queries/README.md
// "Required actions"): each owner sees its actions due — a member unit those it owns (the power
// company its 终止供电 confirmations), a township its 制止 and 恢复治理, the office its 终止供电
// orders — and the office the violations with an action overdue or unable to start for want of
// the record before it (no case filed, no order given, no restoration plan).

import (
	"database/sql"
	"fmt"
	"strings"
)

// actionsModel is the mart every action queue reads.
const actionsModel = "mart_violation_actions"

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

// actionQueue: the actions an owner has due (待办 with a deadline, or 逾期), by deadline. kind is
// the owner kind (unit, township, office) and owner its name (a unit's short name, a township, 办公室).
func actionQueue(kind, owner, title string) martQueueDef {
	more := "/staff/violations"
	if kind == "unit" {
		more = "/staff/mine"
	}
	return martQueueDef{
		section: queueSection{Title: title, More: more, Empty: "没有到期的应办事项。"},
		model:   actionsModel,
		query: `SELECT violation_id, township, coalesce(village, ''), action, action_name, ref, coalesce(records, ''), due_on, state = '逾期'
			FROM mart_violation_actions
			WHERE owner_kind = ? AND unit = ? AND state IN ('待办', '逾期') AND due_on IS NOT NULL
			ORDER BY due_on, violation_id, ref`,
		args: []any{kind, owner},
		row: func(r *sql.Rows) (queueItem, error) {
			var id, town, village, action, name, ref, records string
			var due sql.NullTime
			var overdue bool
			err := r.Scan(&id, &town, &village, &action, &name, &ref, &records, &due, &overdue)
			label := fmt.Sprintf("违法点位 %s（%s%s）：%s", id, town, village, name)
			if ref != id {
				label += "，户号 " + ref
			}
			return queueItem{Label: label, Link: actionLink(kind, action, ref, records), Due: queueDay(due), Overdue: overdue}, err
		},
	}
}

// violationActionQueue: the office's list of violations with an action 逾期, or 待办 without a
// deadline (its start is missing: no 立案 for 处罚决定, no order for the confirmation, no plan for
// 恢复治理), the most overdue first.
var violationActionQueue = martQueueDef{
	section: queueSection{Title: "应办事项逾期或缺失的违法点位", More: "/staff/violations", Empty: "所有违法点位的应办事项均按期办理。"},
	model:   actionsModel,
	query: `SELECT violation_id, any_value(township), coalesce(any_value(village), ''),
			coalesce(string_agg(DISTINCT action_name, '、' ORDER BY action_name) FILTER (WHERE state = '逾期'), ''),
			coalesce(string_agg(DISTINCT action_name, '、' ORDER BY action_name) FILTER (WHERE state = '待办' AND due_on IS NULL), ''),
			min(due_on) FILTER (WHERE state = '逾期')
		FROM mart_violation_actions
		GROUP BY violation_id
		HAVING count(*) FILTER (WHERE state = '逾期' OR (state = '待办' AND due_on IS NULL)) > 0
		ORDER BY min(due_on) FILTER (WHERE state = '逾期') NULLS LAST, violation_id`,
	row: func(r *sql.Rows) (queueItem, error) {
		var id, town, village, overdue, missing string
		var due sql.NullTime
		err := r.Scan(&id, &town, &village, &overdue, &missing, &due)
		var parts []string
		if overdue != "" {
			parts = append(parts, "逾期："+overdue)
		}
		if missing != "" {
			parts = append(parts, "尚未起办："+missing)
		}
		return queueItem{Label: fmt.Sprintf("违法点位 %s（%s%s）%s", id, town, village, strings.Join(parts, "；")),
			Link: "/staff/violations", Due: queueDay(due), Overdue: overdue != ""}, err
	},
}
