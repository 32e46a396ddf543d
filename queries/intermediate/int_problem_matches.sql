-- Which problem lines match which channel records (README "Problems and detection"), for every
-- record that is a violation as of any date of the series and every problem line of any form:
--   by_reference: the problem's 备注 or 问题编号 contains the record's id, or the record names the
--     problem id (a case's 来源编号, a tip's linked_ref);
--   distance_m: set when both have coordinates and lie at most match_radius_m apart (the township
--     rule — the problem belongs to the violation's township — is applied by
--     int_violations_classified, which knows the violation's township as of each date).
-- A problem line is (batch_id, source_row): the content a form had when it arrived, so detection can
-- be judged on the lists as they stood at the deadline.
-- unique: batch_id, source_row, record_id
-- not_null: batch_id, source_row, problem_id, record_id, by_reference
WITH rec AS (
    SELECT DISTINCT record_id, ref, ref2, lon, lat FROM int_violation_records
),
pairs AS (
    SELECT pr.batch_id, pr.source_row, pr.problem_id, r.record_id, true AS by_reference, CAST(NULL AS DOUBLE) AS distance_m
    FROM stg_forms__inspections pr
    JOIN rec r ON contains(coalesce(pr.remark, ''), r.record_id) OR contains(pr.problem_id, r.record_id)
        OR r.ref = pr.problem_id OR r.ref2 = pr.problem_id
    UNION ALL
    SELECT pr.batch_id, pr.source_row, pr.problem_id, r.record_id, false, haversine_m(pr.lon, pr.lat, r.lon, r.lat)
    FROM stg_forms__inspections pr
    CROSS JOIN stg_config__parameters p
    -- a box around the problem 10 % wider than the radius, before the exact distance
    JOIN rec r ON abs(r.lat - pr.lat) <= p.match_radius_m * 1.1 / 111000
        AND abs(r.lon - pr.lon) <= p.match_radius_m * 1.1 / (111000 * cos(radians(pr.lat)))
    WHERE pr.lon IS NOT NULL AND pr.lat IS NOT NULL AND r.lon IS NOT NULL AND r.lat IS NOT NULL
      AND haversine_m(pr.lon, pr.lat, r.lon, r.lat) <= p.match_radius_m
)
SELECT batch_id, source_row, any_value(problem_id) AS problem_id, record_id,
    bool_or(by_reference) AS by_reference, min(distance_m) AS distance_m
FROM pairs
GROUP BY batch_id, source_row, record_id
