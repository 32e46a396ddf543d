-- model: mart_case_stages
-- A stage deadline falls on a working day after the stage started; an open stage is overdue exactly
-- when the as-of is past its deadline, a done one when it was done after it; every row's unit is the
-- configured owner of its stage. A stage entered while the one before it never was (the file gives
-- 移送检察 without 立案侦查) has no known start, and so no deadline.
SELECT s.case_id, s.stage, s.started_on, s.due_on, s.unit
FROM mart_case_stages s
CROSS JOIN stg_config__parameters p
JOIN stg_config__case_stages c ON c.stage = s.stage
LEFT JOIN stg_config__calendar d ON d.day = s.due_on
WHERE (s.due_on IS NOT NULL AND (s.due_on <= s.started_on OR NOT d.is_workday))
   OR (s.due_on IS NULL AND c.due_workdays > 0 AND (c.after_stage IS NULL
       OR EXISTS (SELECT 1 FROM mart_case_stages a WHERE a.case_id = s.case_id AND a.stage = c.after_stage AND a.done_on IS NOT NULL)))
   OR s.overdue <> coalesce(coalesce(s.done_on, p.as_of) > s.due_on, false)
   OR s.unit <> c.unit
