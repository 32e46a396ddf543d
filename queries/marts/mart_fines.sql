-- 罚没款 (fines and confiscations) as of the run's as-of: one row per case and kind — 罚款 (the
-- administrative fine), 没收违法所得 (confiscation), 罚金 (the court's fine) — with three amounts, the
-- one definition every page, briefing, export and roll-up reads (queries/README.md "Fines and
-- confiscations"):
--   decided_yuan (决定): 罚款 is the fine of the case's 处罚决定 entry (mart_case_stages, stage penalty)
--     where one gives a fine, else the case register's 罚款金额 (mart_cases_pipeline.fine_yuan, the
--     version known then, portal progress included); 没收违法所得 is the register's 没收金额; 罚金 is
--     the fine of the case's 判决 entry (stage judged) where one gives it. Every case found by the
--     as-of counts, whatever stage it reached (judged or not).
--   collected_yuan (收缴): the sum of its receipts (mart_fine_collections) of that kind.
--   outstanding_yuan (未收缴): decided − collected.
-- decided_on dates the decision: the 处罚决定 (罚款, 没收违法所得) or the 判决 (罚金) where entered, else
-- the case's filing day, else the day it was found. unit is the member unit that decides the kind (the
-- configured unit of stage penalty, or of stage judged for 罚金). A receipt of a case and kind with
-- nothing decided still shows (decided 0), so the collected total is every receipt.
-- unique: case_id, fine_kind
-- not_null: case_id, fine_kind, unit, decided_yuan, collected_yuan, outstanding_yuan, receipts
-- accepted_values: fine_kind = 罚款, 没收违法所得, 罚金
WITH c AS (
    SELECT case_id, township, found_on, filed_on, fine_yuan, confiscated_yuan, penalty_on, penalty_doc_no, penalty_fine_yuan
    FROM mart_cases_pipeline
),
j AS (
    SELECT case_id, done_on, doc_no, fine_yuan FROM mart_case_stages WHERE stage = 'judged' AND fine_yuan IS NOT NULL
),
u AS (
    SELECT max(unit) FILTER (WHERE stage = 'penalty') AS penalty_unit, max(unit) FILTER (WHERE stage = 'judged') AS court_unit
    FROM stg_config__case_stages
),
decided AS (
    SELECT c.case_id, c.township, '罚款' AS fine_kind, u.penalty_unit AS unit,
        coalesce(c.penalty_fine_yuan, c.fine_yuan) AS yuan,
        CASE WHEN c.penalty_fine_yuan IS NOT NULL THEN c.penalty_doc_no END AS doc_no,
        coalesce(CASE WHEN c.penalty_fine_yuan IS NOT NULL THEN c.penalty_on END, c.filed_on, c.found_on) AS decided_on
    FROM c CROSS JOIN u
    WHERE coalesce(c.penalty_fine_yuan, c.fine_yuan) > 0
    UNION ALL
    SELECT c.case_id, c.township, '没收违法所得', u.penalty_unit, c.confiscated_yuan, NULL,
        coalesce(c.penalty_on, c.filed_on, c.found_on)
    FROM c CROSS JOIN u
    WHERE c.confiscated_yuan > 0
    UNION ALL
    SELECT c.case_id, c.township, '罚金', u.court_unit, j.fine_yuan, j.doc_no, j.done_on
    FROM c JOIN j ON j.case_id = c.case_id CROSS JOIN u
    WHERE j.fine_yuan > 0
),
collected AS (
    SELECT case_id, fine_kind, any_value(township) AS township, sum(amount_yuan) AS yuan, count(*) AS receipts, max(paid_on) AS last_paid_on
    FROM mart_fine_collections
    GROUP BY case_id, fine_kind
)
SELECT coalesce(d.case_id, k.case_id) AS case_id,
    coalesce(d.township, k.township) AS township,
    coalesce(d.fine_kind, k.fine_kind) AS fine_kind,
    coalesce(d.unit, CASE WHEN k.fine_kind = '罚金' THEN u.court_unit ELSE u.penalty_unit END) AS unit,
    d.doc_no, d.decided_on,
    CAST(coalesce(d.yuan, 0) AS DECIMAL(14, 2)) AS decided_yuan,
    CAST(coalesce(k.yuan, 0) AS DECIMAL(14, 2)) AS collected_yuan,
    CAST(coalesce(d.yuan, 0) - coalesce(k.yuan, 0) AS DECIMAL(14, 2)) AS outstanding_yuan,
    coalesce(k.receipts, 0) AS receipts,
    k.last_paid_on
FROM decided d
FULL OUTER JOIN collected k ON k.case_id = d.case_id AND k.fine_kind = d.fine_kind
CROSS JOIN u
ORDER BY 2, 1, 3
