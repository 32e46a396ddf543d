-- The enforcement chain's stages from the configuration ([[stage]]): the owning unit (short name),
-- the stage whose date starts each (NULL: the day the case was found), the deadline in working days
-- (0: none; the price determination's is prices.due_workdays) and the stage a stage ends instead.
-- unique: stage
-- not_null: stage, name, unit, due_workdays, sort_order
SELECT stage, name, unit, after_stage, due_workdays, replaces, sort_order
FROM dim_case_stages
