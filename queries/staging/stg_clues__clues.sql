-- Other clues (媒体曝光/上级督察/领导批办/日常监管) of active batches; the latest row per clue.
-- unique: clue_id
-- not_null: clue_id, source, township, found_on, verdict
SELECT c.clue_id, c.source, c.township, c.village, c.lon, c.lat, c.category, c.found_on, c.verdict,
       c.batch_id, c.source_row
FROM raw_clues c
JOIN load_batches b ON b.batch_id = c.batch_id AND b.replaced_by IS NULL
QUALIFY row_number() OVER (PARTITION BY c.clue_id ORDER BY c.batch_id DESC, c.source_row DESC) = 1
