-- Which problems match which channel records (README "Problems and detection"), for every record
-- that is a violation as of any date of the series:
--   reference: the problem's 备注 or 问题编号 contains the record's id, or the record names the
--     problem id (a case's 来源编号, a tip's linked_ref);
--   distance: both have coordinates, the same township, and lie at most match_radius_m apart.
-- reason is 'reference' when both hold; distance_m is set whenever both have coordinates in the
-- same township.
-- unique: problem_id, record_id
-- not_null: problem_id, record_id, reason
-- accepted_values: reason = reference, distance
-- relationships: problem_id -> int_problems_listed.problem_id
WITH rec AS (
    SELECT DISTINCT record_id, township, lon, lat, ref, ref2 FROM int_violation_records
),
pairs AS (
    SELECT pr.problem_id, r.record_id, true AS by_ref,
        CAST(NULL AS DOUBLE) AS distance_m
    FROM int_problems_listed pr
    JOIN rec r ON contains(coalesce(pr.remark, ''), r.record_id) OR contains(pr.problem_id, r.record_id)
        OR r.ref = pr.problem_id OR r.ref2 = pr.problem_id
    UNION ALL
    SELECT pr.problem_id, r.record_id, false, haversine_m(pr.lon, pr.lat, r.lon, r.lat)
    FROM int_problems_listed pr
    JOIN rec r ON r.township = pr.township
    CROSS JOIN stg_config__parameters p
    WHERE pr.lon IS NOT NULL AND pr.lat IS NOT NULL AND r.lon IS NOT NULL AND r.lat IS NOT NULL
      AND haversine_m(pr.lon, pr.lat, r.lon, r.lat) <= p.match_radius_m
)
SELECT problem_id, record_id,
    CASE WHEN bool_or(by_ref) THEN 'reference' ELSE 'distance' END AS reason,
    min(distance_m) AS distance_m
FROM pairs
GROUP BY problem_id, record_id
