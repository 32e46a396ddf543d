-- Meter readings: the start of the interval (local time), its kWh, and when its file arrived.
-- The readings store their meter as a key; its 户号 is joined back (power_meter_keys).
-- not_null: meter_id, ts, kwh, known_from
SELECT k.meter_id, r.ts, r.kwh, b.known_from
FROM raw_power_readings r
JOIN power_meter_keys k ON k.meter_key = r.meter_key
JOIN stg_etl__batches b ON b.batch_id = r.batch_id
