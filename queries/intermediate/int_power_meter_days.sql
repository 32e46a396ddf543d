-- Readings aggregated to meter, calendar day and the arrival of their file (known_from), up to the
-- run's as-of and of files that had arrived by its end (the heavy step: every power rule reads this,
-- never the readings). A day whose readings came in one file is one row. An interval belongs to the
-- hour it starts in.
--   day_part_kwh    night_end_hour ≤ hour < night_start_hour (the day part of operating day `day`)
--   night_early_kwh hour ≥ night_start_hour (the first part of the night of operating day `day`)
--   night_late_kwh  hour < night_end_hour (the end of the night of operating day `day` − 1); NULL
--                   when the day has no reading in those hours
-- unique: meter_id, day, known_from
-- not_null: meter_id, day, known_from, kwh, day_part_kwh, night_early_kwh, readings
SELECT
    r.meter_id,
    CAST(r.ts AS DATE) AS day,
    r.known_from,
    sum(r.kwh) AS kwh,
    sum(CASE WHEN r.h >= p.night_end_hour AND r.h < p.night_start_hour THEN r.kwh ELSE 0 END) AS day_part_kwh,
    sum(CASE WHEN r.h >= p.night_start_hour THEN r.kwh ELSE 0 END) AS night_early_kwh,
    sum(CASE WHEN r.h < p.night_end_hour THEN r.kwh END) AS night_late_kwh,
    count(*) AS readings
FROM (SELECT meter_id, ts, kwh, known_from, hour(ts) AS h FROM stg_power__readings) r
CROSS JOIN (SELECT night_end_hour, night_start_hour, CAST(as_of + 1 AS TIMESTAMP) AS until FROM stg_config__parameters) p
WHERE r.ts < p.until AND r.known_from < p.until
GROUP BY r.meter_id, CAST(r.ts AS DATE), r.known_from
