-- Field checks of power alerts (用电核查), one row per line, with its batch's arrival.
-- not_null: meter_id, checked_on, result, batch_id, source_row, known_from
SELECT c.meter_id, nullif(trim(c.alert_id), '') AS alert_id, c.checked_on, c.result, c.batch_id, c.source_row,
    b.known_from, b.known_until
FROM raw_power_checks c
JOIN stg_etl__batches b ON b.batch_id = c.batch_id
