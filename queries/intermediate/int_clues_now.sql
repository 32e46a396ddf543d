-- Every clue as it stands now (the portal's lists and a clue's page): the version no later arrival
-- superseded (known_until IS NULL; of rows a file repeats, the latest known_from, then batch, then
-- row) with the latest verdict recorded in the portal so far (the macro clue_progress,
-- queries/macros.sql, the rule stg_clues__clues applies as of the run's as-of). A view: it reads
-- the portal's entries live.
-- materialized: view
-- unique: clue_id
-- not_null: clue_id, source, township, found_on, verdict, known_from
WITH f AS (
    SELECT * FROM stg_clues__clues
    WHERE known_until IS NULL
    QUALIFY row_number() OVER (PARTITION BY clue_id ORDER BY known_from DESC, batch_id DESC, source_row DESC) = 1
)
SELECT f.clue_id, f.source, f.township, f.village, f.lon, f.lat, f.category, f.found_on,
    coalesce(u.verdict, f.verdict) AS verdict, coalesce(u.verdict_on, f.verdict_on) AS verdict_on, f.unit,
    f.batch_id, f.source_row, f.known_from
FROM f
LEFT JOIN clue_progress(DATE 'infinity') u ON u.clue_id = f.clue_id
