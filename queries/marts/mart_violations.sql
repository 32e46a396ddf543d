-- Every violation as of the run's as-of, channels merged (README "Violations", "Problems and
-- detection", "Recurrences"): match_reason in words (编号对应, 距离对应, 迟报…, 补报…), late_problem
-- the problem that came too late, recurrence_of the rectified violation or item it came back to,
-- area_mu the area of its imagery patches.
-- unique: violation_id
-- not_null: violation_id, township, first_seen, sources, source_refs, detection_status
-- accepted_values: detection_status = detected, missed, not_due, new_after_rectification
-- relationships: township -> stg_config__townships.township
-- A frozen as-of shows the rows stored when it was frozen (frozen_at says when; the macro
-- frozen_overlay, queries/macros.sql).
WITH computed AS (
    SELECT v.as_of, v.violation_id, v.township, v.village, v.category, v.first_seen, v.sources, v.source_refs,
        v.lon, v.lat, v.detected_by, v.detection_status, v.match_reason, v.late_problem, v.recurrence_of, v.area_mu
    FROM int_violations_classified v
    JOIN stg_config__parameters p ON p.as_of = v.as_of
),
frozen AS (
    SELECT s.*
    FROM stg_freeze__violations s
    JOIN stg_config__parameters p ON p.as_of = s.as_of
)
SELECT * EXCLUDE (as_of)
FROM frozen_overlay(computed, frozen)
ORDER BY township, first_seen, violation_id
