-- Macros the models share; created before every build.

-- Great-circle distance in metres between two WGS84 points (haversine, mean earth radius
-- 6,371,008.8 m). NULL when a coordinate is NULL.
CREATE OR REPLACE MACRO haversine_m(lon1, lat1, lon2, lat2) AS
    2 * 6371008.8 * asin(sqrt(
        pow(sin(radians(lat2 - lat1) / 2), 2)
        + cos(radians(lat1)) * cos(radians(lat2)) * pow(sin(radians(lon2 - lon1) / 2), 2)));

-- The Monday of the ISO week holding a day.
CREATE OR REPLACE MACRO iso_monday(d) AS CAST(date_trunc('week', d) AS DATE);

-- As known then (README "As known then"): a row of a batch received at known_from, superseded at
-- known_until (a correction or a newer version arrived; NULL: never), counts as of day d when it had
-- arrived by the end of d and was not yet superseded then.
CREATE OR REPLACE MACRO known_at(known_from, known_until, d) AS
    known_from < CAST(d AS TIMESTAMP) + INTERVAL 1 DAY
    AND (known_until IS NULL OR known_until >= CAST(d AS TIMESTAMP) + INTERVAL 1 DAY);

-- Portal progress overrides the cases file field by field (queries/README.md "Everything is as of a date"): of the
-- department's updates (case_updates, append-only) the latest (updated_at) that gives a field counts
-- as known on day d — a date only when it is on or before d, an amount or a status only when the
-- update was made on or before d. stg_enforcement__cases applies it as of the run's as-of;
-- int_cases_now as of DATE 'infinity' (every update made so far). d is read once, in x: written
-- into each of the nine filters, a d of (SELECT as_of FROM p) became nine scalar subqueries, and
-- every query over stg_enforcement__cases spent ≈ 40 ms of processor time planning them.
CREATE OR REPLACE MACRO case_progress(d) AS TABLE
    SELECT u.case_id,
        arg_max(u.filed_on, u.updated_at) FILTER (WHERE u.filed_on <= x.progress_day)                       AS filed_on,
        arg_max(u.price_requested_on, u.updated_at) FILTER (WHERE u.price_requested_on <= x.progress_day)   AS price_requested_on,
        arg_max(u.price_done_on, u.updated_at) FILTER (WHERE u.price_done_on <= x.progress_day)             AS price_done_on,
        arg_max(u.to_police_on, u.updated_at) FILTER (WHERE u.to_police_on <= x.progress_day)               AS to_police_on,
        arg_max(u.to_procuratorate_on, u.updated_at) FILTER (WHERE u.to_procuratorate_on <= x.progress_day) AS to_procuratorate_on,
        arg_max(u.judged_on, u.updated_at) FILTER (WHERE u.judged_on <= x.progress_day)                     AS judged_on,
        arg_max(u.fine_yuan, u.updated_at)
            FILTER (WHERE u.fine_yuan IS NOT NULL AND CAST(u.updated_at AS DATE) <= x.progress_day)         AS fine_yuan,
        arg_max(u.confiscated_yuan, u.updated_at)
            FILTER (WHERE u.confiscated_yuan IS NOT NULL AND CAST(u.updated_at AS DATE) <= x.progress_day)  AS confiscated_yuan,
        arg_max(u.status, u.updated_at)
            FILTER (WHERE nullif(trim(u.status), '') IS NOT NULL AND CAST(u.updated_at AS DATE) <= x.progress_day) AS status
    FROM case_updates u CROSS JOIN (SELECT d AS progress_day) x
    GROUP BY u.case_id;

-- A verdict recorded in the portal replaces the clues file's (queries/README.md "Everything is as of a date"): of the
-- department's updates (clue_updates, append-only) made on or before day d the latest counts;
-- verdict_on is that update's day. stg_clues__clues applies it as of the run's as-of; int_clues_now
-- as of DATE 'infinity'.
CREATE OR REPLACE MACRO clue_progress(d) AS TABLE
    SELECT u.clue_id, arg_max(u.verdict, u.updated_at) AS verdict, CAST(max(u.updated_at) AS DATE) AS verdict_on
    FROM clue_updates u
    WHERE CAST(u.updated_at AS DATE) <= d
    GROUP BY u.clue_id;

-- The frozen-day overlay (queries/README.md "Freezing a date"), the one rule mart_township_scorecard,
-- mart_violations and mart_ledger share: a mart's rows as computed (the CTE or model named computed,
-- with its as_of) for every day not frozen, frozen_at NULL; for a frozen day the rows stored when it
-- was frozen (frozen: its stg_freeze__* snapshot, with as_of) and frozen_at, when it was frozen.
CREATE OR REPLACE MACRO frozen_overlay(computed, frozen) AS TABLE
    SELECT c.*, CAST(NULL AS TIMESTAMP) AS frozen_at
    FROM query_table(computed) c
    WHERE c.as_of NOT IN (SELECT as_of FROM stg_freeze__freezes)
    UNION ALL BY NAME
    SELECT s.*, f.frozen_at
    FROM query_table(frozen) s
    JOIN stg_freeze__freezes f ON f.as_of = s.as_of;
