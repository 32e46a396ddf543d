-- The detection round of each violation as of each date: a violation first seen within a 常态化
-- period ([[period]], stg_config__periods) is judged against that period's detection deadline,
-- every other one against the campaign's (README "常态化"). One rule for every model that asks by
-- when a township had to list a violation (int_violations_classified, mart_accountability, the
-- detected_by data test).
-- unique: as_of, violation_id
-- not_null: as_of, violation_id, detection_deadline
SELECT v.as_of, v.violation_id, coalesce(pe.detection_deadline, p.detection_deadline) AS detection_deadline,
    pe.name AS period
FROM int_violations v
CROSS JOIN stg_config__parameters p
LEFT JOIN stg_config__periods pe ON v.first_seen BETWEEN pe.start_on AND pe.end_on
