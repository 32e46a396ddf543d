-- model: stg_clues__clues
-- A clue's latest verdict recorded in the portal by the as-of is the staged verdict.
WITH p AS (SELECT as_of FROM stg_config__parameters),
v AS (
    SELECT u.clue_id, u.verdict FROM clue_updates u, p WHERE CAST(u.updated_at AS DATE) <= p.as_of
    QUALIFY row_number() OVER (PARTITION BY u.clue_id ORDER BY u.updated_at DESC) = 1
)
SELECT c.clue_id, c.verdict, v.verdict AS update_verdict
FROM stg_clues__clues c
JOIN v ON v.clue_id = c.clue_id
WHERE c.verdict IS DISTINCT FROM v.verdict
