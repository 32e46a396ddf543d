-- model: mart_cases_pipeline
-- A price determination is due on a working day after its request.
SELECT c.case_id, c.price_requested_on, c.price_due_on
FROM mart_cases_pipeline c
LEFT JOIN stg_config__calendar d ON d.day = c.price_due_on
WHERE c.price_requested_on IS NOT NULL
  AND (c.price_due_on IS NULL OR c.price_due_on <= c.price_requested_on OR NOT d.is_workday)
