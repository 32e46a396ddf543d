package read

// The work queues' queries (portal/queues.go arranges them into sections): each names the mart it
// needs and reads its rows, oldest deadline first, into Rows whose fields each queue documents.

import (
	"context"
	"database/sql"

	"landwatch/warehouse"
)

// Row is one row of a work queue; each queue says which fields it fills.
type Row struct {
	ID, Township, Village string
	// Code is a code the label table translates (a rule, a status, an action); Name a name already
	// in words (a stage, a form, a reason); Ref a second key (a meter, a site, a camera).
	Code, Name, Ref string
	// Records are the case records of an action (comma-separated); Missing the actions not yet
	// started.
	Records, Missing string
	Day, Due         sql.NullTime
	Late             bool
}

// Queue is a queue read from a model: the mart it needs, its query (bound args) and how to read a
// row.
type Queue struct {
	Model string
	query string
	args  []any
	scan  func(*sql.Rows, *Row) error
}

// Rows runs q over the last models run; built is false (and no row) before the model exists.
func Rows(ctx context.Context, db *warehouse.DB, q Queue) (rows []Row, built bool, err error) {
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_name = ?`, q.Model).Scan(&n); err != nil {
		return nil, false, err
	}
	if n == 0 {
		return nil, false, nil
	}
	err = warehouse.EachRow(ctx, db, q.query, q.args, func(rs *sql.Rows) error {
		var r Row
		if err := q.scan(rs, &r); err != nil {
			return err
		}
		rows = append(rows, r)
		return nil
	})
	return rows, true, err
}

// PatchQueue: imagery patches not yet verified on the ground, those outside every licence first
// (无证开采嫌疑), then those inside an expired one (mart_imagery_triage). ID, Township, Village,
// Day (imaged on), Code (licence status).
var PatchQueue = Queue{
	Model: "mart_imagery_triage",
	query: `SELECT i.patch_id, i.township, coalesce(i.village, ''), i.imaged_on, t.licence_status FROM stg_imagery__patches i
		CROSS JOIN stg_config__parameters p
		JOIN mart_imagery_triage t ON t.patch_id = i.patch_id
		WHERE known_at(i.known_from, i.known_until, p.as_of) AND i.verdict = '未核查'
		ORDER BY CASE t.licence_status WHEN 'no_licence' THEN 0 WHEN 'expired_licence' THEN 1 ELSE 2 END, i.imaged_on, i.patch_id`,
	scan: func(rs *sql.Rows, r *Row) error { return rs.Scan(&r.ID, &r.Township, &r.Village, &r.Day, &r.Code) },
}

// AlertQueue: power alerts without a field check, due power.check_days after the alert's last
// day (mart_power_alerts); a township's own when town is set. ID (alert), Ref (meter), Township,
// Code (rule), Day (first day), Due, Late.
func AlertQueue(town string) Queue {
	q := `SELECT alert_id, meter_id, coalesce(township, ''), rule, first_day, check_due_on, check_late FROM mart_power_alerts
		WHERE check_result IS NULL`
	var args []any
	if town != "" {
		q += ` AND township = ?`
		args = append(args, town)
	}
	return Queue{Model: "mart_power_alerts", query: q + ` ORDER BY check_due_on, alert_id`, args: args,
		scan: func(rs *sql.Rows, r *Row) error {
			return rs.Scan(&r.ID, &r.Ref, &r.Township, &r.Code, &r.Day, &r.Due, &r.Late)
		}}
}

// CutoffQueue: cut-offs the office ordered that the power company has not confirmed. Ref (meter),
// Township, Day (ordered on).
var CutoffQueue = Queue{
	Model: "mart_power_alerts",
	query: `SELECT DISTINCT meter_id, coalesce(township, ''), cutoff_ordered_on FROM mart_power_alerts
		WHERE cutoff_ordered_on IS NOT NULL AND cutoff_done_on IS NULL ORDER BY cutoff_ordered_on, meter_id`,
	scan: func(rs *sql.Rows, r *Row) error { return rs.Scan(&r.Ref, &r.Township, &r.Day) },
}

// StageQueue: the stages of the enforcement chain a member unit owns and has not done
// (mart_case_stages), by deadline. ID (case), Name (stage), Due, Late.
func StageQueue(unit string) Queue {
	return Queue{
		Model: "mart_case_stages",
		query: `SELECT m.case_id, coalesce(c.name, m.stage), m.due_on, m.overdue FROM mart_case_stages m
			LEFT JOIN stg_config__case_stages c ON c.stage = m.stage
			WHERE m.unit = ? AND m.done_on IS NULL ORDER BY m.due_on, m.case_id`,
		args: []any{unit},
		scan: func(rs *sql.Rows, r *Row) error { return rs.Scan(&r.ID, &r.Name, &r.Due, &r.Late) },
	}
}

// PriceQueue: price determinations past their due day. ID (case), Township, Due.
var PriceQueue = Queue{
	Model: "mart_cases_pipeline",
	query: `SELECT case_id, township, price_due_on FROM mart_cases_pipeline
		WHERE price_late AND price_done_on IS NULL ORDER BY price_due_on, case_id`,
	scan: func(rs *sql.Rows, r *Row) error { return rs.Scan(&r.ID, &r.Township, &r.Due) },
}

// LedgerQueue: ledger items past their deadline and not rectified; a township's own when town is
// set. ID, Township, Village, Due, Name (status).
func LedgerQueue(town string) Queue {
	q := `SELECT item_id, township, coalesce(village, ''), deadline, status_as_of FROM mart_ledger
		WHERE overdue AND status_as_of <> '已整改'`
	var args []any
	if town != "" {
		q += ` AND township = ?`
		args = append(args, town)
	}
	return Queue{Model: "mart_ledger", query: q + ` ORDER BY deadline, item_id`, args: args,
		scan: func(rs *sql.Rows, r *Row) error { return rs.Scan(&r.ID, &r.Township, &r.Village, &r.Due, &r.Name) }}
}

// FormsQueue: the forms a township still owes (mart_forms_owed). Name (form), Village, Due, Late.
func FormsQueue(town string) Queue {
	return Queue{
		Model: "mart_forms_owed",
		query: `SELECT form, coalesce(village, ''), due_on, overdue FROM mart_forms_owed
			WHERE owed AND township = ? ORDER BY due_on, village`,
		args: []any{town},
		scan: func(rs *sql.Rows, r *Row) error { return rs.Scan(&r.Name, &r.Village, &r.Due, &r.Late) },
	}
}

// BlameQueue: items handed to discipline inspection without an outcome yet. ID, Township, Name
// (reason), Day (transferred on).
var BlameQueue = Queue{
	Model: "mart_accountability",
	query: `SELECT item_id, township, reason, transferred_on FROM mart_accountability
		WHERE transferred_on IS NOT NULL AND outcome IS NULL ORDER BY transferred_on, item_id`,
	scan: func(rs *sql.Rows, r *Row) error { return rs.Scan(&r.ID, &r.Township, &r.Name, &r.Day) },
}

// RedQueue: the townships rated red on the last run. Township, Name (reasons).
var RedQueue = Queue{
	Model: "mart_township_scorecard",
	query: `SELECT township, coalesce(reasons, '') FROM mart_township_scorecard
		WHERE level = 'red' AND as_of = (SELECT as_of FROM stg_config__parameters) ORDER BY township`,
	scan: func(rs *sql.Rows, r *Row) error { return rs.Scan(&r.Township, &r.Name) },
}

// ChannelQueue: the clues of a channel's mart (mart_explosives_flows, mart_video_events) without a
// check, by deadline; a township's own when town is set. key is the mart's clue key and place the
// column that says where (a site, a camera). ID, Ref (place), Township, Due, Late.
func ChannelQueue(mart, key, place, town string) Queue {
	q := `SELECT ` + key + `, ` + place + `, township, check_due_on, check_late FROM ` + mart + ` WHERE is_clue AND check_result IS NULL`
	var args []any
	if town != "" {
		q += ` AND township = ?`
		args = append(args, town)
	}
	return Queue{Model: mart, query: q + ` ORDER BY check_due_on, 1`, args: args,
		scan: func(rs *sql.Rows, r *Row) error { return rs.Scan(&r.ID, &r.Ref, &r.Township, &r.Due, &r.Late) }}
}

// actionsModel is the mart every action queue reads (queries/README.md "Required actions").
const actionsModel = "mart_violation_actions"

// ActionQueue: the actions an owner has due (待办 with a deadline, or 逾期), by deadline. kind is
// the owner kind (unit, township, office) and owner its name (a unit's short name, a township,
// 办公室). ID (violation), Township, Village, Code (action), Name (action's name), Ref, Records,
// Due, Late.
func ActionQueue(kind, owner string) Queue {
	return Queue{
		Model: actionsModel,
		query: `SELECT violation_id, township, coalesce(village, ''), action, action_name, ref, coalesce(records, ''), due_on, state = '逾期'
			FROM mart_violation_actions
			WHERE owner_kind = ? AND unit = ? AND state IN ('待办', '逾期') AND due_on IS NOT NULL
			ORDER BY due_on, violation_id, ref`,
		args: []any{kind, owner},
		scan: func(rs *sql.Rows, r *Row) error {
			return rs.Scan(&r.ID, &r.Township, &r.Village, &r.Code, &r.Name, &r.Ref, &r.Records, &r.Due, &r.Late)
		},
	}
}

// ViolationActionQueue: the violations with an action 逾期, or 待办 without a deadline (its start
// is missing: no 立案 for 处罚决定, no order for the confirmation, no plan for 恢复治理), the most
// overdue first. ID (violation), Township, Village, Name (the overdue actions' names), Missing (the
// actions not started), Due (the earliest overdue deadline).
var ViolationActionQueue = Queue{
	Model: actionsModel,
	query: `SELECT violation_id, any_value(township), coalesce(any_value(village), ''),
			coalesce(string_agg(DISTINCT action_name, '、' ORDER BY action_name) FILTER (WHERE state = '逾期'), ''),
			coalesce(string_agg(DISTINCT action_name, '、' ORDER BY action_name) FILTER (WHERE state = '待办' AND due_on IS NULL), ''),
			min(due_on) FILTER (WHERE state = '逾期')
		FROM mart_violation_actions
		GROUP BY violation_id
		HAVING count(*) FILTER (WHERE state = '逾期' OR (state = '待办' AND due_on IS NULL)) > 0
		ORDER BY min(due_on) FILTER (WHERE state = '逾期') NULLS LAST, violation_id`,
	scan: func(rs *sql.Rows, r *Row) error {
		return rs.Scan(&r.ID, &r.Township, &r.Village, &r.Name, &r.Missing, &r.Due)
	},
}
