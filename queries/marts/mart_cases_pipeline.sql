-- Enforcement cases as of the run's as-of, one row per case found on or before it (in the version of
-- the latest 案件台账 that had arrived by then): where each stands
-- in the funnel 立案 → 移送公安 → 移送检察院 → 判决, or closed without transfer (已结案: 结案 done in
-- mart_case_stages, whether entered or stated by the register's 状态 — queries/README.md "Case
-- status"; a step dated after the as-of has not happened yet), the 处罚决定 (date, 文号, fine) where
-- one was entered, fines and confiscations, and the price determination (价格认定): due price_due_workdays
-- working days after the request on the calendar; late when done after the due day, or not done and
-- the as-of is past it; price_late_workdays: the working days after the due day up to the day it was
-- done (or the as-of, not done yet), 0 when on time — the figure the weekly briefing lists.
-- unique: case_id
-- not_null: case_id, township, found_on, stage, price_late
-- accepted_values: stage = 未立案, 已立案, 已结案, 移送公安, 移送检察院, 已判决
-- relationships: township -> stg_config__townships.township
WITH p AS (
    SELECT * FROM stg_config__parameters
),
c AS (
    SELECT c.case_id, c.township, c.village, c.category, c.source, c.source_ref, c.found_on,
        CASE WHEN c.filed_on <= p.as_of THEN c.filed_on END AS filed_on,
        CASE WHEN c.to_police_on <= p.as_of THEN c.to_police_on END AS to_police_on,
        CASE WHEN c.to_procuratorate_on <= p.as_of THEN c.to_procuratorate_on END AS to_procuratorate_on,
        CASE WHEN c.judged_on <= p.as_of THEN c.judged_on END AS judged_on,
        c.fine_yuan, c.confiscated_yuan, c.status,
        CASE WHEN c.price_requested_on <= p.as_of THEN c.price_requested_on END AS price_requested_on,
        CASE WHEN c.price_done_on <= p.as_of THEN c.price_done_on END AS price_done_on,
        p.as_of, p.price_due_workdays
    FROM stg_enforcement__cases c
    CROSS JOIN p
    WHERE c.found_on <= p.as_of AND known_at(c.known_from, c.known_until, p.as_of)
),
st AS (
    SELECT case_id,
        max(done_on) FILTER (WHERE stage = 'closed') AS closed_on,
        max(done_on) FILTER (WHERE stage = 'penalty') AS penalty_on,
        max(doc_no) FILTER (WHERE stage = 'penalty') AS penalty_doc_no,
        max(fine_yuan) FILTER (WHERE stage = 'penalty') AS penalty_fine_yuan
    FROM mart_case_stages
    WHERE done_on IS NOT NULL AND stage IN ('closed', 'penalty')
    GROUP BY case_id
),
due AS (
    SELECT c.case_id, d.day AS price_due_on
    FROM c
    JOIN stg_config__calendar r ON r.day = c.price_requested_on
    JOIN stg_config__calendar d ON d.is_workday AND d.workday_no = r.workday_no + c.price_due_workdays
),
-- the working days late: workday_no counts the working days up to a day, so the difference is the
-- working days after the due day up to the day done (or the as-of)
late AS (
    SELECT c.case_id, greatest(0, e.workday_no - r.workday_no) AS price_late_workdays
    FROM c
    JOIN due d ON d.case_id = c.case_id
    JOIN stg_config__calendar r ON r.day = d.price_due_on
    JOIN stg_config__calendar e ON e.day = coalesce(c.price_done_on, c.as_of)
)
SELECT c.case_id, c.township, c.village, c.category, c.source, c.source_ref, c.found_on,
    c.filed_on, c.to_police_on, c.to_procuratorate_on, c.judged_on,
    CASE WHEN c.judged_on IS NOT NULL THEN '已判决'
         WHEN c.to_procuratorate_on IS NOT NULL THEN '移送检察院'
         WHEN c.to_police_on IS NOT NULL THEN '移送公安'
         WHEN st.closed_on IS NOT NULL THEN '已结案'
         WHEN c.filed_on IS NOT NULL THEN '已立案'
         ELSE '未立案' END AS stage,
    st.penalty_on, st.penalty_doc_no, st.penalty_fine_yuan, st.closed_on,
    c.fine_yuan, c.confiscated_yuan, c.status,
    c.price_requested_on, d.price_due_on, c.price_done_on,
    CASE WHEN d.price_due_on IS NULL THEN false
         WHEN c.price_done_on IS NOT NULL THEN c.price_done_on > d.price_due_on
         ELSE c.as_of > d.price_due_on END AS price_late,
    l.price_late_workdays
FROM c
LEFT JOIN due d ON d.case_id = c.case_id
LEFT JOIN late l ON l.case_id = c.case_id
LEFT JOIN st ON st.case_id = c.case_id
ORDER BY c.township, c.found_on, c.case_id
