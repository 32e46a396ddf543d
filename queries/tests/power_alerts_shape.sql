-- model: mart_power_alerts
-- first_day ≤ last_day ≤ as-of, and the id spells meter, rule and first day.
SELECT a.*
FROM mart_power_alerts a CROSS JOIN stg_config__parameters p
WHERE a.first_day > a.last_day OR a.last_day > p.as_of
   OR a.alert_id <> a.meter_id || '-' || CASE a.rule WHEN 'night_over_day' THEN 'NOD' WHEN 'surge' THEN 'SRG' WHEN 'closed_mine' THEN 'CLM' ELSE 'CUT' END
        || '-' || strftime(a.first_day, '%Y%m%d')
