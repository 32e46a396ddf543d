-- model: mart_violation_actions
-- Every violation has every configured action (the cut-offs once per meter checked 非法采矿, or once
-- 不适用); a state agrees with its dates: 不适用 has a reason and no deadline, 已办 a done date on or
-- before the as-of, 逾期 a deadline the as-of is past, 待办 none it is past; a deadline counted in
-- working days falls on a working day after the start; counted and on_time follow the state.
WITH p AS (
    SELECT as_of FROM stg_config__parameters
),
missing AS (
    SELECT v.violation_id, a.action, 'missing' AS problem
    FROM mart_violations v
    CROSS JOIN stg_config__actions a
    WHERE NOT EXISTS (SELECT 1 FROM mart_violation_actions x WHERE x.violation_id = v.violation_id AND x.action = a.action)
),
bad AS (
    SELECT x.violation_id, x.action, x.state AS problem
    FROM mart_violation_actions x
    CROSS JOIN p
    LEFT JOIN stg_config__calendar d ON d.day = x.due_on
    WHERE (x.state = '不适用' AND (x.reason IS NULL OR x.due_on IS NOT NULL OR x.counted))
       OR (x.state = '已办' AND (x.done_on IS NULL OR x.done_on > p.as_of OR NOT x.counted))
       OR (x.state = '逾期' AND (x.done_on IS NOT NULL OR NOT p.as_of > x.due_on OR NOT x.late OR NOT x.counted OR x.on_time))
       OR (x.state = '待办' AND (x.done_on IS NOT NULL OR p.as_of > x.due_on OR x.counted))
       OR (x.on_time AND (x.late OR x.state <> '已办'))
       OR (x.action <> 'restore' AND x.due_on IS NOT NULL AND (x.due_on <= x.started_on OR NOT d.is_workday))
)
SELECT * FROM missing
UNION ALL
SELECT * FROM bad
