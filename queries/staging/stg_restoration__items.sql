-- The restoration ledger (恢复治理台账, kind restoration): every version of every item. A later file's
-- row for an item is the item's version from that file's arrival on (known_until: when the next
-- version arrived), like the cases register. restored_mu is 0 where the file leaves it blank.
-- unique: item_id, batch_id
-- not_null: item_id, party, area_mu, restored_mu, due_on, known_from
-- accepted_values: party = 违法者, 责任单位, 县财政兜底
SELECT trim(r.item_id) AS item_id, r.party, r.area_mu, coalesce(r.restored_mu, 0) AS restored_mu, r.due_on, r.accepted_on,
    r.cost_yuan, r.paid_yuan, nullif(trim(r.payer), '') AS payer, nullif(trim(r.note), '') AS plan,
    r.batch_id, r.source_row, b.known_from,
    least(b.known_until, lead(b.known_from) OVER (PARTITION BY trim(r.item_id) ORDER BY b.known_from, r.batch_id, r.source_row)) AS known_until
FROM raw_restoration r
JOIN stg_etl__batches b ON b.batch_id = r.batch_id
