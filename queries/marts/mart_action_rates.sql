-- 查处到位率 as of the run's as-of, the one definition (queries/README.md "Required actions"): per
-- owning unit (scope = unit: the member units and 办公室, by the actions they own in
-- mart_violation_actions) and per township (scope = township: every action of the violations in the
-- township, whoever owns it). due = actions counted (已办, or 逾期: due by the as-of and not done);
-- on_time = those done on or before their deadline; rate = on_time / due (NULL when nothing is due).
-- Also overdue: actions 逾期 now; done_late: done after their deadline; pending: 待办 (not yet due).
-- unique: scope, name
-- not_null: scope, name, due, on_time, overdue, done_late, pending
-- accepted_values: scope = unit, township
WITH a AS (
    SELECT CASE owner_kind WHEN 'township' THEN NULL ELSE unit END AS unit, township, state, late, counted, on_time
    FROM mart_violation_actions
    WHERE state <> '不适用'
),
g AS (
    SELECT 'unit' AS scope, unit AS name, * EXCLUDE (unit, township) FROM a WHERE unit IS NOT NULL
    UNION ALL
    SELECT 'township', township, * EXCLUDE (unit, township) FROM a
)
SELECT scope, name,
    CAST(count(*) FILTER (WHERE counted) AS INTEGER) AS due,
    CAST(count(*) FILTER (WHERE on_time) AS INTEGER) AS on_time,
    CAST(count(*) FILTER (WHERE state = '逾期') AS INTEGER) AS overdue,
    CAST(count(*) FILTER (WHERE state = '已办' AND late) AS INTEGER) AS done_late,
    CAST(count(*) FILTER (WHERE state = '待办') AS INTEGER) AS pending,
    CAST(count(*) FILTER (WHERE on_time) AS DOUBLE) / nullif(count(*) FILTER (WHERE counted), 0) AS rate
FROM g
GROUP BY scope, name
ORDER BY scope, rate NULLS LAST, name
