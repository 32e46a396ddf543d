-- The 责任分解表 (duties per ledger item), every row of every file. Like the register, a file is the
-- whole table: its rows count from its arrival until the next 责任分解表 arrives.
-- not_null: item_id, class, unit, batch_id, source_row, known_from
-- accepted_values: class = 重点, 一般
-- relationships: unit -> stg_config__units.unit
WITH files AS (
    SELECT batch_id, known_from, known_until,
        lead(known_from) OVER (ORDER BY known_from, batch_id) AS next_from
    FROM stg_etl__batches
    WHERE kind = 'duties'
)
SELECT trim(d.item_id) AS item_id, d.class, d.unit, d.person, d.requirement, d.deadline, d.batch_id, d.source_row,
    f.known_from, least(f.known_until, f.next_from) AS known_until
FROM raw_duties d
JOIN files f ON f.batch_id = d.batch_id
