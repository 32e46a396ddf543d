-- model: mart_fines
-- 罚没款 reconciles: for every case and kind decided = collected + outstanding, collected is the sum
-- of its receipts in mart_fine_collections, and every receipt is counted once.
WITH k AS (
    SELECT case_id, fine_kind, sum(amount_yuan) AS yuan, count(*) AS n FROM mart_fine_collections GROUP BY case_id, fine_kind
)
SELECT f.case_id, f.fine_kind, f.decided_yuan, f.collected_yuan, f.outstanding_yuan, k.yuan AS receipts_yuan
FROM mart_fines f
FULL OUTER JOIN k ON k.case_id = f.case_id AND k.fine_kind = f.fine_kind
WHERE f.case_id IS NULL
   OR f.decided_yuan <> f.collected_yuan + f.outstanding_yuan
   OR f.collected_yuan <> coalesce(k.yuan, 0)
   OR f.receipts <> coalesce(k.n, 0)
