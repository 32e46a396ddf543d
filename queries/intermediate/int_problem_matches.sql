-- Which problems match which channel records (README "Problems and detection"), for every record
-- that is a violation as of any date of the series:
--   by_reference: the problem's 备注 or 问题编号 contains the record's id, or the record names the
--     problem id (a case's 来源编号, a tip's linked_ref);
--   distance_m: set when both have coordinates, lie at most match_radius_m apart, and the problem's
--     township is that of a violation the record belongs to (int_violations_classified applies the
--     township of the violation as of each date).
-- unique: problem_id, record_id
-- not_null: problem_id, record_id, by_reference
-- relationships: problem_id -> int_problems_listed.problem_id
WITH rec AS (
    SELECT DISTINCT record_id, ref, ref2 FROM int_violation_records
),
rec_towns AS (
    SELECT DISTINCT m.record_id, v.township, m.lon, m.lat
    FROM int_violation_members m
    JOIN int_violations v ON v.as_of = m.as_of AND v.violation_id = m.violation_id
    WHERE m.lon IS NOT NULL AND m.lat IS NOT NULL
),
pairs AS (
    SELECT pr.problem_id, r.record_id, true AS by_reference, CAST(NULL AS DOUBLE) AS distance_m
    FROM int_problems_listed pr
    JOIN rec r ON contains(coalesce(pr.remark, ''), r.record_id) OR contains(pr.problem_id, r.record_id)
        OR r.ref = pr.problem_id OR r.ref2 = pr.problem_id
    UNION ALL
    SELECT pr.problem_id, r.record_id, false, haversine_m(pr.lon, pr.lat, r.lon, r.lat)
    FROM int_problems_listed pr
    JOIN rec_towns r ON r.township = pr.township
    CROSS JOIN stg_config__parameters p
    WHERE pr.lon IS NOT NULL AND pr.lat IS NOT NULL
      AND haversine_m(pr.lon, pr.lat, r.lon, r.lat) <= p.match_radius_m
)
SELECT problem_id, record_id, bool_or(by_reference) AS by_reference, min(distance_m) AS distance_m
FROM pairs
GROUP BY problem_id, record_id
