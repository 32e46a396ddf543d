-- Restoration the county budget bears (县财政兜底) as of the run's as-of (queries/README.md "The
-- finance ledger"): the items of the restoration ledger (mart_restoration) whose 责任方 is 县财政兜底
-- or whose 付款方 names the county finance (财政), with their estimated cost, what was paid and what
-- is still to pay.
-- unique: item_id
-- not_null: item_id, party, state
SELECT item_id, township, village, party, payer, state, accepted_on, due_on,
    CAST(coalesce(cost_yuan, 0) AS DECIMAL(14, 2)) AS cost_yuan,
    CAST(coalesce(paid_yuan, 0) AS DECIMAL(14, 2)) AS paid_yuan,
    outstanding_yuan
FROM mart_restoration
WHERE party = '县财政兜底' OR coalesce(payer, '') LIKE '%财政%'
ORDER BY township, item_id
