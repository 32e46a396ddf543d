-- The accountability scorecard (追责问责): one row per township for every date of the weekly series
-- (each Sunday from the start of the village self-check through the run's as-of, and the as-of).
-- README.md defines every column. A frozen date shows the rows stored when it was frozen (frozen_at
-- says when; NULL for figures computed by this run; the macro frozen_overlay, queries/macros.sql).
-- unique: as_of, township
-- not_null: as_of, township, violations_due, detected, missed, ledger_due, rectified_on_time, overdue_open
-- not_null: rectification_false, awaiting_acceptance, new_after_rectification, patrol_weeks, patrol_weeks_done, level, reasons
-- accepted_values: level = red, yellow, green
-- relationships: township -> stg_config__townships.township
WITH p AS (
    SELECT * FROM stg_config__parameters
),
v AS (
    SELECT as_of, township,
        count(*) FILTER (WHERE detection_status = 'detected') AS detected,
        count(*) FILTER (WHERE detection_status = 'missed') AS missed,
        count(*) FILTER (WHERE detection_status = 'new_after_rectification') AS new_after_rectification
    FROM int_violations_classified
    GROUP BY as_of, township
),
l AS (
    SELECT as_of, township,
        count(*) FILTER (WHERE deadline <= as_of) AS ledger_due,
        count(*) FILTER (WHERE deadline <= as_of AND on_time) AS rectified_on_time,
        count(*) FILTER (WHERE overdue) AS overdue_open,
        count(*) FILTER (WHERE rectification_false) AS rectification_false,
        -- declared done, awaiting an independent acceptance still within its deadline (待验收)
        count(*) FILTER (WHERE status_as_of = '待验收' AND NOT overdue) AS awaiting_acceptance
    FROM int_ledger_items
    GROUP BY as_of, township
),
w AS (
    SELECT as_of, township, count(*) AS patrol_weeks, count(*) FILTER (WHERE done) AS patrol_weeks_done
    FROM int_patrol_weeks
    GROUP BY as_of, township
),
figures AS (
    SELECT a.as_of, t.township, t.sort_order,
        coalesce(v.detected, 0) + coalesce(v.missed, 0) AS violations_due,
        coalesce(v.detected, 0) AS detected,
        coalesce(v.missed, 0) AS missed,
        coalesce(l.ledger_due, 0) AS ledger_due,
        coalesce(l.rectified_on_time, 0) AS rectified_on_time,
        coalesce(l.overdue_open, 0) AS overdue_open,
        coalesce(l.rectification_false, 0) AS rectification_false,
        coalesce(l.awaiting_acceptance, 0) AS awaiting_acceptance,
        coalesce(v.new_after_rectification, 0) AS new_after_rectification,
        coalesce(w.patrol_weeks, 0) AS patrol_weeks,
        coalesce(w.patrol_weeks_done, 0) AS patrol_weeks_done
    FROM int_as_of_dates a
    CROSS JOIN stg_config__townships t
    LEFT JOIN v ON v.as_of = a.as_of AND v.township = t.township
    LEFT JOIN l ON l.as_of = a.as_of AND l.township = t.township
    LEFT JOIN w ON w.as_of = a.as_of AND w.township = t.township
),
rates AS (
    SELECT *,
        CAST(missed AS DOUBLE) / nullif(violations_due, 0) AS missed_detection_rate,
        CAST(rectified_on_time AS DOUBLE) / nullif(ledger_due, 0) AS rectification_rate,
        CAST(patrol_weeks_done AS DOUBLE) / nullif(patrol_weeks, 0) AS patrol_compliance
    FROM figures
),
levels AS (
    SELECT r.*,
        CASE
            WHEN r.missed_detection_rate >= p.red_missed_rate
              OR r.new_after_rectification >= p.red_new_after
              OR (r.ledger_due > 0 AND r.rectification_rate < p.red_rectification_rate) THEN 'red'
            WHEN r.missed > 0 OR r.overdue_open > 0 OR r.rectification_false > 0 OR r.new_after_rectification > 0
              OR r.patrol_compliance < p.yellow_patrol_compliance THEN 'yellow'
            ELSE 'green'
        END AS level
    FROM rates r CROSS JOIN p
),
computed AS (
    SELECT as_of, township, sort_order, violations_due, detected, missed, missed_detection_rate,
        ledger_due, rectified_on_time, rectification_rate, overdue_open, rectification_false, awaiting_acceptance, new_after_rectification,
        patrol_weeks, patrol_weeks_done, patrol_compliance, level,
        CASE WHEN level = 'green' THEN '' ELSE concat_ws('；',
            CASE WHEN missed > 0 THEN '应排漏排' || missed || '处' END,
            CASE WHEN overdue_open > 0 THEN '整改不到位' || overdue_open || '项' END,
            CASE WHEN rectification_false > 0 THEN '整改不实' || rectification_false || '项' END,
            CASE WHEN new_after_rectification > 0 THEN '属地新增' || new_after_rectification || '处' END,
            CASE WHEN patrol_weeks > patrol_weeks_done THEN '巡查缺' || (patrol_weeks - patrol_weeks_done) || '周' END)
        END AS reasons
    FROM levels
),
frozen AS (
    SELECT s.as_of, s.township, coalesce(t.sort_order, 1000000) AS sort_order, s.violations_due, s.detected,
        s.missed, s.missed_detection_rate, s.ledger_due, s.rectified_on_time, s.rectification_rate,
        s.overdue_open, coalesce(s.rectification_false, 0) AS rectification_false,
        coalesce(s.awaiting_acceptance, 0) AS awaiting_acceptance, s.new_after_rectification, s.patrol_weeks, s.patrol_weeks_done,
        s.patrol_compliance, s.level, s.reasons
    FROM stg_freeze__scorecards s
    JOIN int_as_of_dates a ON a.as_of = s.as_of
    LEFT JOIN stg_config__townships t ON t.township = s.township
)
SELECT * EXCLUDE (sort_order)
FROM frozen_overlay(computed, frozen)
ORDER BY as_of, sort_order
