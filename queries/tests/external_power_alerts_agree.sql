-- model: stg_external__power_alerts
-- The latest externally computed alerts for the run's as-of, if any were loaded, are exactly the
-- warehouse's own (check_result aside: field checks stay in the warehouse): every alert of either
-- side that the other lacks, or holds with another meter, place, rule, day or score. Every rule is
-- compared: the export carries the 终止供电 entries (power_cutoffs.parquet) that supply_after_cutoff
-- rests on.
WITH p AS (
    SELECT * FROM stg_config__parameters
),
ext AS (
    SELECT e.alert_id, e.meter_id, e.township, e.village, e.customer_type, e.rule, e.first_day, e.last_day, e.score
    FROM stg_external__power_alerts e CROSS JOIN p
    WHERE e.as_of = p.as_of
      AND e.batch_id = (SELECT max(batch_id) FROM stg_external__power_alerts x WHERE x.as_of = p.as_of)
),
own AS (
    SELECT alert_id, meter_id, township, village, customer_type, rule, first_day, last_day, score
    FROM mart_power_alerts
    WHERE EXISTS (SELECT 1 FROM ext)
)
(SELECT 'external only' AS side, * FROM (SELECT * FROM ext EXCEPT SELECT * FROM own))
UNION ALL
(SELECT 'warehouse only', * FROM (SELECT * FROM own EXCEPT SELECT * FROM ext))
