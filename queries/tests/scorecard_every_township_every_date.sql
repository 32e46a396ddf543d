-- model: mart_township_scorecard
-- One row per township for each date of the weekly series, the run's as-of included.
SELECT a.as_of, t.township
FROM int_as_of_dates a CROSS JOIN stg_config__townships t
WHERE NOT EXISTS (SELECT 1 FROM mart_township_scorecard s WHERE s.as_of = a.as_of AND s.township = t.township)
