-- Meter readings of active batches: the start of the interval (local time) and its kWh.
-- not_null: meter_id, ts, kwh
SELECT r.meter_id, r.ts, r.kwh
FROM raw_power_readings r
JOIN load_batches b ON b.batch_id = r.batch_id AND b.replaced_by IS NULL
