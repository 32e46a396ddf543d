-- Collections of fines and confiscations (罚没款收缴, kind collections, and the finance console's
-- collection_entries): one row per receipt (票据号), with when it became known — a file's row from
-- its batch's arrival (until a file replacing it arrived), a console entry from entered_at. The
-- 缴款日期 written (paid_on) is a claim; known_from is the fact (README "As known then").
-- not_null: receipt_no, case_id, paid_on, amount_yuan, fine_kind, origin, known_from
-- accepted_values: fine_kind = 罚款, 没收违法所得, 罚金
-- accepted_values: origin = 收缴文件, 控制台
SELECT trim(r.receipt_no) AS receipt_no, trim(r.case_id) AS case_id, nullif(trim(r.doc_no), '') AS doc_no, r.paid_on,
    r.amount_yuan, r.fine_kind, nullif(trim(r.note), '') AS note, '收缴文件' AS origin,
    r.batch_id, r.source_row, b.known_from, b.known_until
FROM raw_collections r
JOIN stg_etl__batches b ON b.batch_id = r.batch_id
UNION ALL
SELECT trim(receipt_no), trim(case_id), nullif(trim(doc_no), ''), paid_on, amount_yuan, fine_kind, nullif(trim(note), ''), '控制台',
    CAST(NULL AS BIGINT), CAST(NULL AS INTEGER), entered_at, CAST(NULL AS TIMESTAMP)
FROM collection_entries
