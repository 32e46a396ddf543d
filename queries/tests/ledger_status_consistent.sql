-- model: mart_ledger
-- Rectified exactly when status is 已整改; overdue only when open and past the deadline; on time only
-- when rectified by the deadline.
SELECT l.*
FROM mart_ledger l CROSS JOIN stg_config__parameters p
WHERE (l.rectified_on IS NOT NULL) <> (l.status_as_of = '已整改')
   OR (l.overdue AND (l.rectified_on IS NOT NULL OR l.deadline >= p.as_of))
   OR (l.on_time AND (l.rectified_on IS NULL OR l.rectified_on > l.deadline))
   OR l.rectified_on > p.as_of
