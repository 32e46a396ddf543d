-- Enforcement cases (案件): every version of every case (a later 案件台账 export's row is the case's
-- version from its arrival on; known_until: when the next version arrived).
-- Progress recorded in the portal by the case's department (case_updates, append-only) overrides the
-- file field by field as of the run's as-of: the rule is the macro case_progress (queries/macros.sql),
-- which int_cases_now applies to every update made so far. Updates of a case no file holds are
-- ignored. value_yuan: the register's 认定价值, the value the price determination put on the
-- minerals (移送公安 by category threshold).
-- unique: case_id, batch_id
-- not_null: case_id, township, found_on, source, known_from
-- in_run: table
WITH p AS (
    SELECT as_of FROM stg_config__parameters
),
f AS (
    SELECT c.*, b.known_from,
        least(b.known_until, lead(b.known_from) OVER (PARTITION BY c.case_id ORDER BY b.known_from, c.batch_id, c.source_row)) AS known_until
    FROM raw_cases c
    JOIN stg_etl__batches b ON b.batch_id = c.batch_id
),
u AS (
    SELECT * FROM case_progress((SELECT as_of FROM p))
)
SELECT
    c.case_id, c.source, nullif(trim(c.source_ref), '') AS source_ref, c.township, c.village, c.lon, c.lat,
    c.category, c.found_on,
    coalesce(u.filed_on, c.filed_on)                       AS filed_on,
    coalesce(u.price_requested_on, c.price_requested_on)   AS price_requested_on,
    coalesce(u.price_done_on, c.price_done_on)             AS price_done_on,
    coalesce(u.to_police_on, c.to_police_on)               AS to_police_on,
    coalesce(u.to_procuratorate_on, c.to_procuratorate_on) AS to_procuratorate_on,
    coalesce(u.judged_on, c.judged_on)                     AS judged_on,
    coalesce(u.fine_yuan, c.fine_yuan)                     AS fine_yuan,
    coalesce(u.confiscated_yuan, c.confiscated_yuan)       AS confiscated_yuan,
    coalesce(u.status, c.status)                           AS status,
    c.value_yuan,
    c.batch_id, c.source_row, c.known_from, c.known_until
FROM f c
LEFT JOIN u ON u.case_id = c.case_id
