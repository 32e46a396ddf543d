-- Readings aggregated to meter, calendar day and the arrival of their file (known_from), up to the
-- run's as-of and of files that had arrived by its end (the heavy step: every power rule reads this,
-- never the readings). A day whose readings came in one file is one row. An interval belongs to the
-- hour it starts in.
--   day_part_kwh    night_end_hour ≤ hour < night_start_hour (the day part of operating day `day`)
--   night_early_kwh hour ≥ night_start_hour (the first part of the night of operating day `day`)
--   night_late_kwh  hour < night_end_hour (the end of the night of operating day `day` − 1); NULL
--                   when the day has no reading in those hours
-- The readings (stg_power__readings: every batch's, with the batch's arrival) are aggregated by
-- batch, meter and day once per batch, when it loads, into agg_power_meter_days
-- (warehouse/meterdays.go; checked, and repaired when needed, by queries/meterdays.go just before
-- this model is built); here the batches' meter-days are added up by arrival. A batch's
-- meter-days are one row each (agg_power_meter_days is unique by batch, meter and day), so the
-- meter-days of a batch no other batch with meter-days arrived at the same moment with are its
-- rows as they are (a sum of one value is that value); only batches sharing their arrival are
-- grouped.
-- reuse: unchanged
-- unique: meter_id, day, known_from
-- not_null: meter_id, day, known_from, kwh, day_part_kwh, night_early_kwh, readings
WITH p AS (
    SELECT as_of, CAST(as_of + 1 AS TIMESTAMP) AS until FROM stg_config__parameters
),
b AS (
    -- the batches with meter-days arrived by the as-of's end; alone: no other of them arrived at
    -- the same moment
    SELECT b.batch_id, b.known_from, count(*) OVER (PARTITION BY b.known_from) = 1 AS alone
    FROM stg_etl__batches b CROSS JOIN p
    WHERE b.known_from < p.until AND b.batch_id IN (SELECT batch_id FROM agg_power_meter_days)
)
SELECT d.meter_id, d.day, b.known_from, d.kwh, d.day_part_kwh, d.night_early_kwh, d.night_late_kwh, d.readings
FROM agg_power_meter_days d
JOIN b ON b.batch_id = d.batch_id AND b.alone
CROSS JOIN p
WHERE d.day <= p.as_of
UNION ALL
SELECT
    d.meter_id,
    d.day,
    b.known_from,
    sum(d.kwh) AS kwh,
    sum(d.day_part_kwh) AS day_part_kwh,
    sum(d.night_early_kwh) AS night_early_kwh,
    sum(d.night_late_kwh) AS night_late_kwh,
    CAST(sum(d.readings) AS BIGINT) AS readings
FROM agg_power_meter_days d
JOIN b ON b.batch_id = d.batch_id AND NOT b.alone
CROSS JOIN p
WHERE d.day <= p.as_of
GROUP BY d.meter_id, d.day, b.known_from
