-- Acceptance records (验收) of rectified ledger items: every line of an acceptances file, from its
-- batch's arrival (a correction replacing the file ends it: known_until), and every acceptance
-- entered on an accepting unit's console, from entered_at (origin 控制台). accepted_on is the 验收日期
-- written; known_from when the county knew it (README "As known then"). unit is the full name.
-- not_null: item_id, accepted_on, unit, inspector, result, origin, known_from
-- accepted_values: result = 合格, 不合格
-- accepted_values: origin = 验收文件, 控制台
-- relationships: unit -> stg_config__units.unit
SELECT trim(a.item_id) AS item_id, a.accepted_on, a.unit, a.inspector, a.result, nullif(trim(a.note), '') AS note,
    '验收文件' AS origin, CAST(a.batch_id AS VARCHAR) || ':' || a.source_row AS record_id, b.known_from, b.known_until
FROM raw_acceptances a
JOIN stg_etl__batches b ON b.batch_id = a.batch_id
UNION ALL
SELECT trim(item_id), accepted_on, unit, inspector, result, nullif(trim(note), ''), '控制台', entry_id, entered_at, CAST(NULL AS TIMESTAMP)
FROM acceptance_entries
