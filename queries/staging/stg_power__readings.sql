-- Meter readings of active batches: the start of the interval (local time) and its kWh.
-- not_null: meter_id, ts, kwh
SELECT r.meter_id, r.ts, r.kwh
FROM raw_power_readings r
WHERE r.batch_id IN (SELECT batch_id FROM load_batches WHERE replaced_by IS NULL)
