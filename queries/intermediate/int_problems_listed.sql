-- The problems on the township's lists as known on each date: every date of the weekly series and
-- the detection deadlines of the campaign and of its 常态化 periods (is_deadline), whose lists decide
-- detection. A problem counts on a date
-- when its form had arrived by the end of that date (and no correction replacing it had), and it was
-- reported on or before it. One row per problem (问题编号) and date: the earliest form line that
-- lists it (by reported_on, then batch and row), so a problem repeated on the township's review form
-- keeps the village's earlier date. received_at is when that line's form arrived.
-- unique: known_on, problem_id
-- not_null: known_on, is_deadline, problem_id, township, reported_on, received_at
WITH dates AS (
    SELECT as_of AS known_on FROM int_as_of_dates
    UNION
    SELECT detection_deadline FROM stg_config__parameters
    UNION
    SELECT detection_deadline FROM stg_config__periods
)
SELECT d.known_on, d.known_on = p.detection_deadline OR d.known_on IN (SELECT detection_deadline FROM stg_config__periods) AS is_deadline, i.problem_id, i.township, i.village, i.level, i.reported_on, i.hazard,
    i.remark, i.category, i.deadline, i.lon, i.lat, i.batch_id, i.source_row, i.known_from AS received_at
FROM dates d
CROSS JOIN stg_config__parameters p
JOIN stg_forms__inspections i ON known_at(i.known_from, i.known_until, d.known_on) AND i.reported_on <= d.known_on
QUALIFY row_number() OVER (PARTITION BY d.known_on, i.problem_id ORDER BY i.reported_on, i.batch_id, i.source_row) = 1
