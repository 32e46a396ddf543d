-- model: mart_accountability
-- 已处理 has an outcome, 已移交 a transfer and no outcome, 待移交 neither; nothing is dated after the
-- as-of; names are looked up on a day no later than the as-of.
SELECT a.*
FROM mart_accountability a CROSS JOIN stg_config__parameters p
WHERE (a.status = '已处理') <> (a.outcome IS NOT NULL)
   OR (a.status = '已移交' AND a.transferred_on IS NULL)
   OR (a.status = '待移交' AND a.transferred_on IS NOT NULL)
   OR a.transferred_on > p.as_of OR a.outcome_on > p.as_of
   OR a.names_on > p.as_of AND a.first_responsible IS NOT NULL
