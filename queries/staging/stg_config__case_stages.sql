-- The enforcement chain's stages from the configuration ([[stage]]): the owning unit (short name),
-- the stage whose date starts each (NULL: the day the case was found), the deadline in working days
-- (0: none; the price determination's is prices.due_workdays), the stage a stage ends instead and
-- whether it is a transfer nobody owes until it is entered (only_entered: 公安受案).
-- unique: stage
-- not_null: stage, name, unit, due_workdays, sort_order, only_entered
SELECT stage, name, unit, after_stage, due_workdays, replaces, sort_order, coalesce(only_entered, false) AS only_entered
FROM dim_case_stages
