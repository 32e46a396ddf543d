-- Rectification ledger updates (整改台账), one row per line, with its batch's arrival.
-- not_null: item_id, status, batch_id, source_row, known_from
-- accepted_values: status = 未整改, 整改中, 已整改
-- in_run: table
SELECT
    trim(r.item_id) AS item_id,
    r.status,
    r.rectified_on,
    r.verified_by,
    r.note,
    r.batch_id,
    r.source_row,
    b.known_from,
    b.known_until
FROM raw_rectifications r
JOIN stg_etl__batches b ON b.batch_id = r.batch_id
