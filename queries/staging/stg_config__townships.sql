-- The county's townships in the configured order.
-- unique: township
-- not_null: township, sort_order
SELECT township, kind, sort_order, lon, lat
FROM dim_townships
