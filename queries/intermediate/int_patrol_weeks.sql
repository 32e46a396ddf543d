-- ISO weeks (Monday–Sunday) each township owes a patrol, as of each date: from the week holding
-- patrol_from through the week holding the date (none before patrol_from), of the weeks that meet
-- the campaign (through the end of the look-back) or a 常态化 period (stg_config__periods): a
-- week between the look-back and a later period is owed nothing; done when the township
-- logged at least patrols_per_week patrols in the week, dated ≤ the date, in files that had arrived by
-- the end of the date.
-- unique: as_of, township, week_start
-- not_null: as_of, township, week_start, logs, done
-- relationships: township -> stg_config__townships.township
WITH p AS (
    SELECT * FROM stg_config__parameters
),
weeks AS (
    SELECT a.as_of,
        CAST(unnest(generate_series(CAST(iso_monday(p.patrol_from) AS TIMESTAMP),
            CAST(iso_monday(a.as_of) AS TIMESTAMP), INTERVAL 7 DAY)) AS DATE) AS week_start
    FROM int_as_of_dates a CROSS JOIN p
    WHERE a.as_of >= p.patrol_from
),
owed AS (
    SELECT w.* FROM weeks w CROSS JOIN p
    WHERE p.lookback_end IS NULL OR w.week_start <= p.lookback_end
       OR EXISTS (SELECT 1 FROM stg_config__periods per WHERE w.week_start <= per.end_on AND w.week_start + 6 >= per.start_on)
),
logs AS (
    SELECT w.as_of, w.week_start, l.township, count(*) AS logs
    FROM owed w
    JOIN stg_forms__patrols l ON iso_monday(l.patrolled_on) = w.week_start AND l.patrolled_on <= w.as_of
        AND known_at(l.known_from, l.known_until, w.as_of)
    GROUP BY ALL
)
SELECT w.as_of, t.township, w.week_start, coalesce(l.logs, 0) AS logs,
    coalesce(l.logs, 0) >= p.patrols_per_week AS done
FROM owed w
CROSS JOIN stg_config__townships t
CROSS JOIN p
LEFT JOIN logs l ON l.as_of = w.as_of AND l.week_start = w.week_start AND l.township = t.township
