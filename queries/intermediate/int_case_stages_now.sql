-- Every stage entry of every case that stands now (no later arrival superseded it: known_until IS
-- NULL), for a case's page and the stage form. The column counts marks, per case and stage, the
-- entry that counts: the latest known, an entry of origin 案件状态 only while no other entry of its stage is
-- known — the order mart_case_stages takes as of its as-of. A view: it reads the console's entries
-- live.
-- materialized: view
-- not_null: case_id, stage, unit, stage_on, origin, known_from, counts
SELECT e.*,
    row_number() OVER (PARTITION BY e.case_id, e.stage
        ORDER BY e.origin = '案件状态', e.known_from DESC, e.batch_id DESC NULLS FIRST, e.source_row DESC NULLS FIRST) = 1 AS counts
FROM stg_enforcement__case_stages e
WHERE e.known_until IS NULL
