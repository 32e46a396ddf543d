-- model: stg_forms__duties
-- Of the 责任分解表 files, one per 期别 is in force at any time: rows of the same 期别 (NULL, the
-- campaign's, being one) from different files are never known at the same time.
WITH f AS (
    SELECT DISTINCT batch_id, period, known_from, coalesce(known_until, TIMESTAMP 'infinity') AS until
    FROM stg_forms__duties
)
SELECT a.batch_id, b.batch_id AS other_batch, a.period
FROM f a
JOIN f b ON a.period IS NOT DISTINCT FROM b.period AND a.batch_id < b.batch_id
WHERE a.known_from < b.until AND b.known_from < a.until
