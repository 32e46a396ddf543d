-- The actions every confirmed violation requires (dim_actions, from the configuration's [actions]
-- and stages; queries/README.md "Required actions"): owner is a unit's short name, 乡镇 (the
-- violation's township) or 办公室 (the office), NULL when the violation's category decides
-- (stg_config__category_actions.case_unit); due_workdays 0 when the deadline comes from elsewhere
-- (立案 and 处罚决定: their stages'; 恢复治理: the ledger's 恢复时限).
-- unique: action
-- not_null: action, name, due_workdays, sort_order
-- accepted_values: action = stop, cutoff_order, cutoff_done, filed, penalty, ban, transfer, restore
SELECT action, name, owner, due_workdays, sort_order
FROM dim_actions
