-- The rectification ledger (整改台账) as of the run's as-of: every problem and every violation no
-- problem matched, with its deadline and status; reported_on and the point are the problem's (for a
-- violation item, its first_seen and point). deadline is the item's 整改时限 from the 责任分解表
-- when it has one; reopened_on the 整改不实 re-inspection (回头看) that reopened it.
-- unique: item_id
-- not_null: item_id, kind, township, deadline, status_as_of, on_time, overdue
-- accepted_values: kind = problem, violation
-- accepted_values: status_as_of = 未整改, 整改中, 已整改
-- A frozen as-of shows the rows stored when it was frozen (frozen_at says when).
SELECT * FROM (
    SELECT i.item_id, i.kind, i.township, i.village, i.category, i.reported_on, i.lon, i.lat, i.deadline, i.status_as_of,
        i.rectified_on, i.on_time, i.overdue, i.reopened_on, CAST(NULL AS TIMESTAMP) AS frozen_at
    FROM int_ledger_items i
    JOIN stg_config__parameters p ON p.as_of = i.as_of
    WHERE p.as_of NOT IN (SELECT as_of FROM stg_freeze__freezes)
    UNION ALL BY NAME
    SELECT s.* EXCLUDE (as_of), f.frozen_at
    FROM stg_freeze__ledger s
    JOIN stg_config__parameters p ON p.as_of = s.as_of
    JOIN stg_freeze__freezes f ON f.as_of = s.as_of
)
ORDER BY township, deadline, item_id
