-- Other clues (媒体曝光/上级督察/领导批办/日常监管, and 部门移送 raised by a member unit on its
-- console, the unit named in unit): every version of every clue (a later export's row
-- is the clue's version from its arrival on; known_until: when the next version arrived). A
-- verdict recorded in the portal by the clue's department (clue_updates, append-only) replaces the
-- file's: the latest update made on or before the run's as-of counts (a later one not yet; the macro
-- clue_progress, queries/macros.sql, which int_clues_now applies to every update made so far);
-- verdict_on is that update's day (NULL for a file's verdict, which counts from found_on).
-- unique: clue_id, batch_id
-- not_null: clue_id, source, township, found_on, verdict, known_from
-- accepted_values: verdict = 属实, 不属实, 核查中
-- in_run: table
WITH p AS (
    SELECT as_of FROM stg_config__parameters
),
f AS (
    SELECT c.clue_id, c.source, c.township, c.village, c.lon, c.lat, c.category, c.found_on, c.verdict,
        CAST(NULL AS VARCHAR) AS unit, c.batch_id, c.source_row, b.known_from,
        least(b.known_until, lead(b.known_from) OVER (PARTITION BY c.clue_id ORDER BY b.known_from, c.batch_id, c.source_row)) AS known_until
    FROM raw_clues c
    JOIN stg_etl__batches b ON b.batch_id = c.batch_id
    UNION ALL
    -- clues a member unit raised on its console (部门移送): known from raised_at, 核查中 until a
    -- verdict is recorded for them like for any clue
    SELECT d.clue_id, '部门移送', d.township, d.village, d.lon, d.lat, d.category, d.found_on, '核查中',
        d.unit, CAST(NULL AS BIGINT), CAST(NULL AS INTEGER), d.raised_at, CAST(NULL AS TIMESTAMP)
    FROM dept_clues d
),
u AS (
    SELECT * FROM clue_progress((SELECT as_of FROM p))
)
SELECT c.clue_id, c.source, c.township, c.village, c.lon, c.lat, c.category, c.found_on,
       coalesce(u.verdict, c.verdict) AS verdict, u.verdict_on, c.unit,
       c.batch_id, c.source_row, c.known_from, c.known_until
FROM f c
LEFT JOIN u ON u.clue_id = c.clue_id
