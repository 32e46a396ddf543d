-- Every stage entry of every case, with when it became known: the stage dates of the cases file
-- (立案 → filed, 价格认定申请/完成 → price_requested/price_done, 移送公安 → police_accepted, 移送检察 →
-- police_referred, 判决 → judged; each version of a case row from its arrival on, portal progress in
-- case_updates from its update), a unit's own stage file (kind case-stages, from its batch's
-- arrival) and the stages entered on the console (case_stage_entries, from entered_at). The date
-- written (stage_on) is a claim; known_from is the fact (README "As known then"). The latest entry
-- known for a case and stage counts (mart_case_stages).
-- The cases file's 状态 names the stage the case has reached (the one rule mapping the register onto
-- its stages, queries/README.md "Case status"): 已立案 → 立案, 已移送公安 → 公安受案, 已移送检察(院) →
-- 移送审查起诉, 已判决 → 判决, 已结案 → 结案. Where the file gives that stage no date (结案 has no
-- column), the status is an entry of origin 案件状态 dated the day the first version stating it
-- arrived (county date); such an entry counts only while no other entry of the stage is known.
-- not_null: case_id, stage, unit, stage_on, origin, known_from
-- accepted_values: origin = 案件台账, 案件状态, 环节文件, 控制台
-- relationships: stage -> stg_config__case_stages.stage
-- in_run: table
WITH s AS (
    SELECT stage, unit FROM stg_config__case_stages
),
cases AS (
    SELECT c.case_id, x.stage, x.stage_on, c.batch_id, c.source_row, c.known_from, c.known_until
    FROM stg_enforcement__cases c
    CROSS JOIN LATERAL (VALUES ('filed', c.filed_on), ('price_requested', c.price_requested_on), ('price_done', c.price_done_on),
        ('police_accepted', c.to_police_on), ('police_referred', c.to_procuratorate_on), ('judged', c.judged_on)) AS x(stage, stage_on)
    WHERE x.stage_on IS NOT NULL
),
status_map(status, stage) AS (
    VALUES ('已立案', 'filed'), ('已移送公安', 'police_accepted'), ('已移送检察', 'police_referred'),
        ('已移送检察院', 'police_referred'), ('已判决', 'judged'), ('已结案', 'closed')
),
stated AS (
    SELECT c.case_id, m.stage, c.batch_id, c.source_row, c.known_from, c.known_until,
        CASE m.stage WHEN 'filed' THEN c.filed_on WHEN 'police_accepted' THEN c.to_police_on
            WHEN 'police_referred' THEN c.to_procuratorate_on WHEN 'judged' THEN c.judged_on END AS dated_on,
        min(CAST(c.known_from AS DATE)) OVER (PARTITION BY c.case_id, m.stage) AS first_stated_on
    FROM stg_enforcement__cases c
    JOIN status_map m ON m.status = trim(c.status)
),
e AS (
    SELECT case_id, stage, stage_on, CAST(NULL AS INTEGER) AS term_months, CAST(NULL AS DECIMAL(14,2)) AS fine_yuan,
        CAST(NULL AS VARCHAR) AS doc_no, CAST(NULL AS VARCHAR) AS note, '案件台账' AS origin, batch_id, source_row, known_from, known_until
    FROM cases
    UNION ALL
    SELECT case_id, stage, first_stated_on, NULL, NULL, NULL, NULL, '案件状态', batch_id, source_row, known_from, known_until
    FROM stated
    WHERE dated_on IS NULL
    UNION ALL
    SELECT r.case_id, r.stage, r.stage_on, r.term_months, r.fine_yuan, nullif(trim(r.doc_no), ''), nullif(trim(r.note), ''), '环节文件',
        r.batch_id, r.source_row, b.known_from, b.known_until
    FROM raw_case_stages r
    JOIN stg_etl__batches b ON b.batch_id = r.batch_id
    UNION ALL
    SELECT case_id, stage, stage_on, term_months, fine_yuan, nullif(trim(doc_no), ''), nullif(trim(note), ''), '控制台',
        CAST(NULL AS BIGINT), CAST(NULL AS INTEGER), entered_at, CAST(NULL AS TIMESTAMP)
    FROM case_stage_entries
)
SELECT e.case_id, e.stage, s.unit, e.stage_on, e.term_months, e.fine_yuan, e.doc_no, e.note, e.origin,
    e.batch_id, e.source_row, e.known_from, e.known_until
FROM e
JOIN s ON s.stage = e.stage
