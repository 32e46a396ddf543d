-- Township patrol logs (巡查记录) of active batches, one row per log.
-- not_null: township, patrolled_on, batch_id, source_row
SELECT p.township, p.patrolled_on, p.team, p.villages, p.findings, p.batch_id, p.source_row
FROM raw_patrols p
JOIN load_batches b ON b.batch_id = p.batch_id AND b.replaced_by IS NULL
