-- model: mart_enforcement_speed
-- The speed figures count every violation once, and never more cases, 立案 or 移送 than violations.
SELECT 'total' AS what, (SELECT sum(violations) FROM mart_enforcement_speed) AS got, (SELECT count(*) FROM mart_violations) AS want
WHERE coalesce((SELECT sum(violations) FROM mart_enforcement_speed), 0) <> (SELECT count(*) FROM mart_violations)
UNION ALL
SELECT township || '/' || channel, with_case, violations
FROM mart_enforcement_speed
WHERE with_case > violations OR filed > with_case OR transferred > with_case
