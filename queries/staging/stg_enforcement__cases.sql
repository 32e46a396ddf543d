-- Enforcement cases (案件) of active batches; a case in several active files keeps its latest row.
-- unique: case_id
-- not_null: case_id, township, found_on, source
SELECT
    c.case_id, c.source, nullif(trim(c.source_ref), '') AS source_ref, c.township, c.village, c.lon, c.lat,
    c.category, c.found_on, c.filed_on, c.price_requested_on, c.price_done_on, c.to_police_on,
    c.to_procuratorate_on, c.judged_on, c.fine_yuan, c.confiscated_yuan, c.status,
    c.batch_id, c.source_row
FROM raw_cases c
JOIN load_batches b ON b.batch_id = c.batch_id AND b.replaced_by IS NULL
QUALIFY row_number() OVER (PARTITION BY c.case_id ORDER BY c.batch_id DESC, c.source_row DESC) = 1
