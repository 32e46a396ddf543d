-- The rectification ledger (整改台账) as of each date: every problem on the list known then (reported
-- ≤ the date, its form arrived by then), plus every violation no such problem matches (a recurrence
-- is a violation of its own). Deadlines: the item's 整改时限 in the 责任分解表 known then (README
-- "The ledger"), else a problem's 整改时限, else — reported in a 常态化 period (stg_config__periods) —
-- that period's rectification_deadline, else rectification_end, or for one reported after it
-- reported_on + late_item_days; a violation's likewise by its first_seen (its period's
-- rectification_deadline, rectification_end, or first_seen + late_item_days). Rectification rows, 责任分解表 rows and re-inspections name the
-- problem id, or any member id of the violation. rectified_on: the earliest 已整改 row dated ≤ the
-- date whose file had arrived by then — and after reopened_on, the latest 整改不实 re-inspection
-- (回头看) dated ≤ the date and known then, which voids every rectification dated on or before it.
-- duty_*: the item's row of the 责任分解表 known then.
-- unique: as_of, item_id
-- not_null: as_of, item_id, kind, township, deadline, default_deadline, status_as_of, on_time, overdue, rectification_false
-- accepted_values: kind = problem, violation
-- accepted_values: status_as_of = 未整改, 整改中, 已整改
-- accepted_values: duty_class = 重点, 一般
WITH p AS (
    SELECT * FROM stg_config__parameters
),
items AS (
    SELECT a.as_of, pr.problem_id AS item_id, 'problem' AS kind, pr.township, pr.village, pr.category,
        pr.reported_on, pr.lon, pr.lat,
        coalesce(pr.deadline, per.rectification_deadline,
            CASE WHEN pr.reported_on > p.rectification_end THEN pr.reported_on + p.late_item_days
                 ELSE p.rectification_end END) AS deadline
    FROM int_as_of_dates a
    JOIN int_problems_listed pr ON pr.known_on = a.as_of
    CROSS JOIN p
    LEFT JOIN stg_config__periods per ON pr.reported_on BETWEEN per.start_on AND per.end_on
    UNION ALL
    SELECT v.as_of, v.violation_id, 'violation', v.township, v.village, v.category, v.first_seen, v.lon, v.lat,
        coalesce(per.rectification_deadline,
            CASE WHEN v.first_seen > p.rectification_end THEN v.first_seen + p.late_item_days
                 ELSE p.rectification_end END)
    FROM int_violations_classified v
    CROSS JOIN p
    LEFT JOIN stg_config__periods per ON v.first_seen BETWEEN per.start_on AND per.end_on
    WHERE NOT v.matched
),
names AS (
    SELECT as_of, item_id, item_id AS name FROM items WHERE kind = 'problem'
    UNION ALL
    SELECT i.as_of, i.item_id, m.record_id
    FROM items i
    JOIN int_violation_members m ON m.as_of = i.as_of AND m.violation_id = i.item_id
    WHERE i.kind = 'violation'
),
reopened AS (
    SELECT n.as_of, n.item_id, max(x.rechecked_on) AS reopened_on
    FROM names n
    JOIN stg_forms__rechecks x ON x.item_id = n.name AND x.result = '整改不实' AND x.rechecked_on <= n.as_of
        AND known_at(x.known_from, x.known_until, n.as_of)
    GROUP BY n.as_of, n.item_id
),
duty AS (
    -- the item's own row first, else a member's (smallest id)
    SELECT n.as_of, n.item_id,
        first(d.class ORDER BY d.item_id <> n.item_id, d.item_id) AS duty_class,
        first(d.unit ORDER BY d.item_id <> n.item_id, d.item_id) AS duty_unit,
        first(d.person ORDER BY d.item_id <> n.item_id, d.item_id) AS duty_person,
        first(d.requirement ORDER BY d.item_id <> n.item_id, d.item_id) AS duty_requirement,
        first(d.deadline ORDER BY d.item_id <> n.item_id, d.item_id) AS duty_deadline
    FROM names n
    JOIN stg_forms__duties d ON d.item_id = n.name AND known_at(d.known_from, d.known_until, n.as_of)
    GROUP BY n.as_of, n.item_id
),
rect AS (
    SELECT n.as_of, n.item_id,
        min(r.rectified_on) FILTER (WHERE r.status = '已整改' AND r.rectified_on <= n.as_of
            AND (o.reopened_on IS NULL OR r.rectified_on > o.reopened_on)) AS rectified_on,
        bool_or(r.status = '整改中') AS in_progress
    FROM names n
    JOIN stg_forms__rectifications r ON r.item_id = n.name AND known_at(r.known_from, r.known_until, n.as_of)
    LEFT JOIN reopened o ON o.as_of = n.as_of AND o.item_id = n.item_id
    GROUP BY n.as_of, n.item_id
),
dated AS (
    SELECT i.* RENAME (deadline AS default_deadline), coalesce(d.duty_deadline, i.deadline) AS deadline,
        d.duty_class, d.duty_unit, d.duty_person, d.duty_requirement, d.duty_deadline
    FROM items i
    LEFT JOIN duty d ON d.as_of = i.as_of AND d.item_id = i.item_id
)
SELECT i.as_of, i.item_id, i.kind, i.township, i.village, i.category, i.reported_on, i.lon, i.lat, i.deadline,
    CASE WHEN r.rectified_on IS NOT NULL THEN '已整改'
         WHEN r.in_progress THEN '整改中'
         ELSE '未整改' END AS status_as_of,
    r.rectified_on,
    coalesce(r.rectified_on <= i.deadline, false) AS on_time,
    i.deadline < i.as_of AND r.rectified_on IS NULL AS overdue,
    o.reopened_on,
    o.reopened_on IS NOT NULL AS rectification_false,
    i.default_deadline, i.duty_class, i.duty_unit, i.duty_person, i.duty_requirement, i.duty_deadline
FROM dated i
LEFT JOIN rect r ON r.as_of = i.as_of AND r.item_id = i.item_id
LEFT JOIN reopened o ON o.as_of = i.as_of AND o.item_id = i.item_id
