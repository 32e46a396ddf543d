-- The enforcement chain by stage as of the run's as-of: one row per case (found on or before the
-- as-of) and configured stage that has started or been entered. A stage starts on the day of the
-- stage it follows (stg_config__case_stages.after_stage; the first on the day the case was found)
-- and is done on the date of its latest entry known by the end of the as-of (a date after the as-of
-- has not happened yet). due_on is due_workdays working days after the start on the calendar (a
-- start on a rest day counts from the working day before it, as the price determination always
-- did); NULL when the stage has no deadline. overdue: done after due_on, or not done and the as-of
-- is past it; a stage entered while the one it follows never was has no known start: started_on
-- is then its own date and it has no deadline. days: calendar days from the start to the done date, or to the as-of while open.
-- A stage that replaces another (不起诉 for 提起公诉) shows only when entered, and the replaced
-- stage then drops out. A transfer (only_entered: 公安受案, the case transferred to 公安) likewise
-- shows only when entered: nobody owes it, and the stages after it — 公安's, then 检察院's from
-- 移送审查起诉, then 法院's from 提起公诉 — start only from it (the transfer track). A case closed
-- (结案 done by the as-of) owes nothing more: every stage not done drops out, except those of the
-- transfer track (a case transferred to 公安 goes on there). An entry of origin 案件状态 (the
-- register's 状态 without a date) counts only while no other entry of its stage is known.
-- Several units hold one case at once: each row names its stage's unit.
-- unique: case_id, stage
-- not_null: case_id, stage, stage_name, unit, township, started_on, overdue, days
-- relationships: stage -> stg_config__case_stages.stage
-- relationships: township -> stg_config__townships.township
WITH p AS (
    SELECT as_of FROM stg_config__parameters
),
c AS (
    SELECT c.case_id, c.township, c.found_on
    FROM stg_enforcement__cases c
    CROSS JOIN p
    WHERE c.found_on <= p.as_of AND known_at(c.known_from, c.known_until, p.as_of)
),
e AS (
    SELECT e.case_id, e.stage, e.stage_on, e.term_months, e.fine_yuan, e.doc_no, e.origin
    FROM stg_enforcement__case_stages e
    CROSS JOIN p
    WHERE known_at(e.known_from, e.known_until, p.as_of) AND e.stage_on <= p.as_of
    QUALIFY row_number() OVER (PARTITION BY e.case_id, e.stage
        ORDER BY e.origin = '案件状态', e.known_from DESC, e.batch_id DESC NULLS FIRST, e.source_row DESC NULLS FIRST) = 1
),
track AS (
    WITH RECURSIVE t(stage) AS (
        SELECT stage FROM stg_config__case_stages WHERE only_entered
        UNION
        SELECT s.stage FROM stg_config__case_stages s JOIN t ON s.after_stage = t.stage
    )
    SELECT DISTINCT stage FROM t
),
closed AS (
    SELECT case_id, stage_on AS closed_on FROM e WHERE stage = 'closed'
),
done AS (
    SELECT c.case_id, c.township, c.found_on, s.stage, s.name, s.unit, s.after_stage, s.due_workdays, s.replaces, s.sort_order,
        s.only_entered, e.stage_on AS done_on, e.term_months, e.fine_yuan, e.doc_no, e.origin
    FROM c
    CROSS JOIN stg_config__case_stages s
    LEFT JOIN e ON e.case_id = c.case_id AND e.stage = s.stage
),
started AS (
    SELECT d.*, CASE WHEN d.after_stage IS NULL THEN d.found_on ELSE a.done_on END AS started_on
    FROM done d
    LEFT JOIN done a ON a.case_id = d.case_id AND a.stage = d.after_stage
),
kept AS (
    SELECT s.*
    FROM started s
    WHERE (s.done_on IS NOT NULL OR (s.started_on IS NOT NULL AND s.replaces IS NULL AND NOT s.only_entered))
      AND NOT EXISTS (SELECT 1 FROM started r WHERE r.case_id = s.case_id AND r.replaces = s.stage AND r.done_on IS NOT NULL)
      AND NOT (s.done_on IS NULL AND s.case_id IN (SELECT case_id FROM closed) AND s.stage NOT IN (SELECT stage FROM track))
)
SELECT k.case_id, k.stage, k.name AS stage_name, k.unit, k.township,
    coalesce(k.started_on, k.done_on) AS started_on, k.done_on,
    due.day AS due_on,
    CASE WHEN due.day IS NULL THEN false
         WHEN k.done_on IS NOT NULL THEN k.done_on > due.day
         ELSE p.as_of > due.day END AS overdue,
    CAST(date_diff('day', coalesce(k.started_on, k.done_on), coalesce(k.done_on, p.as_of)) AS INTEGER) AS days,
    k.term_months, k.fine_yuan, k.doc_no, k.origin, k.sort_order
FROM kept k
CROSS JOIN p
LEFT JOIN stg_config__calendar r ON r.day = k.started_on AND k.due_workdays > 0
LEFT JOIN stg_config__calendar due ON due.is_workday AND due.workday_no = r.workday_no + k.due_workdays
ORDER BY k.township, k.case_id, k.sort_order
