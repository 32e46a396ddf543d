-- model: mart_violations
-- A detected violation names the problem that detected it, one of its own township on the list as it
-- stood at the violation's detection deadline (int_violation_rounds), reported by then; a missed
-- one names none.
SELECT v.violation_id, v.detection_status, v.detected_by, pr.township AS problem_township, pr.reported_on
FROM mart_violations v
CROSS JOIN stg_config__parameters p
LEFT JOIN int_violation_rounds rd ON rd.as_of = p.as_of AND rd.violation_id = v.violation_id
LEFT JOIN int_problems_listed pr ON pr.problem_id = v.detected_by AND pr.known_on = coalesce(rd.detection_deadline, p.detection_deadline)
WHERE (v.detection_status = 'detected' AND (pr.problem_id IS NULL OR pr.township <> v.township
        OR pr.reported_on > coalesce(rd.detection_deadline, p.detection_deadline)))
   OR (v.detection_status = 'missed' AND v.detected_by IS NOT NULL)
