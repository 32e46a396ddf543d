-- model: mart_township_scorecard
-- The figures agree with each other: due = detected + missed, parts within wholes, rates in [0, 1]
-- and NULL exactly when the denominator is 0, reasons empty exactly for green.
SELECT *
FROM mart_township_scorecard
WHERE violations_due <> detected + missed
   OR rectified_on_time > ledger_due
   OR patrol_weeks_done > patrol_weeks
   OR (missed_detection_rate IS NULL) <> (violations_due = 0)
   OR (rectification_rate IS NULL) <> (ledger_due = 0)
   OR (patrol_compliance IS NULL) <> (patrol_weeks = 0)
   OR missed_detection_rate NOT BETWEEN 0 AND 1
   OR rectification_rate NOT BETWEEN 0 AND 1
   OR patrol_compliance NOT BETWEEN 0 AND 1
   OR (level = 'green' AND reasons <> '')
   OR (level <> 'green' AND reasons = ''
       AND missed + overdue_open + rectification_false + new_after_rectification + patrol_weeks - patrol_weeks_done > 0)
