-- The reward fund (举报奖励资金) by month as of the run's as-of (queries/README.md "The finance
-- ledger"): one row per calendar month from the month data collection began to the as-of's, with the
-- rewards approved (stg_portal__rewards by approved_on) and paid (stg_portal__payouts by paid_on) in
-- the month, their sums up to the month's end, the configured budget (rewards.budget_yuan; NULL when
-- not configured), what remains of it (budget − approved up to the month's end: an approved reward
-- is committed) and what is approved but not yet paid (owed). A day before the first month counts
-- in the first month.
-- unique: month
-- not_null: month, approved_yuan, paid_yuan, approved_total_yuan, paid_total_yuan, owed_yuan
WITH p AS (
    SELECT as_of, least(data_from, as_of) AS first_day, reward_budget_yuan FROM stg_config__parameters
),
months AS (
    SELECT CAST(unnest(generate_series(CAST(date_trunc('month', first_day) AS TIMESTAMP),
        CAST(date_trunc('month', as_of) AS TIMESTAMP), INTERVAL 1 MONTH)) AS DATE) AS month
    FROM p
),
ev AS (
    SELECT CAST(date_trunc('month', greatest(r.approved_on, p.first_day)) AS DATE) AS month, r.amount_yuan AS approved,
        CAST(0 AS DECIMAL(14, 2)) AS paid
    FROM stg_portal__rewards r, p WHERE r.approved_on <= p.as_of
    UNION ALL
    SELECT CAST(date_trunc('month', greatest(y.paid_on, p.first_day)) AS DATE), 0, y.amount_yuan
    FROM stg_portal__payouts y, p WHERE y.paid_on <= p.as_of
),
m AS (
    SELECT m.month,
        CAST(coalesce(sum(e.approved), 0) AS DECIMAL(14, 2)) AS approved_yuan,
        CAST(coalesce(sum(e.paid), 0) AS DECIMAL(14, 2)) AS paid_yuan
    FROM months m
    LEFT JOIN ev e ON e.month = m.month
    GROUP BY m.month
),
c AS (
    SELECT month, approved_yuan, paid_yuan,
        CAST(sum(approved_yuan) OVER (ORDER BY month) AS DECIMAL(14, 2)) AS approved_total_yuan,
        CAST(sum(paid_yuan) OVER (ORDER BY month) AS DECIMAL(14, 2)) AS paid_total_yuan
    FROM m
)
SELECT c.month, c.approved_yuan, c.paid_yuan, c.approved_total_yuan, c.paid_total_yuan,
    p.reward_budget_yuan AS budget_yuan,
    CAST(p.reward_budget_yuan - c.approved_total_yuan AS DECIMAL(14, 2)) AS remaining_yuan,
    CAST(c.approved_total_yuan - c.paid_total_yuan AS DECIMAL(14, 2)) AS owed_yuan
FROM c CROSS JOIN p
ORDER BY c.month
