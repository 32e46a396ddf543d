-- The dates every figure is computed as of: each Sunday from the start of the village self-check
-- (patrol_from) through the run's as-of, and the as-of itself (is_run).
-- unique: as_of
-- not_null: as_of, is_run
WITH days AS (
    SELECT CAST(unnest(generate_series(CAST(patrol_from AS TIMESTAMP), CAST(as_of AS TIMESTAMP), INTERVAL 1 DAY)) AS DATE) AS day
    FROM stg_config__parameters
)
SELECT d.day AS as_of, d.day = p.as_of AS is_run
FROM days d CROSS JOIN stg_config__parameters p
WHERE dayofweek(d.day) = 0 AND d.day <> p.as_of
UNION ALL
SELECT as_of, true FROM stg_config__parameters
