-- Field checks of power alerts (用电核查), one row per line, with its batch's arrival; and the checks
-- entered on the console by the power company or the township (power_check_entries, known from
-- entered_at; batch_id is negative, numbering them in entry order, source_row 0, so every check
-- has an identity). origin: 核查文件 or 控制台.
-- not_null: meter_id, checked_on, result, batch_id, source_row, known_from
-- accepted_values: origin = 核查文件, 控制台
-- in_run: table
SELECT c.meter_id, nullif(trim(c.alert_id), '') AS alert_id, c.checked_on, c.result, c.batch_id, c.source_row,
    b.known_from, b.known_until, '核查文件' AS origin
FROM raw_power_checks c
JOIN stg_etl__batches b ON b.batch_id = c.batch_id
UNION ALL
SELECT e.meter_id, nullif(trim(e.alert_id), ''), e.checked_on, e.result,
    -row_number() OVER (ORDER BY e.entered_at, e.meter_id, e.alert_id, e.checked_on, e.result), 0,
    e.entered_at, CAST(NULL AS TIMESTAMP), '控制台'
FROM power_check_entries e
