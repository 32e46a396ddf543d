-- model: stg_config__parameters
-- The run has exactly one as-of and every parameter (a missing dim_parameters row shows as NULL).
SELECT count(*) AS rows FROM stg_config__parameters HAVING count(*) <> 1
