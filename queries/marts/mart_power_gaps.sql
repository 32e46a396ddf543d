-- Meters whose readings stopped (数据中断), as of the run's as-of: a meter of the registry that has
-- reported before but whose last reading (in files that had arrived by the as-of) lies more than
-- silent_days days before the data's horizon — the as-of, or the latest day any meter has readings
-- for when that is earlier — so a readings file that is merely late (mart_data_freshness shows it)
-- does not put every meter on the list. A silent meter at a closed mine is a warning in itself
-- (closed_mine). The power alerts (mart_power_alerts) are not affected.
-- unique: meter_id
-- not_null: meter_id, township, customer_type, last_reading_on, days_silent, closed_mine
-- relationships: township -> stg_config__townships.township
WITH p AS (
    SELECT * FROM stg_config__parameters
),
last AS (
    SELECT meter_id, max(day) AS last_reading_on FROM int_power_meter_days GROUP BY meter_id
),
horizon AS (
    SELECT least(p.as_of, max(l.last_reading_on)) AS day FROM last l CROSS JOIN p GROUP BY p.as_of
)
SELECT m.meter_id, m.account, m.township, m.village, m.customer_type, l.last_reading_on,
    CAST(h.day - l.last_reading_on AS INTEGER) AS days_silent,
    m.customer_type = '关闭矿井' AS closed_mine
FROM stg_power__meters m
CROSS JOIN p
CROSS JOIN horizon h
JOIN last l ON l.meter_id = m.meter_id
WHERE known_at(m.known_from, m.known_until, p.as_of)
  AND h.day - l.last_reading_on > p.silent_days
ORDER BY m.customer_type = '关闭矿井' DESC, l.last_reading_on, m.meter_id
