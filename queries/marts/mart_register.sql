-- The responsibility register (责任人名册) as it stands at the run's as-of: the rows of the latest
-- register file that had arrived by then, in township order.
-- not_null: as_of, township, person, duty_type
-- accepted_values: duty_type = 第一责任人, 分管领导, 直接责任人, 包村干部, 监管网格员
-- relationships: township -> stg_config__townships.township
SELECT p.as_of, r.township, r.village, r.post, r.person, r.duty_type, r.grid, r.batch_id, r.source_row
FROM stg_register__responsibilities r
CROSS JOIN stg_config__parameters p
LEFT JOIN stg_config__townships t ON t.township = r.township
WHERE known_at(r.known_from, r.known_until, p.as_of)
ORDER BY t.sort_order, r.village NULLS FIRST, r.source_row
