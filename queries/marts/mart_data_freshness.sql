-- When data last arrived (数据报送情况), as known at the run's as-of: per kind of input, for the
-- whole county (township NULL) and per township whose rows it holds — the last file's arrival
-- (last_received_at), its name (of files that arrived at the same moment, the one loaded last: the
-- highest batch_id), and how many files of the kind have arrived. Townships come from
-- the rows: forms and logs name theirs, cases, clues, patches, meters, flows and camera events theirs, rectification rows
-- the township of the ledger item they name, readings and field checks their meter's.
-- The input kind's word (kind_name) and the order of kinds come from the one registry
-- (campaign.InputKinds, through stg_config__labels).
-- unique: kind, township
-- not_null: kind, kind_name, last_received_at, files
WITH p AS (
    SELECT * FROM stg_config__parameters
),
b AS (
    SELECT b.* FROM stg_etl__batches b CROSS JOIN p WHERE known_at(b.known_from, b.known_until, p.as_of)
),
meters AS (
    SELECT m.meter_id, m.township FROM stg_power__meters m CROSS JOIN p WHERE known_at(m.known_from, m.known_until, p.as_of)
),
town_rows AS MATERIALIZED (
    -- (batch, township) pairs from the rows of each kind, as they come: gathered once, made distinct
    -- once (towns)
    SELECT batch_id, township FROM stg_etl__batches WHERE kind = 'inspection' AND township IS NOT NULL
    UNION ALL SELECT batch_id, township FROM stg_forms__inspections
    UNION ALL SELECT batch_id, township FROM stg_forms__patrols
    UNION ALL SELECT batch_id, township FROM stg_enforcement__cases
    UNION ALL SELECT batch_id, township FROM stg_clues__clues
    UNION ALL SELECT batch_id, township FROM stg_imagery__patches
    UNION ALL SELECT batch_id, township FROM stg_power__meters
    UNION ALL SELECT batch_id, township FROM stg_explosives__flows
    UNION ALL SELECT batch_id, township FROM stg_video__events
    UNION ALL
    SELECT r.batch_id, l.township
    FROM stg_forms__rectifications r JOIN mart_ledger l ON l.item_id = r.item_id
    UNION ALL
    SELECT c.batch_id, m.township FROM stg_power__checks c JOIN meters m ON m.meter_id = c.meter_id
    UNION ALL
    -- readings: the meter-days of each arrival, by the meter's township
    SELECT b.batch_id, m.township
    FROM (SELECT DISTINCT meter_id, known_from FROM int_power_meter_days) d
    JOIN meters m ON m.meter_id = d.meter_id
    JOIN b ON b.kind = 'power' AND b.known_from = d.known_from
),
towns AS (
    SELECT DISTINCT batch_id, township FROM town_rows
),
names AS (
    SELECT code AS kind, label AS kind_name, sort_order FROM stg_config__labels WHERE col = 'input'
),
per AS (
    SELECT b.kind, CAST(NULL AS VARCHAR) AS township, max(b.known_from) AS last_received_at,
        arg_max(b.file_name, (b.known_from, b.batch_id)) AS last_file, count(*) AS files
    FROM b GROUP BY b.kind
    UNION ALL
    SELECT b.kind, t.township, max(b.known_from), arg_max(b.file_name, (b.known_from, b.batch_id)), count(DISTINCT b.batch_id)
    FROM b JOIN towns t ON t.batch_id = b.batch_id
    GROUP BY b.kind, t.township
)
SELECT per.kind, coalesce(n.kind_name, per.kind) AS kind_name, per.township, per.last_received_at,
    per.last_file, per.files
FROM per
LEFT JOIN names n ON n.kind = per.kind
LEFT JOIN stg_config__townships t ON t.township = per.township
ORDER BY coalesce(n.sort_order, 99), per.township IS NOT NULL, t.sort_order
