-- The accepting unit (验收单位) of each category's rectifications, from [acceptance] of the
-- configuration (acceptance.by_category, else acceptance.unit; campaign/acceptance.go), and the unit
-- for an item without a category (category NULL). Full unit names.
-- unique: category
-- not_null: unit
-- relationships: unit -> stg_config__units.unit
SELECT nullif(substr(key, length('acceptance_unit:') + 1), '') AS category, text AS unit
FROM dim_parameters
WHERE key LIKE 'acceptance_unit:%'
UNION ALL
SELECT NULL, text FROM dim_parameters WHERE key = 'acceptance_unit'
