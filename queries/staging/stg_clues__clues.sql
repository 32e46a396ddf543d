-- Other clues (媒体曝光/上级督察/领导批办/日常监管) of active batches; the latest row per clue. A
-- verdict recorded in the portal by the clue's department (clue_updates, append-only) replaces the
-- file's: the latest update made on or before the run's as-of counts (a later one not yet);
-- verdict_on is that update's day (NULL for a file's verdict, which counts from found_on).
-- unique: clue_id
-- not_null: clue_id, source, township, found_on, verdict
-- accepted_values: verdict = 属实, 不属实, 核查中
WITH p AS (
    SELECT as_of FROM stg_config__parameters
),
f AS (
    SELECT c.*
    FROM raw_clues c
    JOIN load_batches b ON b.batch_id = c.batch_id AND b.replaced_by IS NULL
    QUALIFY row_number() OVER (PARTITION BY c.clue_id ORDER BY c.batch_id DESC, c.source_row DESC) = 1
),
u AS (
    SELECT u.clue_id, arg_max(u.verdict, u.updated_at) AS verdict, CAST(max(u.updated_at) AS DATE) AS verdict_on
    FROM clue_updates u
    CROSS JOIN p
    WHERE CAST(u.updated_at AS DATE) <= p.as_of
    GROUP BY u.clue_id
)
SELECT c.clue_id, c.source, c.township, c.village, c.lon, c.lat, c.category, c.found_on,
       coalesce(u.verdict, c.verdict) AS verdict, u.verdict_on,
       c.batch_id, c.source_row
FROM f c
LEFT JOIN u ON u.clue_id = c.clue_id
