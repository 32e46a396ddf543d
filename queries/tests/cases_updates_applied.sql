-- model: stg_enforcement__cases
-- A case's latest portal update that sets 立案/判决 on or before the as-of wins over the file, and
-- its latest fine made by the as-of likewise (checked by row_number, independently of the model).
WITH p AS (SELECT as_of FROM stg_config__parameters),
filed AS (
    SELECT u.case_id, u.filed_on FROM case_updates u, p WHERE u.filed_on <= p.as_of
    QUALIFY row_number() OVER (PARTITION BY u.case_id ORDER BY u.updated_at DESC) = 1
),
judged AS (
    SELECT u.case_id, u.judged_on FROM case_updates u, p WHERE u.judged_on <= p.as_of
    QUALIFY row_number() OVER (PARTITION BY u.case_id ORDER BY u.updated_at DESC) = 1
),
fine AS (
    SELECT u.case_id, u.fine_yuan FROM case_updates u, p
    WHERE u.fine_yuan IS NOT NULL AND CAST(u.updated_at AS DATE) <= p.as_of
    QUALIFY row_number() OVER (PARTITION BY u.case_id ORDER BY u.updated_at DESC) = 1
)
SELECT c.case_id, c.filed_on, f.filed_on AS update_filed_on, c.judged_on, j.judged_on AS update_judged_on,
       c.fine_yuan, m.fine_yuan AS update_fine_yuan
FROM stg_enforcement__cases c
LEFT JOIN filed f ON f.case_id = c.case_id
LEFT JOIN judged j ON j.case_id = c.case_id
LEFT JOIN fine m ON m.case_id = c.case_id
WHERE (f.case_id IS NOT NULL AND c.filed_on IS DISTINCT FROM f.filed_on)
   OR (j.case_id IS NOT NULL AND c.judged_on IS DISTINCT FROM j.judged_on)
   OR (m.case_id IS NOT NULL AND c.fine_yuan IS DISTINCT FROM m.fine_yuan)
