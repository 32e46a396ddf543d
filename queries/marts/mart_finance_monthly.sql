-- The finance bureau's ledger of 罚没款 by month and unit as of the run's as-of (queries/README.md
-- "The finance ledger"): one row per calendar month from the month data collection began to the
-- as-of's, and per member unit that decided some 罚没款 (mart_fines.unit). decided_yuan: decided in
-- the month (mart_fines.decided_yuan by decided_on); collected_yuan: collected in the month
-- (mart_fine_collections by 缴款日期, under the unit that decided what it pays); outstanding_yuan: what
-- the unit's decisions still owed at the month's end (decided − collected up to then). A day before
-- the first month counts in the first month, so the months add up to mart_fines.
-- unique: month, unit
-- not_null: month, unit, decided_yuan, collected_yuan, outstanding_yuan
WITH p AS (
    SELECT data_from, as_of, least(data_from, as_of) AS first_day FROM stg_config__parameters
),
months AS (
    SELECT CAST(unnest(generate_series(CAST(date_trunc('month', first_day) AS TIMESTAMP),
        CAST(date_trunc('month', as_of) AS TIMESTAMP), INTERVAL 1 MONTH)) AS DATE) AS month
    FROM p
),
units AS (
    SELECT DISTINCT unit FROM mart_fines
),
ev AS (
    SELECT CAST(date_trunc('month', greatest(f.decided_on, p.first_day)) AS DATE) AS month, f.unit,
        f.decided_yuan AS decided, CAST(0 AS DECIMAL(14, 2)) AS collected
    FROM mart_fines f, p WHERE f.decided_yuan > 0
    UNION ALL
    SELECT CAST(date_trunc('month', greatest(c.paid_on, p.first_day)) AS DATE), f.unit, 0, c.amount_yuan
    FROM mart_fine_collections c
    JOIN mart_fines f ON f.case_id = c.case_id AND f.fine_kind = c.fine_kind
    CROSS JOIN p
),
m AS (
    SELECT m.month, u.unit,
        CAST(coalesce(sum(e.decided), 0) AS DECIMAL(14, 2)) AS decided_yuan,
        CAST(coalesce(sum(e.collected), 0) AS DECIMAL(14, 2)) AS collected_yuan
    FROM months m
    CROSS JOIN units u
    LEFT JOIN ev e ON e.month = m.month AND e.unit = u.unit
    GROUP BY m.month, u.unit
)
SELECT month, unit, decided_yuan, collected_yuan,
    CAST(sum(decided_yuan - collected_yuan) OVER (PARTITION BY unit ORDER BY month) AS DECIMAL(14, 2)) AS outstanding_yuan
FROM m
ORDER BY month, unit
