-- Which problem lines match which channel records (README "Problems and detection"), for every
-- record that is a violation as of any date of the series and every problem line of any form:
--   by_reference: the problem's 备注 or 问题编号 contains the record's id, or the record names the
--     problem id (a case's 来源编号, a tip's linked_ref);
--   distance_m: set when both have coordinates and lie at most match_radius_m apart (the township
--     rule — the problem belongs to the violation's township — is applied by
--     int_violations_classified, which knows the violation's township as of each date).
-- A problem line is (batch_id, source_row): the content a form had when it arrived, so detection can
-- be judged on the lists as they stood at the deadline.
-- Both searches are equality joins rather than a comparison of every line with every record. By
-- reference, a text that contains a record id contains the id's first k characters (k is the length
-- of the shortest id), so the texts' k-character pieces are joined to the ids' first k characters,
-- and contains() decides. By distance, records are put in latitude bands 1.2 × match_radius_m tall;
-- a record in the box around a problem (below) lies in the problem's band or one next to it, so each
-- problem is joined to those three bands, and the box and the distance decide.
-- unique: batch_id, source_row, record_id
-- not_null: batch_id, source_row, problem_id, record_id, by_reference
WITH rec AS (
    SELECT DISTINCT record_id, ref, ref2, lon, lat FROM int_violation_records
),
k AS (
    SELECT min(length(record_id)) AS k FROM rec
),
ids AS (
    SELECT r.record_id, left(r.record_id, k.k) AS head FROM rec r CROSS JOIN k
),
texts AS (
    -- what may name a record: the problem's 备注 and its 问题编号
    SELECT DISTINCT t FROM (
        SELECT coalesce(remark, '') AS t FROM stg_forms__inspections
        UNION ALL
        SELECT problem_id FROM stg_forms__inspections
    ) WHERE t IS NOT NULL
),
pieces AS (
    SELECT t, substring(t, i, k) AS piece
    FROM (SELECT x.t, k.k, unnest(range(1, length(x.t) - k.k + 2)) AS i FROM texts x CROSS JOIN k)
),
named AS (
    -- the texts that contain a record's id
    SELECT x.t, i.record_id
    FROM pieces x JOIN ids i ON i.head = x.piece
    WHERE contains(x.t, i.record_id)
),
located AS (
    -- problems with coordinates, once in their latitude band and once in each band next to it
    SELECT pr.batch_id, pr.source_row, pr.problem_id, pr.lon, pr.lat, p.match_radius_m,
        unnest([0, -1, 1]) + floor(pr.lat / greatest(p.match_radius_m * 1.2 / 111000, 1e-9)) AS band
    FROM stg_forms__inspections pr
    CROSS JOIN stg_config__parameters p
    WHERE pr.lon IS NOT NULL AND pr.lat IS NOT NULL
),
banded AS (
    SELECT r.record_id, r.lon, r.lat, floor(r.lat / greatest(p.match_radius_m * 1.2 / 111000, 1e-9)) AS band
    FROM rec r CROSS JOIN stg_config__parameters p
    WHERE r.lon IS NOT NULL AND r.lat IS NOT NULL
),
pairs AS (
    SELECT pr.batch_id, pr.source_row, pr.problem_id, n.record_id, true AS by_reference, CAST(NULL AS DOUBLE) AS distance_m
    FROM stg_forms__inspections pr
    JOIN named n ON n.t = coalesce(pr.remark, '')
    UNION ALL
    SELECT pr.batch_id, pr.source_row, pr.problem_id, n.record_id, true, NULL
    FROM stg_forms__inspections pr
    JOIN named n ON n.t = pr.problem_id
    UNION ALL
    SELECT pr.batch_id, pr.source_row, pr.problem_id, r.record_id, true, NULL
    FROM stg_forms__inspections pr
    JOIN rec r ON r.ref = pr.problem_id
    UNION ALL
    SELECT pr.batch_id, pr.source_row, pr.problem_id, r.record_id, true, NULL
    FROM stg_forms__inspections pr
    JOIN rec r ON r.ref2 = pr.problem_id
    UNION ALL
    SELECT pr.batch_id, pr.source_row, pr.problem_id, r.record_id, false, haversine_m(pr.lon, pr.lat, r.lon, r.lat)
    FROM located pr
    JOIN banded r ON r.band = pr.band
    -- a box around the problem 10 % wider than the radius, before the exact distance
    WHERE abs(r.lat - pr.lat) <= pr.match_radius_m * 1.1 / 111000
      AND abs(r.lon - pr.lon) <= pr.match_radius_m * 1.1 / (111000 * cos(radians(pr.lat)))
      AND haversine_m(pr.lon, pr.lat, r.lon, r.lat) <= pr.match_radius_m
)
SELECT batch_id, source_row, any_value(problem_id) AS problem_id, record_id,
    bool_or(by_reference) AS by_reference, min(distance_m) AS distance_m
FROM pairs
GROUP BY batch_id, source_row, record_id
