-- The actions the plan requires for every confirmed violation (发现一起、查处一起; queries/README.md
-- "Required actions") as of the run's as-of: one row per violation of mart_violations, action of
-- stg_config__actions and ref (the meter for 终止供电, else the violation itself), with its owner, its
-- start, its deadline and its state. Every fact counts as known at the as-of: a case stage as
-- mart_case_stages has it (entries known by the end of the as-of, dated on or before it), the
-- cut-offs as mart_power_alerts has them, the restoration ledger as mart_restoration has it, ledger
-- rows known by the end of the as-of — nothing stamped after the as-of counts.
--   制止 (stop, the violation's township): from first_seen; done on the earliest of a ledger row
--     (整改中/已整改) naming the violation (any member, its detecting or late problem; dated by its
--     完成日期, else the day it arrived), the 立案 of its case, or a confirmed cut-off of its meter.
--   终止供电 (cutoff_order, the office; cutoff_done, the power company): one pair per meter whose
--     alert among the violation's members was checked 非法采矿; the order from the check's date, the
--     confirmation from the order (no order yet: no start, no deadline).
--   立案 and 处罚决定 (filed, penalty; the category's case_unit): 立案 from first_seen with the stage
--     立案's due_workdays, 处罚决定 from 立案 with the stage's; done on its case's stage (the earliest
--     of its cases'). A case closed (结案) without 处罚决定 owes none: 不适用.
--   取缔查封 (ban; the unit of the stage banned): where the category says ban; from 立案.
--   移送公安 (transfer; the case_unit): where a price determination of its case (价格认定完成 done)
--     values it (认定价值) at the category's criminal_yuan or more, from that day; done on 公安受案.
--     A case transferred anyway counts as done.
--   恢复治理 (restore, the township): where the restoration ledger has an item for the violation
--     (deadline its 恢复时限, done when accepted), or its imagery shows damaged land (area_mu > 0)
--     with no item yet: then 待办 with no deadline and the reason 未列入恢复治理台账.
-- The deadline due_on is due_workdays working days after started_on on the calendar (a start on a rest day counts
-- from the working day before, as mart_case_stages does); restoration: its 恢复时限. state: 不适用
-- (reason says why), else 已办 (done_on set), else 逾期 when the as-of is past due_on, else 待办 —
-- an action due on working day D is on time through D and 逾期 from the next day. late: done after
-- due_on, or not done and past it. 查处到位率 (mart_action_rates) = on_time / counted, where counted
-- marks an action 已办 or 逾期 (due by the as-of or done) and on_time one done on or before its
-- deadline (or done with none).
-- unique: violation_id, action, ref
-- not_null: as_of, violation_id, township, action, action_name, ref, owner_kind, unit, state, late, counted, on_time
-- accepted_values: state = 待办, 已办, 逾期, 不适用
-- accepted_values: owner_kind = unit, township, office
-- relationships: violation_id -> mart_violations.violation_id
-- relationships: action -> stg_config__actions.action
WITH p AS (
    SELECT as_of FROM stg_config__parameters
),
v AS (
    SELECT v.violation_id, v.township, v.village, v.category, v.first_seen, v.detected_by, v.late_problem, v.area_mu
    FROM mart_violations v
),
m AS (
    SELECT m.violation_id, m.record_id, m.channel
    FROM int_violation_members m
    JOIN p ON p.as_of = m.as_of
),
names AS (
    SELECT violation_id, record_id AS id FROM m
    UNION SELECT violation_id, violation_id FROM v
    UNION SELECT violation_id, detected_by FROM v WHERE detected_by IS NOT NULL
    UNION SELECT violation_id, late_problem FROM v WHERE late_problem IS NOT NULL
),
ledger AS (
    SELECT n.violation_id,
        min(CASE WHEN r.rectified_on <= p.as_of THEN r.rectified_on ELSE CAST(r.known_from AS DATE) END) AS acted_on
    FROM stg_forms__rectifications r
    CROSS JOIN p
    JOIN names n ON n.id = r.item_id
    WHERE r.status IN ('整改中', '已整改') AND known_at(r.known_from, r.known_until, p.as_of)
    GROUP BY n.violation_id
),
meters AS (
    SELECT m.violation_id, a.meter_id, min(coalesce(a.checked_on, a.first_day)) AS checked_on,
        max(a.cutoff_ordered_on) AS ordered_on, max(a.cutoff_done_on) AS cut_on
    FROM m
    JOIN mart_power_alerts a ON a.alert_id = m.record_id
    WHERE m.channel = '用电' AND a.check_result = '非法采矿'
    GROUP BY m.violation_id, a.meter_id
),
cs AS (
    SELECT m.violation_id,
        min(s.done_on) FILTER (WHERE s.stage = 'filed') AS filed_on,
        min(s.done_on) FILTER (WHERE s.stage = 'penalty') AS penalty_on,
        min(s.done_on) FILTER (WHERE s.stage = 'banned') AS banned_on,
        min(s.done_on) FILTER (WHERE s.stage = 'police_accepted') AS police_on,
        min(s.done_on) FILTER (WHERE s.stage = 'price_done') AS priced_on,
        bool_or(s.stage = 'closed' AND s.done_on IS NOT NULL) AS closed,
        string_agg(DISTINCT s.case_id, ',' ORDER BY s.case_id) AS cases
    FROM m
    JOIN mart_case_stages s ON s.case_id = m.record_id
    WHERE m.channel = '案件'
    GROUP BY m.violation_id
),
val AS (
    SELECT m.violation_id, max(c.value_yuan) AS value_yuan
    FROM m
    CROSS JOIN p
    JOIN stg_enforcement__cases c ON c.case_id = m.record_id
    WHERE m.channel = '案件' AND known_at(c.known_from, c.known_until, p.as_of)
    GROUP BY m.violation_id
),
rest AS (
    SELECT violation_id, string_agg(item_id, ',' ORDER BY item_id) AS items, max(due_on) AS due_on,
        CASE WHEN bool_and(accepted_on IS NOT NULL) THEN max(accepted_on) END AS accepted_on
    FROM mart_restoration
    WHERE violation_id IS NOT NULL
    GROUP BY violation_id
),
stage_days AS (
    SELECT max(due_workdays) FILTER (WHERE stage = 'filed') AS filed_days,
        max(due_workdays) FILTER (WHERE stage = 'penalty') AS penalty_days,
        max(unit) FILTER (WHERE stage = 'filed') AS filed_unit
    FROM stg_config__case_stages
),
cut AS (
    SELECT violation_id, min(cut_on) AS cut_on FROM meters GROUP BY violation_id
),
x AS (
    SELECT v.*, ca.case_unit, ca.ban, ca.criminal_yuan, cs.filed_on, cs.penalty_on, cs.banned_on, cs.police_on, cs.priced_on,
        coalesce(cs.closed, false) AS closed, cs.cases, val.value_yuan, l.acted_on, cut.cut_on
    FROM v
    LEFT JOIN stg_config__category_actions ca ON ca.category = v.category
    LEFT JOIN cs ON cs.violation_id = v.violation_id
    LEFT JOIN val ON val.violation_id = v.violation_id
    LEFT JOIN ledger l ON l.violation_id = v.violation_id
    LEFT JOIN cut ON cut.violation_id = v.violation_id
),
-- one row per violation, action and ref: applicable, reason, start, working days or a due date, done
r AS (
    SELECT x.violation_id, 'stop' AS action, x.violation_id AS ref, true AS applicable, CAST(NULL AS VARCHAR) AS reason,
        x.first_seen AS started_on, CAST(NULL AS DATE) AS fixed_due, least(x.acted_on, x.filed_on, x.cut_on) AS done_on,
        CAST(NULL AS VARCHAR) AS records
    FROM x
    UNION ALL
    SELECT x.violation_id, k.action, coalesce(t.meter_id, x.violation_id), t.meter_id IS NOT NULL,
        CASE WHEN t.meter_id IS NULL THEN '未发现核查为非法采矿的电表' END,
        CASE k.action WHEN 'cutoff_order' THEN t.checked_on ELSE t.ordered_on END, NULL,
        CASE k.action WHEN 'cutoff_order' THEN t.ordered_on ELSE t.cut_on END, t.meter_id
    FROM x
    CROSS JOIN (VALUES ('cutoff_order'), ('cutoff_done')) AS k(action)
    LEFT JOIN meters t ON t.violation_id = x.violation_id
    UNION ALL
    SELECT x.violation_id, 'filed', x.violation_id, true, NULL, x.first_seen, NULL, x.filed_on, x.cases
    FROM x
    UNION ALL
    SELECT x.violation_id, 'penalty', x.violation_id, NOT (x.closed AND x.penalty_on IS NULL),
        CASE WHEN x.closed AND x.penalty_on IS NULL THEN '案件已结案，未作处罚决定' END,
        x.filed_on, NULL, x.penalty_on, x.cases
    FROM x
    UNION ALL
    SELECT x.violation_id, 'ban', x.violation_id, coalesce(x.ban, false) OR x.banned_on IS NOT NULL,
        CASE WHEN x.banned_on IS NOT NULL THEN NULL
             WHEN x.category IS NULL THEN '类别未定，无法判断是否需要取缔查封'
             WHEN NOT x.ban THEN '该类别不要求取缔查封' END,
        x.filed_on, NULL, x.banned_on, x.cases
    FROM x
    UNION ALL
    SELECT x.violation_id, 'transfer', x.violation_id,
        x.police_on IS NOT NULL OR (x.criminal_yuan > 0 AND x.priced_on IS NOT NULL AND x.value_yuan >= x.criminal_yuan),
        CASE WHEN x.police_on IS NOT NULL THEN NULL
             WHEN x.category IS NULL THEN '类别未定，无法判断是否达到移送标准'
             WHEN x.criminal_yuan = 0 THEN '该类别未设移送公安的价值标准'
             WHEN x.priced_on IS NULL OR x.value_yuan IS NULL THEN '尚无价格认定结论'
             WHEN x.value_yuan < x.criminal_yuan THEN
                 '认定价值' || CAST(CAST(x.value_yuan AS DECIMAL(14, 2)) AS VARCHAR) || '元，低于移送标准'
                 || CAST(CAST(x.criminal_yuan AS DECIMAL(14, 2)) AS VARCHAR) || '元' END,
        CASE WHEN x.value_yuan >= x.criminal_yuan AND x.criminal_yuan > 0 THEN x.priced_on END, NULL, x.police_on, x.cases
    FROM x
    UNION ALL
    SELECT x.violation_id, 'restore', x.violation_id, rs.violation_id IS NOT NULL OR coalesce(x.area_mu, 0) > 0,
        CASE WHEN rs.violation_id IS NOT NULL THEN NULL
             WHEN coalesce(x.area_mu, 0) > 0 THEN '未列入恢复治理台账'
             ELSE '未记录土地损毁' END,
        CASE WHEN rs.violation_id IS NOT NULL THEN x.first_seen END, rs.due_on, rs.accepted_on, rs.items
    FROM x
    LEFT JOIN rest rs ON rs.violation_id = x.violation_id
),
d AS (
    SELECT r.*, a.name AS action_name, a.sort_order,
        CASE WHEN a.owner IS NULL THEN 'unit' WHEN a.owner = '乡镇' THEN 'township' WHEN a.owner = '办公室' THEN 'office' ELSE 'unit' END AS owner_kind,
        CASE WHEN a.owner IS NULL THEN coalesce(x.case_unit, sd.filed_unit)
             WHEN a.owner = '乡镇' THEN x.township ELSE a.owner END AS unit,
        CASE r.action WHEN 'filed' THEN sd.filed_days WHEN 'penalty' THEN sd.penalty_days ELSE a.due_workdays END AS due_workdays,
        x.township, x.village, x.category, x.first_seen
    FROM r
    JOIN stg_config__actions a ON a.action = r.action
    JOIN x ON x.violation_id = r.violation_id
    CROSS JOIN stage_days sd
),
dd AS (
    SELECT d.*,
        CASE WHEN NOT d.applicable THEN NULL
             WHEN d.fixed_due IS NOT NULL THEN d.fixed_due
             ELSE due.day END AS due_on
    FROM d
    -- no start day to count from when the action has no working days (an equality join: NULL never matches)
    LEFT JOIN stg_config__calendar s ON s.day = CASE WHEN d.due_workdays > 0 THEN d.started_on END
    LEFT JOIN stg_config__calendar due ON due.is_workday AND due.workday_no = s.workday_no + d.due_workdays
)
SELECT p.as_of, dd.violation_id, dd.township, dd.village, dd.category, dd.first_seen, dd.action, dd.action_name, dd.ref,
    dd.owner_kind, dd.unit, dd.records,
    CASE WHEN dd.applicable THEN dd.started_on END AS started_on, dd.due_on,
    CASE WHEN dd.applicable THEN dd.done_on END AS done_on,
    CASE WHEN NOT dd.applicable THEN '不适用'
         WHEN dd.done_on IS NOT NULL THEN '已办'
         WHEN p.as_of > dd.due_on THEN '逾期'
         ELSE '待办' END AS state,
    dd.reason,
    coalesce(dd.applicable AND (CASE WHEN dd.done_on IS NOT NULL THEN dd.done_on > dd.due_on ELSE p.as_of > dd.due_on END), false) AS late,
    coalesce(dd.applicable AND (dd.done_on IS NOT NULL OR p.as_of > dd.due_on), false) AS counted,
    coalesce(dd.applicable AND dd.done_on IS NOT NULL AND (dd.due_on IS NULL OR dd.done_on <= dd.due_on), false) AS on_time,
    dd.sort_order
FROM dd
CROSS JOIN p
ORDER BY dd.township, dd.first_seen, dd.violation_id, dd.sort_order, dd.ref
