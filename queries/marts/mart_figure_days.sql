-- The day each figure of the portal shows when no day is asked for (默认日期): the last models-run
-- as-of that has data for it. A figure's data are the kinds of input it is computed from (the list
-- below, by the mart the page shows); the figure has data as of a run when a file of one of those
-- kinds arrived after the run before it (so the figures moved). last_data_at is the arrival of the
-- last such file known as of this run (mart_data_freshness, county-wide); default_as_of is the first
-- run as-of on or after that day — the run's own as-of when its data reach into the period since
-- the run before, an earlier run's as-of when they stopped before it (e.g. the 2023 campaign's
-- imagery and cases against a run at the end of a 2024 常态化 period). A figure none of whose kinds
-- has arrived shows the run's as-of. Runs are this one and the earlier ones (model_runs) up to its
-- as-of. The portal reads default_as_of for its list pages and the dossier (portal/figuredays.go).
-- unique: figure
-- not_null: figure, kinds, run_as_of, default_as_of
WITH p AS (
    SELECT as_of FROM stg_config__parameters
),
figures(figure, kinds) AS (
    VALUES
        ('mart_township_scorecard', ['inspection', 'rectification', 'patrol', 'imagery', 'clues', 'cases', 'power', 'power-checks', 'explosives', 'video']),
        ('mart_violations', ['inspection', 'rectification', 'imagery', 'clues', 'cases', 'power', 'power-checks', 'explosives', 'video']),
        ('mart_ledger', ['inspection', 'rectification', 'duties', 'acceptances']),
        ('mart_accountability', ['inspection', 'rectification', 'imagery', 'clues', 'cases', 'power-checks', 'explosives', 'video', 'responsibilities', 'duties']),
        ('mart_imagery_triage', ['imagery', 'licences']),
        ('mart_power_gaps', ['meters', 'power']),
        ('mart_fines', ['cases', 'case-stages', 'collections']),
        ('mart_data_freshness', CAST(NULL AS VARCHAR[]))
),
runs AS (
    SELECT DISTINCT r.as_of FROM model_runs r CROSS JOIN p WHERE r.as_of <= p.as_of
    UNION
    SELECT as_of FROM p
),
last AS (
    -- the last arrival of the figure's kinds (every kind for the arrivals' own page)
    SELECT f.figure, max(d.last_received_at) AS last_data_at
    FROM figures f
    LEFT JOIN mart_data_freshness d ON d.township IS NULL AND (f.kinds IS NULL OR list_contains(f.kinds, d.kind))
    GROUP BY f.figure
)
SELECT f.figure, coalesce(array_to_string(f.kinds, ','), '*') AS kinds, l.last_data_at, p.as_of AS run_as_of,
    coalesce((SELECT min(r.as_of) FROM runs r WHERE r.as_of >= CAST(l.last_data_at AS DATE)), p.as_of) AS default_as_of
FROM figures f
JOIN last l ON l.figure = f.figure
CROSS JOIN p
ORDER BY f.figure
