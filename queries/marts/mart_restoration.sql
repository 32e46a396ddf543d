-- The restoration ledger (恢复治理, 谁破坏谁治理) as of the run's as-of: one row per item in the version
-- known by the end of the as-of (queries/README.md "Restoration"), with its township and village
-- (of its ledger item, else of the violation one of whose records it names). accepted_on is the
-- 验收日期 when on or before the as-of; accepted_mu the area restored and accepted by then (0
-- otherwise) — the only land the campaign counts as restored (恢复土地面积). state: 已验收 once
-- accepted; else 逾期 past 恢复时限; else 进行中 with some area restored; else 未开始. late: accepted
-- after 恢复时限, or not accepted and the as-of past it. outstanding_yuan: estimated cost not yet paid.
-- unique: item_id
-- not_null: item_id, party, area_mu, restored_mu, accepted_mu, due_on, state, late
-- accepted_values: state = 未开始, 进行中, 逾期, 已验收
-- accepted_values: party = 违法者, 责任单位, 县财政兜底
WITH p AS (
    SELECT as_of FROM stg_config__parameters
),
r AS (
    SELECT r.*
    FROM stg_restoration__items r
    CROSS JOIN p
    WHERE known_at(r.known_from, r.known_until, p.as_of)
),
place AS (
    SELECT r.item_id,
        coalesce(any_value(l.township), any_value(v.township)) AS township,
        coalesce(any_value(l.village), any_value(v.village)) AS village,
        any_value(v.violation_id) AS violation_id
    FROM r
    LEFT JOIN mart_ledger l ON l.item_id = r.item_id
    LEFT JOIN mart_violations v ON v.violation_id = r.item_id OR v.detected_by = r.item_id
        OR list_contains(string_split(v.source_refs, ','), r.item_id)
    GROUP BY r.item_id
)
SELECT r.item_id, x.township, x.village, x.violation_id, r.party, r.plan, r.area_mu, r.restored_mu,
    CASE WHEN r.accepted_on <= p.as_of THEN r.accepted_on END AS accepted_on,
    CAST(CASE WHEN r.accepted_on <= p.as_of THEN r.restored_mu ELSE 0 END AS DECIMAL(12, 2)) AS accepted_mu,
    r.due_on,
    CASE WHEN r.accepted_on <= p.as_of THEN '已验收'
         WHEN p.as_of > r.due_on THEN '逾期'
         WHEN r.restored_mu > 0 THEN '进行中'
         ELSE '未开始' END AS state,
    CASE WHEN r.accepted_on <= p.as_of THEN r.accepted_on > r.due_on ELSE p.as_of > r.due_on END AS late,
    r.cost_yuan, r.paid_yuan, r.payer,
    CAST(greatest(coalesce(r.cost_yuan, 0) - coalesce(r.paid_yuan, 0), 0) AS DECIMAL(14, 2)) AS outstanding_yuan,
    r.batch_id, r.known_from
FROM r
CROSS JOIN p
LEFT JOIN place x ON x.item_id = r.item_id
ORDER BY x.township, r.item_id
