-- The 责任分解表 (duties per ledger item), every row of every file. period is the row's 期别: a
-- configured 常态化 period's name, NULL for the campaign's items. Like the register, a file is the
-- whole table — of each 期别 its rows name: its rows of a 期别 count from its arrival until the next
-- 责任分解表 with rows of the same 期别 arrives, so a period's table leaves the campaign's rows (and
-- every other period's) in force, and a revised campaign table replaces the campaign's rows only.
-- not_null: item_id, class, unit, batch_id, source_row, known_from
-- accepted_values: class = 重点, 一般
-- relationships: unit -> stg_config__units.unit
-- relationships: period -> stg_config__periods.name
WITH files AS (
    SELECT DISTINCT d.batch_id, coalesce(d.period, '') AS period_key, b.known_from, b.known_until
    FROM raw_duties d
    JOIN stg_etl__batches b ON b.batch_id = d.batch_id
    WHERE b.kind = 'duties'
),
spans AS (
    SELECT *, lead(known_from) OVER (PARTITION BY period_key ORDER BY known_from, batch_id) AS next_from
    FROM files
)
SELECT trim(d.item_id) AS item_id, d.class, d.unit, d.person, d.requirement, d.deadline, d.period, d.batch_id, d.source_row,
    s.known_from, least(s.known_until, s.next_from) AS known_until
FROM raw_duties d
JOIN spans s ON s.batch_id = d.batch_id AND s.period_key = coalesce(d.period, '')
