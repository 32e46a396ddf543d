-- Power-consumption alerts (用电异常预警) as of the run's as-of, with the meter and the latest field
-- check applying to each (check_result NULL: not checked yet).
-- unique: alert_id
-- not_null: alert_id, meter_id, rule, first_day, last_day, score
-- accepted_values: rule = night_over_day, surge, closed_mine, supply_after_cutoff
SELECT a.alert_id, a.meter_id, a.township, a.village, a.customer_type, a.rule, a.first_day,
    a.last_day, a.score, a.check_result
FROM int_power_alerts_checked a
JOIN stg_config__parameters p ON p.as_of = a.as_of
ORDER BY a.township, a.first_day, a.alert_id
