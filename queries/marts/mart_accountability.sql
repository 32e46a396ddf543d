-- The accountability list with names (追责问责名单), as of the run's as-of: one row per item and
-- reason that puts a township on the list (README "Who answers"):
--   应排漏排  a missed violation (detection_status missed), named as of its detection deadline (the
--            campaign's, or its 常态化 period's);
--   整改不到位 an overdue ledger item, named as of its deadline;
--   整改不实  a ledger item a 回头看 re-inspection found 整改不实, named as of its deadline;
--   属地新增  a violation first seen after the end of rectification, named as of its first_seen.
-- Names come from the responsibility register as it stood at the end of that day (names_on); when
-- no register had arrived by then, from the first register that arrived (if by the as-of); a day
-- after the as-of (an item reopened before its own deadline) is looked up as of the as-of.
-- first_responsible and leader_in_charge are the township's 第一责任人 and 分管领导,
-- direct_responsible and village_cadre the village's 直接责任人 and 包村干部 (several joined by 、).
-- unit is the responsible unit of the item's 责任分解表 row (for a missed violation matched late, its
-- late problem's). status, transferred_on, outcome, outcome_on and document_no come from the
-- latest transfer and outcome of the item recorded (recorded_at) by the end of the as-of and dated
-- by it: 待移交 without a transfer, 已移交 with one, 已处理 with an outcome.
-- unique: item_id, reason
-- not_null: as_of, township, item_id, reason, item_date, status
-- accepted_values: reason = 应排漏排, 整改不到位, 整改不实, 属地新增
-- accepted_values: status = 待移交, 已移交, 已处理
-- relationships: township -> stg_config__townships.township
WITH p AS (
    SELECT * FROM stg_config__parameters
),
v AS (
    SELECT v.* FROM int_violations_classified v JOIN p ON p.as_of = v.as_of
),
l AS (
    SELECT l.* FROM int_ledger_items l JOIN p ON p.as_of = l.as_of
),
entries AS (
    SELECT v.violation_id AS item_id, v.township, v.village, '应排漏排' AS reason, 1 AS reason_order,
        v.detection_deadline AS item_date, coalesce(li.duty_unit, lp.duty_unit) AS unit
    FROM v CROSS JOIN p
    LEFT JOIN l li ON li.item_id = v.violation_id
    LEFT JOIN l lp ON lp.item_id = v.late_problem
    WHERE v.detection_status = 'missed'
    UNION ALL
    SELECT item_id, township, village, '整改不到位', 2, deadline, duty_unit FROM l WHERE overdue
    UNION ALL
    SELECT item_id, township, village, '整改不实', 3, deadline, duty_unit FROM l WHERE rectification_false
    UNION ALL
    SELECT v.violation_id, v.township, v.village, '属地新增', 4, v.first_seen, li.duty_unit
    FROM v LEFT JOIN l li ON li.item_id = v.violation_id
    WHERE v.detection_status = 'new_after_rectification'
),
first_register AS (
    SELECT min(CAST(r.known_from AS DATE)) AS day
    FROM stg_register__responsibilities r CROSS JOIN p
    WHERE r.known_from < CAST(p.as_of AS TIMESTAMP) + INTERVAL 1 DAY
),
dated AS (
    SELECT e.*, CASE WHEN f.day IS NOT NULL THEN least(greatest(e.item_date, f.day), p.as_of) END AS names_on
    FROM entries e CROSS JOIN first_register f CROSS JOIN p
),
register_rows AS (
    -- the people named: the register's 第一责任人 and 分管领导 of the item's township and its 直接责任人
    -- and 包村干部 of the item's village, as of names_on, each once per duty
    SELECT DISTINCT d.item_id, d.reason, r.duty_type, r.person
    FROM dated d
    JOIN stg_register__responsibilities r ON r.township = d.township AND known_at(r.known_from, r.known_until, d.names_on)
    WHERE r.duty_type IN ('第一责任人', '分管领导')
        OR (r.duty_type IN ('直接责任人', '包村干部') AND r.village = d.village)
),
named AS (
    SELECT item_id, reason,
        string_agg(person, '、' ORDER BY person) FILTER (WHERE duty_type = '第一责任人') AS first_responsible,
        string_agg(person, '、' ORDER BY person) FILTER (WHERE duty_type = '分管领导') AS leader_in_charge,
        string_agg(person, '、' ORDER BY person) FILTER (WHERE duty_type = '直接责任人') AS direct_responsible,
        string_agg(person, '、' ORDER BY person) FILTER (WHERE duty_type = '包村干部') AS village_cadre
    FROM register_rows
    GROUP BY item_id, reason
),
t AS (
    SELECT x.item_id, x.transferred_on FROM stg_chain__transfers x CROSS JOIN p
    WHERE x.recorded_at < CAST(p.as_of AS TIMESTAMP) + INTERVAL 1 DAY AND x.transferred_on <= p.as_of
    QUALIFY row_number() OVER (PARTITION BY x.item_id ORDER BY x.seq DESC) = 1
),
o AS (
    SELECT x.item_id, x.outcome, x.outcome_on, x.document_no FROM stg_chain__outcomes x CROSS JOIN p
    WHERE x.recorded_at < CAST(p.as_of AS TIMESTAMP) + INTERVAL 1 DAY AND x.outcome_on <= p.as_of
    QUALIFY row_number() OVER (PARTITION BY x.item_id ORDER BY x.seq DESC) = 1
)
SELECT p.as_of, d.township, d.village, d.item_id, d.reason, d.item_date, d.names_on,
    n.first_responsible, n.leader_in_charge, n.direct_responsible, n.village_cadre, d.unit,
    CASE WHEN o.item_id IS NOT NULL THEN '已处理' WHEN t.item_id IS NOT NULL THEN '已移交' ELSE '待移交' END AS status,
    t.transferred_on, o.outcome, o.outcome_on, o.document_no
FROM dated d
CROSS JOIN p
LEFT JOIN named n ON n.item_id = d.item_id AND n.reason = d.reason
LEFT JOIN t ON t.item_id = d.item_id
LEFT JOIN o ON o.item_id = d.item_id
LEFT JOIN stg_config__townships s ON s.township = d.township
ORDER BY s.sort_order, d.reason_order, d.item_id
