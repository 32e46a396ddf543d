-- model: int_patrol_weeks
-- Weeks run from the week of patrol_from through the week of the date, and none after it.
SELECT w.*
FROM int_patrol_weeks w CROSS JOIN stg_config__parameters p
WHERE w.week_start < iso_monday(p.patrol_from) OR w.week_start > w.as_of
