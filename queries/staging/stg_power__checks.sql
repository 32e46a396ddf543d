-- Field checks of power alerts (用电核查) of active batches.
-- not_null: meter_id, checked_on, result, batch_id, source_row
SELECT c.meter_id, nullif(trim(c.alert_id), '') AS alert_id, c.checked_on, c.result, c.batch_id, c.source_row
FROM raw_power_checks c
JOIN load_batches b ON b.batch_id = c.batch_id AND b.replaced_by IS NULL
