-- The leading group's member units (领导小组成员单位) from the configuration, in configured order.
-- unique: unit
-- unique: short_name
-- not_null: unit, short_name, sort_order
SELECT unit, short_name, duty, sort_order
FROM dim_units
