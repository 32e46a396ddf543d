-- Collections (罚没款收缴) as of the run's as-of: one row per receipt (票据号) known by the end of the
-- as-of and paid (缴款日期) on or before it, with the case's township and the unit that decided the
-- amount it pays (mart_fines). The one source of what was collected: mart_fines sums it per case
-- and kind (queries/README.md "Fines and confiscations").
-- unique: receipt_no
-- not_null: receipt_no, case_id, paid_on, amount_yuan, fine_kind, origin
-- accepted_values: fine_kind = 罚款, 没收违法所得, 罚金
WITH p AS (
    SELECT as_of FROM stg_config__parameters
)
SELECT c.receipt_no, c.case_id, k.township, c.fine_kind, c.doc_no, c.paid_on, CAST(c.amount_yuan AS DECIMAL(14, 2)) AS amount_yuan,
    c.note, c.origin, c.batch_id, c.source_row, c.known_from
FROM stg_finance__collections c
CROSS JOIN p
LEFT JOIN (SELECT case_id, any_value(township) AS township FROM mart_cases_pipeline GROUP BY case_id) k ON k.case_id = c.case_id
WHERE known_at(c.known_from, c.known_until, p.as_of) AND c.paid_on <= p.as_of
QUALIFY row_number() OVER (PARTITION BY c.receipt_no ORDER BY c.known_from DESC, c.batch_id DESC NULLS FIRST, c.source_row DESC NULLS FIRST) = 1
ORDER BY c.paid_on, c.receipt_no
