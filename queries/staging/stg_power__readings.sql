-- Meter readings: the start of the interval (local time), its kWh, and when its file arrived.
-- not_null: meter_id, ts, kwh, known_from
SELECT r.meter_id, r.ts, r.kwh, b.known_from
FROM raw_power_readings r
JOIN stg_etl__batches b ON b.batch_id = r.batch_id
