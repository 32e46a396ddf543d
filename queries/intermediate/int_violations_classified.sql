-- Violations with their detection, as of each date. A problem reported ≤ the date matches a
-- violation when it names any member (or a member names it), or when it belongs to the violation's
-- township and lies within match_radius_m of any member. detected_by: the earliest (then smallest id) matching
-- problem of the violation's township reported ≤ detection_deadline. detection_status:
-- new_after_rectification (first_seen > rectification_end), not_due (first_seen > deadline, or the
-- date < deadline), detected, missed. match_reason: how detected_by matched, else how the earliest
-- matching problem did ('reference' or 'distance'); matched: any problem ≤ the date matches.
-- unique: as_of, violation_id
-- not_null: as_of, violation_id, township, first_seen, detection_status, matched, problems
-- accepted_values: detection_status = detected, missed, not_due, new_after_rectification
-- accepted_values: match_reason = reference, distance
-- relationships: detected_by -> int_problems_listed.problem_id
WITH p AS (
    SELECT * FROM stg_config__parameters
),
pv AS (
    -- a problem matches a violation by reference to any member, or by distance to any member when
    -- the problem belongs to the violation's township
    SELECT m.as_of, m.violation_id, pm.problem_id,
        any_value(pr.township) AS problem_township,
        any_value(pr.reported_on) AS reported_on,
        CASE WHEN bool_or(pm.by_reference) THEN 'reference' ELSE 'distance' END AS reason
    FROM int_problem_matches pm
    JOIN int_violation_members m ON m.record_id = pm.record_id
    JOIN int_violations v ON v.as_of = m.as_of AND v.violation_id = m.violation_id
    JOIN int_problems_listed pr ON pr.problem_id = pm.problem_id AND pr.reported_on <= m.as_of
    WHERE pm.by_reference OR (pm.distance_m IS NOT NULL AND pr.township = v.township)
    GROUP BY m.as_of, m.violation_id, pm.problem_id
),
det AS (
    SELECT v.as_of, v.violation_id,
        first(pv.problem_id ORDER BY pv.reported_on, pv.problem_id)
            FILTER (WHERE pv.problem_township = v.township AND pv.reported_on <= p.detection_deadline) AS detected_by,
        first(pv.reason ORDER BY pv.reported_on, pv.problem_id)
            FILTER (WHERE pv.problem_township = v.township AND pv.reported_on <= p.detection_deadline) AS detected_reason,
        first(pv.reason ORDER BY pv.reported_on, pv.problem_id) AS first_reason,
        count(pv.problem_id) AS problems
    FROM int_violations v
    CROSS JOIN p
    LEFT JOIN pv ON pv.as_of = v.as_of AND pv.violation_id = v.violation_id
    GROUP BY v.as_of, v.violation_id
)
SELECT v.as_of, v.violation_id, v.township, v.village, v.category, v.first_seen, v.verified_on,
    v.sources, v.source_refs, v.lon, v.lat, v.members,
    d.detected_by,
    CASE
        WHEN v.first_seen > p.rectification_end THEN 'new_after_rectification'
        WHEN v.first_seen > p.detection_deadline OR v.as_of < p.detection_deadline THEN 'not_due'
        WHEN d.detected_by IS NOT NULL THEN 'detected'
        ELSE 'missed'
    END AS detection_status,
    coalesce(d.detected_reason, d.first_reason) AS match_reason,
    d.problems > 0 AS matched,
    d.problems
FROM int_violations v
CROSS JOIN p
JOIN det d ON d.as_of = v.as_of AND d.violation_id = v.violation_id
