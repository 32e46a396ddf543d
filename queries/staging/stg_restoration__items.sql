-- The restoration ledger (恢复治理台账, kind restoration): every version of every item. A later file's
-- row for an item is the item's version from that file's arrival on (known_until: when the next
-- version arrived), like the cases register; so is an update an accepting unit enters on its console
-- (restoration_entries, origin 控制台, from entered_at; store/casestore/restoration.go).
-- restored_mu is 0 where the file leaves it blank.
-- unique: item_id, batch_id, known_from
-- not_null: item_id, party, area_mu, restored_mu, due_on, known_from, origin
-- accepted_values: party = 违法者, 责任单位, 县财政兜底
-- accepted_values: origin = 恢复治理台账, 控制台
-- in_run: table
WITH v AS (
    SELECT trim(r.item_id) AS item_id, r.party, r.area_mu, r.restored_mu, r.due_on, r.accepted_on, r.cost_yuan, r.paid_yuan,
        r.payer, r.note, r.batch_id, r.source_row, b.known_from, b.known_until, '恢复治理台账' AS origin
    FROM raw_restoration r
    JOIN stg_etl__batches b ON b.batch_id = r.batch_id
    UNION ALL
    SELECT trim(item_id), party, area_mu, restored_mu, due_on, accepted_on, cost_yuan, paid_yuan, payer, note,
        CAST(NULL AS BIGINT), CAST(NULL AS INTEGER), entered_at, CAST(NULL AS TIMESTAMP), '控制台'
    FROM restoration_entries
)
SELECT item_id, party, area_mu, coalesce(restored_mu, 0) AS restored_mu, due_on, accepted_on,
    cost_yuan, paid_yuan, nullif(trim(payer), '') AS payer, nullif(trim(note), '') AS plan,
    batch_id, source_row, known_from, origin,
    least(known_until, lead(known_from) OVER (PARTITION BY item_id ORDER BY known_from, batch_id, source_row)) AS known_until
FROM v
