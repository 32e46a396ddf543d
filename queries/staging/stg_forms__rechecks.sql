-- 回头看 re-inspections (复查), one row per line, with its batch's arrival.
-- not_null: item_id, rechecked_on, result, batch_id, source_row, known_from
-- accepted_values: result = 整改到位, 整改不实, 复发
SELECT trim(r.item_id) AS item_id, r.rechecked_on, r.inspector, r.result, r.note, r.batch_id, r.source_row,
    b.known_from, b.known_until
FROM raw_rechecks r
JOIN stg_etl__batches b ON b.batch_id = r.batch_id
