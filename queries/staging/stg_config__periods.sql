-- The 常态化 periods after the look-back (configuration [[period]]): each round's days, its
-- detection deadline and its rectification deadline. Periods do not overlap (campaign/config.go
-- refuses them).
-- unique: name
-- not_null: name, start_on, end_on, detection_deadline, rectification_deadline, sort_order
SELECT name, start_on, end_on, detection_deadline, rectification_deadline, sort_order
FROM dim_periods
