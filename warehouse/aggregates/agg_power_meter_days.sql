-- agg_power_meter_days: the readings of load batches by batch, meter and calendar day — the heavy
-- step of the power rules, done once per batch because a batch's readings never change. Not a
-- model: warehouse/meterdays.go inserts the rows of the batches it has to aggregate (written
-- here as the list meter_day_batches) when a readings batch loads (and repairs them for a models
-- run when needed), and the Spark job (spark/power_alerts.py) computes it over its export, which
-- is one batch. The night hours are read as parameters: both engines put their values in place of
-- (SELECT … FROM p).
-- The hours split as int_power_meter_days describes; an interval belongs to the hour it starts in.
--   day_part_kwh    night_end_hour ≤ hour < night_start_hour
--   night_early_kwh hour ≥ night_start_hour
--   night_late_kwh  hour < night_end_hour (NULL when the day has no reading in those hours)
-- The readings are grouped by their meter key (raw_power_readings.meter_key) and the 户号 is joined
-- to the groups after (power_meter_keys), which is cheaper than grouping by the text.
SELECT a.batch_id, k.meter_id, a.day, a.kwh, a.day_part_kwh, a.night_early_kwh, a.night_late_kwh, a.readings
FROM (
    SELECT r.batch_id, r.meter_key, CAST(r.ts AS DATE) AS day,
        sum(r.kwh) AS kwh,
        sum(CASE WHEN hour(r.ts) >= (SELECT night_end_hour FROM p) AND hour(r.ts) < (SELECT night_start_hour FROM p)
            THEN r.kwh ELSE 0 END) AS day_part_kwh,
        sum(CASE WHEN hour(r.ts) >= (SELECT night_start_hour FROM p) THEN r.kwh ELSE 0 END) AS night_early_kwh,
        sum(CASE WHEN hour(r.ts) < (SELECT night_end_hour FROM p) THEN r.kwh END) AS night_late_kwh,
        count(*) AS readings
    FROM raw_power_readings r
    WHERE r.batch_id IN (SELECT batch_id FROM meter_day_batches)
    GROUP BY r.batch_id, r.meter_key, CAST(r.ts AS DATE)
) a
JOIN power_meter_keys k ON k.meter_key = a.meter_key
