-- Township patrol logs (巡查记录), one row per log, with its batch's arrival.
-- not_null: township, patrolled_on, batch_id, source_row, known_from
SELECT p.township, p.patrolled_on, p.team, p.villages, p.findings, p.batch_id, p.source_row,
    b.known_from, b.known_until
FROM raw_patrols p
JOIN stg_etl__batches b ON b.batch_id = p.batch_id
