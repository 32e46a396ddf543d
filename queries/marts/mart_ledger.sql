-- The rectification ledger (整改台账) as of the run's as-of: every problem and every violation no
-- problem matched, with its deadline and status; reported_on and the point are the problem's (for a
-- violation item, its first_seen and point). deadline is the item's 整改时限 from the 责任分解表
-- when it has one; reopened_on the 整改不实 re-inspection (回头看) or 不合格 acceptance that reopened
-- it. A 重点 item declared done and not yet accepted is 待验收 until acceptance_due, then overdue with
-- overdue_reason 未验收; accepted_on is its acceptance (int_ledger_items, queries/README.md "Acceptance").
-- unique: item_id
-- not_null: item_id, kind, township, deadline, status_as_of, on_time, overdue
-- accepted_values: kind = problem, violation
-- accepted_values: status_as_of = 未整改, 整改中, 已整改, 待验收
-- accepted_values: overdue_reason = 逾期未整改, 未验收
-- A frozen as-of shows the rows stored when it was frozen (frozen_at says when; the macro
-- frozen_overlay, queries/macros.sql).
WITH computed AS (
    SELECT i.as_of, i.item_id, i.kind, i.township, i.village, i.category, i.reported_on, i.lon, i.lat, i.deadline, i.status_as_of,
        i.rectified_on, i.on_time, i.overdue, i.reopened_on, i.acceptance_due, i.accepted_on, i.overdue_reason
    FROM int_ledger_items i
    JOIN stg_config__parameters p ON p.as_of = i.as_of
),
frozen AS (
    SELECT s.*
    FROM stg_freeze__ledger s
    JOIN stg_config__parameters p ON p.as_of = s.as_of
)
SELECT * EXCLUDE (as_of)
FROM frozen_overlay(computed, frozen)
ORDER BY township, deadline, item_id
