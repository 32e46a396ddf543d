-- Rectification ledger updates (整改台账) of active batches.
-- not_null: item_id, status, batch_id, source_row
-- accepted_values: status = 未整改, 整改中, 已整改
SELECT
    trim(r.item_id) AS item_id,
    r.status,
    r.rectified_on,
    r.verified_by,
    r.note,
    r.batch_id,
    r.source_row
FROM raw_rectifications r
JOIN load_batches b ON b.batch_id = r.batch_id AND b.replaced_by IS NULL
