-- The working-day calendar; workday_no numbers the working days in order (rest days carry the
-- number of the last working day before them).
-- materialized: table
-- unique: day
-- not_null: day, is_workday, workday_no
SELECT
    day,
    is_workday,
    note,
    CAST(sum(CASE WHEN is_workday THEN 1 ELSE 0 END) OVER (ORDER BY day) AS INTEGER) AS workday_no
FROM dim_calendar
