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
-- Independent acceptance (验收; queries/README.md "Acceptance"): an item needs it (needs_acceptance)
-- when its 类别 in the 责任分解表 known then is 重点, or acceptance.all_items is set. Its acceptance
-- records are those naming any of its ids, by its category's accepting unit
-- (stg_config__acceptance_units), dated ≤ the date and known then. A 不合格 one reopens the item
-- like a 整改不实 re-inspection (rejected_on, the latest; reopened_on is the later of the two). A
-- declared rectification (rectified_on, the township's 已整改) of such an item counts only once a
-- 合格 acceptance dated on or after it exists (accepted_on, the earliest): till then the item is
-- 待验收, and its acceptance is due acceptance_due_workdays working days after the later of
-- rectified_on and the first day the item was known as 重点 (acceptance_due, on the working-day
-- calendar). From the working day after acceptance_due on (a rest day after it does not count) it
-- is overdue — 整改不到位 with overdue_reason 未验收; before that it is neither rectified (on_time
-- false) nor overdue. An item that needs no acceptance is as before: with no 重点 item and
-- all_items off every column but the acceptance ones is what it was without the rule.
-- unique: as_of, item_id
-- not_null: as_of, item_id, kind, township, deadline, default_deadline, status_as_of, on_time, overdue, rectification_false
-- not_null: needs_acceptance
-- accepted_values: kind = problem, violation
-- accepted_values: status_as_of = 未整改, 整改中, 已整改, 待验收
-- accepted_values: overdue_reason = 逾期未整改, 未验收
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
    -- every id an item goes by: a problem its own, a violation its members' record ids (the rows of
    -- the 责任分解表, rectifications, re-inspections and acceptances may name any of them)
    SELECT as_of, item_id, item_id AS name FROM items WHERE kind = 'problem'
    UNION ALL
    SELECT i.as_of, i.item_id, m.record_id
    FROM items i
    JOIN int_violation_members m ON m.as_of = i.as_of AND m.violation_id = i.item_id
    WHERE i.kind = 'violation'
),
duty AS (
    -- of the rows known then (known): the item's own row first, else a member's (smallest id); and
    -- the first day the item was known as 重点 (important_since: any 责任分解表 file received by the date)
    SELECT as_of, item_id,
        first(class ORDER BY own, row_id) FILTER (WHERE known) AS duty_class,
        first(unit ORDER BY own, row_id) FILTER (WHERE known) AS duty_unit,
        first(person ORDER BY own, row_id) FILTER (WHERE known) AS duty_person,
        first(requirement ORDER BY own, row_id) FILTER (WHERE known) AS duty_requirement,
        first(deadline ORDER BY own, row_id) FILTER (WHERE known) AS duty_deadline,
        -- the row's 期别: a 常态化 period's name, '' for the campaign's table
        first(period ORDER BY own, row_id) FILTER (WHERE known) AS duty_period,
        min(CAST(known_from AS DATE)) FILTER (WHERE class = '重点') AS important_since
    FROM (
        SELECT n.as_of, n.item_id, d.item_id <> n.item_id AS own, d.item_id AS row_id, d.class, d.unit, d.person,
            d.requirement, d.deadline, coalesce(d.period, '') AS period, d.known_from,
            known_at(d.known_from, d.known_until, n.as_of) AS known
        FROM names n
        JOIN stg_forms__duties d ON d.item_id = n.name AND d.known_from < CAST(n.as_of AS TIMESTAMP) + INTERVAL 1 DAY
    )
    GROUP BY as_of, item_id
),
dated AS (
    -- the item with its 责任分解表 row known then (duty_*, the deadline it sets) and whether and by whom
    -- it is to be accepted (needs_acceptance, accepting_unit)
    SELECT i.* RENAME (deadline AS default_deadline), coalesce(d.duty_deadline, i.deadline) AS deadline,
        d.duty_class, d.duty_unit, d.duty_person, d.duty_requirement, d.duty_deadline, d.duty_period,
        coalesce(d.duty_class = '重点', false) OR p.acceptance_all_items AS needs_acceptance,
        coalesce(u.unit, u0.unit) AS accepting_unit, d.important_since
    FROM items i
    CROSS JOIN p
    LEFT JOIN duty d ON d.as_of = i.as_of AND d.item_id = i.item_id
    LEFT JOIN stg_config__acceptance_units u ON u.category = i.category
    LEFT JOIN stg_config__acceptance_units u0 ON u0.category IS NULL
),
acc AS (
    -- the acceptance records of an item that needs them: by its accepting unit, dated and known then
    SELECT n.as_of, n.item_id, a.accepted_on, a.result
    FROM names n
    JOIN dated x ON x.as_of = n.as_of AND x.item_id = n.item_id AND x.needs_acceptance
    JOIN stg_forms__acceptances a ON a.item_id = n.name AND a.unit = x.accepting_unit AND a.accepted_on <= n.as_of
        AND known_at(a.known_from, a.known_until, n.as_of)
),
reopened AS (
    -- the latest 整改不实 re-inspection and the latest 不合格 acceptance of the item, known then
    SELECT as_of, item_id, max(rechecked_on) AS rechecked_false_on, max(rejected_on) AS rejected_on,
        greatest(max(rechecked_on), max(rejected_on)) AS reopened_on
    FROM (
        SELECT n.as_of, n.item_id, x.rechecked_on, CAST(NULL AS DATE) AS rejected_on
        FROM names n
        JOIN stg_forms__rechecks x ON x.item_id = n.name AND x.result = '整改不实' AND x.rechecked_on <= n.as_of
            AND known_at(x.known_from, x.known_until, n.as_of)
        UNION ALL
        SELECT as_of, item_id, NULL, accepted_on FROM acc WHERE result = '不合格'
    )
    GROUP BY as_of, item_id
),
rect AS (
    -- the rectification rows naming the item, known then; a 已整改 counts only after reopened_on
    SELECT n.as_of, n.item_id,
        min(r.rectified_on) FILTER (WHERE r.status = '已整改' AND r.rectified_on <= n.as_of
            AND (o.reopened_on IS NULL OR r.rectified_on > o.reopened_on)) AS rectified_on,
        bool_or(r.status = '整改中') AS in_progress
    FROM names n
    JOIN stg_forms__rectifications r ON r.item_id = n.name AND known_at(r.known_from, r.known_until, n.as_of)
    LEFT JOIN reopened o ON o.as_of = n.as_of AND o.item_id = n.item_id
    GROUP BY n.as_of, n.item_id
),
accepted AS (
    -- the earliest 合格 acceptance dated on or after the declared rectification
    SELECT r.as_of, r.item_id, min(a.accepted_on) AS accepted_on
    FROM rect r
    JOIN acc a ON a.as_of = r.as_of AND a.item_id = r.item_id AND a.result = '合格' AND a.accepted_on >= r.rectified_on
    GROUP BY r.as_of, r.item_id
),
judged AS (
    -- every fact of the item, by (as_of, item_id), and its acceptance due day on the working-day calendar
    SELECT i.*, r.rectified_on, r.in_progress, o.reopened_on, o.rejected_on, a.accepted_on,
        -- the rectification that counts: declared, and accepted where acceptance is needed
        CASE WHEN NOT i.needs_acceptance OR a.accepted_on IS NOT NULL THEN r.rectified_on END AS done_on,
        i.needs_acceptance AND r.rectified_on IS NOT NULL AND a.accepted_on IS NULL AS awaiting,
        CASE WHEN i.needs_acceptance AND r.rectified_on IS NOT NULL THEN due.day END AS acceptance_due,
        coalesce(now_cal.workday_no > due.workday_no, false) AS acceptance_late
    FROM dated i
    LEFT JOIN rect r ON r.as_of = i.as_of AND r.item_id = i.item_id
    LEFT JOIN reopened o ON o.as_of = i.as_of AND o.item_id = i.item_id
    LEFT JOIN accepted a ON a.as_of = i.as_of AND a.item_id = i.item_id
    CROSS JOIN p
    LEFT JOIN stg_config__calendar st ON st.day = greatest(r.rectified_on, i.important_since)
    LEFT JOIN stg_config__calendar due ON due.is_workday AND due.workday_no = st.workday_no + p.acceptance_due_workdays
    LEFT JOIN stg_config__calendar now_cal ON now_cal.day = i.as_of
)
SELECT i.as_of, i.item_id, i.kind, i.township, i.village, i.category, i.reported_on, i.lon, i.lat, i.deadline,
    CASE WHEN i.done_on IS NOT NULL THEN '已整改'
         WHEN i.awaiting THEN '待验收'
         WHEN i.in_progress THEN '整改中'
         ELSE '未整改' END AS status_as_of,
    i.rectified_on,
    coalesce(i.done_on <= i.deadline, false) AS on_time,
    CASE WHEN i.awaiting THEN i.acceptance_late ELSE i.deadline < i.as_of AND i.done_on IS NULL END AS overdue,
    i.reopened_on,
    i.reopened_on IS NOT NULL AS rectification_false,
    i.default_deadline, i.duty_class, i.duty_unit, i.duty_person, i.duty_requirement, i.duty_deadline, i.duty_period,
    i.needs_acceptance, i.accepting_unit, i.acceptance_due, i.accepted_on, i.rejected_on,
    CASE WHEN i.awaiting AND i.acceptance_late THEN '未验收'
         WHEN NOT i.awaiting AND i.deadline < i.as_of AND i.done_on IS NULL THEN '逾期未整改' END AS overdue_reason
FROM judged i
