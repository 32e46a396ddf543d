-- Every case as it stands now, not as of the run's as-of: the portal's lists, a case's page and the
-- progress form read it, since the office assigns and the departments record progress today. The
-- current version of a case is the one no later arrival superseded (known_until IS NULL: of rows a
-- file repeats, the latest known_from, then batch, then row — stg_enforcement__cases gives every
-- other row of the case the next one's arrival as known_until, so at most one row per case stands
-- and no ranking is needed here), with every update recorded in the
-- portal so far applied field by field (the macro case_progress, queries/macros.sql, the rule
-- stg_enforcement__cases applies as of the run's as-of). A view: it reads the portal's entries live.
-- materialized: view
-- unique: case_id
-- not_null: case_id, source, township, found_on, known_from
WITH f AS (
    SELECT * FROM stg_enforcement__cases
    WHERE known_until IS NULL
)
SELECT f.case_id, f.source, f.source_ref, f.township, f.village, f.lon, f.lat, f.category, f.found_on,
    coalesce(u.filed_on, f.filed_on)                       AS filed_on,
    coalesce(u.price_requested_on, f.price_requested_on)   AS price_requested_on,
    coalesce(u.price_done_on, f.price_done_on)             AS price_done_on,
    coalesce(u.to_police_on, f.to_police_on)               AS to_police_on,
    coalesce(u.to_procuratorate_on, f.to_procuratorate_on) AS to_procuratorate_on,
    coalesce(u.judged_on, f.judged_on)                     AS judged_on,
    coalesce(u.fine_yuan, f.fine_yuan)                     AS fine_yuan,
    coalesce(u.confiscated_yuan, f.confiscated_yuan)       AS confiscated_yuan,
    coalesce(u.status, f.status)                           AS status,
    f.value_yuan, f.batch_id, f.source_row, f.known_from
FROM f
LEFT JOIN case_progress(DATE 'infinity') u ON u.case_id = f.case_id
