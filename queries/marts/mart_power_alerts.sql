-- Power-consumption alerts (用电异常预警) as of the run's as-of, with the meter and the latest field
-- check applying to each (check_result NULL: not checked yet). Each alert is a work item of the
-- power company and the township: its field check is due power_check_days (power.check_days)
-- calendar days after the alert's last day, the day the anomaly was last seen as of the as-of
-- (check_due_on; a rule needs several days to show, so its first day is too early a start);
-- check_late when checked after that day, or not checked and the as-of is past it. cutoff_ordered_on / cutoff_done_on: the meter's
-- latest 终止供电 order and confirmation known by the end of the as-of (stg_power__cutoffs; of entries
-- made at the same moment, the latest day).
-- unique: alert_id
-- not_null: alert_id, meter_id, rule, first_day, last_day, score, check_due_on, check_late
-- accepted_values: rule = night_over_day, surge, closed_mine, supply_after_cutoff
WITH cut AS (
    SELECT c.meter_id,
        arg_max(c.cutoff_on, (c.known_from, c.cutoff_on)) FILTER (WHERE c.kind = 'ordered') AS cutoff_ordered_on,
        arg_max(c.cutoff_on, (c.known_from, c.cutoff_on)) FILTER (WHERE c.kind = 'done') AS cutoff_done_on
    FROM stg_power__cutoffs c
    JOIN stg_config__parameters p ON c.cutoff_on <= p.as_of AND known_at(c.known_from, c.known_until, p.as_of)
    GROUP BY c.meter_id
)
SELECT a.alert_id, a.meter_id, a.township, a.village, a.customer_type, a.rule, a.first_day,
    a.last_day, a.score, a.check_result, a.checked_on,
    CAST(a.last_day + p.power_check_days AS DATE) AS check_due_on,
    coalesce(a.checked_on, p.as_of) > a.last_day + p.power_check_days AS check_late,
    cut.cutoff_ordered_on, cut.cutoff_done_on
FROM int_power_alerts_checked a
JOIN stg_config__parameters p ON p.as_of = a.as_of
LEFT JOIN cut ON cut.meter_id = a.meter_id
ORDER BY a.township, a.first_day, a.alert_id
