-- The evidence behind the violations (证据), as of the run's as-of: one row per source record of any
-- channel — imagery patches, cases, clues, tips, power alerts and 回头看 re-inspections that found 复发 — in the version known then, with
-- its date, what it says in words, and where it came from (the file and row, or the portal). The
-- dossier lists it under each violation it belongs to. Tips carry no personal data here: ids, dates
-- and verdicts.
-- unique: record_id
-- not_null: record_id, channel, township, origin
-- accepted_values: channel = 卫片, 案件, 线索, 举报, 用电, 复查
WITH p AS (
    SELECT * FROM stg_config__parameters
),
batches AS (
    SELECT batch_id, file_name FROM stg_etl__batches
)
SELECT x.patch_id AS record_id, '卫片' AS channel, x.township, x.village, x.imaged_on AS seen_on,
    concat_ws('，', '批次' || x.imaging_batch, x.change_type, x.land_before || '→' || x.land_after,
        CASE WHEN x.area_mu IS NOT NULL THEN printf('%.2f亩', x.area_mu) END, '核查' || x.verdict,
        strftime(x.checked_on, '%Y-%m-%d') || '核查') AS detail,
    b.file_name || ' 第' || x.source_row || '行' AS origin
FROM stg_imagery__patches x CROSS JOIN p JOIN batches b USING (batch_id)
WHERE known_at(x.known_from, x.known_until, p.as_of) AND x.imaged_on <= p.as_of
UNION ALL
SELECT c.case_id, '案件', c.township, c.village, c.found_on,
    concat_ws('，', '来源' || c.source, '来源编号' || c.source_ref,
        CASE WHEN c.filed_on <= p.as_of THEN strftime(c.filed_on, '%Y-%m-%d') || '立案' END,
        CASE WHEN c.to_police_on <= p.as_of THEN strftime(c.to_police_on, '%Y-%m-%d') || '移送公安' END,
        CASE WHEN c.fine_yuan > 0 THEN '罚款' || c.fine_yuan || '元' END, c.status),
    b.file_name || ' 第' || c.source_row || '行'
FROM stg_enforcement__cases c CROSS JOIN p JOIN batches b USING (batch_id)
WHERE known_at(c.known_from, c.known_until, p.as_of) AND c.found_on <= p.as_of
UNION ALL
SELECT c.clue_id, '线索', c.township, c.village, c.found_on,
    concat_ws('，', '来源' || c.source, '核查' || c.verdict),
    b.file_name || ' 第' || c.source_row || '行'
FROM stg_clues__clues c CROSS JOIN p JOIN batches b USING (batch_id)
WHERE known_at(c.known_from, c.known_until, p.as_of) AND c.found_on <= p.as_of
UNION ALL
SELECT t.tip_id, '举报', t.township, t.village, t.received_on,
    concat_ws('，', '群众举报', '核查' || t.verdict, strftime(t.verified_on, '%Y-%m-%d') || '核实'), '举报平台'
FROM stg_portal__tips t CROSS JOIN p
WHERE t.received_on <= p.as_of
UNION ALL
SELECT a.alert_id, '用电', a.township, a.village, a.first_day,
    concat_ws('，', '户号' || a.meter_id, a.customer_type,
        CASE a.rule WHEN 'night_over_day' THEN '夜间用电异常' WHEN 'surge' THEN '用电量激增' ELSE '关闭矿井用电' END,
        strftime(a.last_day, '%Y-%m-%d') || '止', '核查' || a.check_result),
    '用电预警'
FROM mart_power_alerts a
WHERE a.township IS NOT NULL
UNION ALL
SELECT v.record_id, '复查', v.township, v.village, x.rechecked_on,
    concat_ws('，', '回头看复查发现复发（原' || x.item_id || '）', '复查人' || x.inspector, x.note),
    b.file_name || ' 第' || x.source_row || '行'
FROM int_violation_records v
JOIN p ON p.as_of = v.as_of
JOIN stg_forms__rechecks x ON v.channel = '复查' AND x.result = '复发'
    AND v.record_id = x.item_id || '-复发-' || strftime(x.rechecked_on, '%Y%m%d') AND known_at(x.known_from, x.known_until, p.as_of)
JOIN batches b USING (batch_id)
