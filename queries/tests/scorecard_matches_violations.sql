-- model: mart_township_scorecard
-- The run's as-of row of each township counts exactly the mart_violations and mart_ledger rows.
WITH s AS (
    SELECT s.* FROM mart_township_scorecard s JOIN stg_config__parameters p ON p.as_of = s.as_of
),
v AS (
    SELECT township,
        count(*) FILTER (WHERE detection_status = 'missed') AS missed,
        count(*) FILTER (WHERE detection_status = 'detected') AS detected,
        count(*) FILTER (WHERE detection_status = 'new_after_rectification') AS new_after
    FROM mart_violations GROUP BY township
),
l AS (
    SELECT township, count(*) FILTER (WHERE overdue) AS overdue FROM mart_ledger GROUP BY township
)
SELECT s.township, s.missed, v.missed AS v_missed, s.detected, v.detected AS v_detected,
    s.overdue_open, l.overdue AS l_overdue
FROM s
LEFT JOIN v ON v.township = s.township
LEFT JOIN l ON l.township = s.township
WHERE s.missed <> coalesce(v.missed, 0) OR s.detected <> coalesce(v.detected, 0)
   OR s.new_after_rectification <> coalesce(v.new_after, 0) OR s.overdue_open <> coalesce(l.overdue, 0)
