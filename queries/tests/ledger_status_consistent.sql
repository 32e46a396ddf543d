-- model: mart_ledger
-- A declared rectification exactly when status is 已整改 or 待验收 (awaiting an independent
-- acceptance, with its deadline); accepted_on only on a 已整改 item, never before the declaration;
-- overdue only when open and past the deadline, or 待验收 past its acceptance deadline (未验收); on
-- time only when rectified (and accepted where needed) by the deadline.
SELECT l.*
FROM mart_ledger l CROSS JOIN stg_config__parameters p
WHERE (l.rectified_on IS NOT NULL) <> (l.status_as_of IN ('已整改', '待验收'))
   OR (l.status_as_of = '待验收') <> (l.acceptance_due IS NOT NULL AND l.accepted_on IS NULL AND l.rectified_on IS NOT NULL)
      AND l.frozen_at IS NULL
   OR (l.accepted_on IS NOT NULL AND (l.status_as_of <> '已整改' OR l.accepted_on < l.rectified_on OR l.accepted_on > p.as_of))
   OR (l.overdue AND l.status_as_of = '已整改')
   OR (l.overdue AND l.status_as_of = '待验收' AND (l.acceptance_due >= p.as_of OR l.overdue_reason IS DISTINCT FROM '未验收'))
   OR (l.overdue AND l.status_as_of NOT IN ('已整改', '待验收') AND l.deadline >= p.as_of)
   OR (l.on_time AND (l.status_as_of <> '已整改' OR l.rectified_on > l.deadline))
   OR l.rectified_on > p.as_of
