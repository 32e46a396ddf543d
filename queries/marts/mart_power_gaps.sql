-- Meters whose readings stopped (数据中断), as of the run's as-of: a meter of the registry that has
-- reported before but whose last reading (in files that had arrived by the as-of) lies more than
-- silent_days days before it. A silent meter at a closed mine is a warning in itself (closed_mine).
-- The power alerts (mart_power_alerts) are not affected.
-- unique: meter_id
-- not_null: meter_id, township, customer_type, last_reading_on, days_silent, closed_mine
-- relationships: township -> stg_config__townships.township
WITH p AS (
    SELECT * FROM stg_config__parameters
),
last AS (
    SELECT meter_id, max(day) AS last_reading_on FROM int_power_meter_days GROUP BY meter_id
)
SELECT m.meter_id, m.account, m.township, m.village, m.customer_type, l.last_reading_on,
    CAST(p.as_of - l.last_reading_on AS INTEGER) AS days_silent,
    m.customer_type = '关闭矿井' AS closed_mine
FROM stg_power__meters m
CROSS JOIN p
JOIN last l ON l.meter_id = m.meter_id
WHERE known_at(m.known_from, m.known_until, p.as_of)
  AND p.as_of - l.last_reading_on > p.silent_days
ORDER BY m.customer_type = '关闭矿井' DESC, l.last_reading_on, m.meter_id
