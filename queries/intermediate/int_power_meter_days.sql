-- Readings aggregated to meter and calendar day, up to the run's as-of (the heavy step: every power
-- rule reads this, never the readings). An interval belongs to the hour it starts in.
--   day_part_kwh    night_end_hour ≤ hour < night_start_hour (the day part of operating day `day`)
--   night_early_kwh hour ≥ night_start_hour (the first part of the night of operating day `day`)
--   night_late_kwh  hour < night_end_hour (the end of the night of operating day `day` − 1); NULL
--                   when the day has no reading in those hours
-- unique: meter_id, day
-- not_null: meter_id, day, kwh, day_part_kwh, night_early_kwh, readings
SELECT
    r.meter_id,
    CAST(r.ts AS DATE) AS day,
    sum(r.kwh) AS kwh,
    coalesce(sum(r.kwh) FILTER (WHERE hour(r.ts) >= p.night_end_hour AND hour(r.ts) < p.night_start_hour), 0) AS day_part_kwh,
    coalesce(sum(r.kwh) FILTER (WHERE hour(r.ts) >= p.night_start_hour), 0) AS night_early_kwh,
    sum(r.kwh) FILTER (WHERE hour(r.ts) < p.night_end_hour) AS night_late_kwh,
    count(*) AS readings
FROM stg_power__readings r
CROSS JOIN stg_config__parameters p
WHERE r.ts < CAST(p.as_of + 1 AS TIMESTAMP)
GROUP BY r.meter_id, CAST(r.ts AS DATE)
