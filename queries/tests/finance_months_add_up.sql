-- model: mart_finance_monthly
-- The finance ledger's months add up to mart_fines per unit (decided and collected), and the last
-- month's outstanding is what mart_fines says is outstanding.
WITH f AS (
    SELECT unit, sum(decided_yuan) AS decided, sum(collected_yuan) AS collected, sum(outstanding_yuan) AS outstanding
    FROM mart_fines GROUP BY unit
),
m AS (
    SELECT unit, sum(decided_yuan) AS decided, sum(collected_yuan) AS collected, arg_max(outstanding_yuan, month) AS outstanding
    FROM mart_finance_monthly GROUP BY unit
)
SELECT coalesce(f.unit, m.unit) AS unit, f.decided, m.decided AS month_decided, f.collected, m.collected AS month_collected,
    f.outstanding, m.outstanding AS month_outstanding
FROM f FULL OUTER JOIN m ON m.unit = f.unit
WHERE f.decided IS DISTINCT FROM m.decided OR f.collected IS DISTINCT FROM m.collected OR f.outstanding IS DISTINCT FROM m.outstanding
