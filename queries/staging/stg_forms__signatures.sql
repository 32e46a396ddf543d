-- The 包村干部签字 of every inspection-form line (problem or not), with its file and arrival, for
-- checking against the responsibility register.
-- not_null: township, batch_id, source_row, file_name, known_from
SELECT i.township, i.village, i.problem_id, nullif(trim(i.cadre_signed), '') AS cadre_signed,
    i.batch_id, i.source_row, b.file_name, b.known_from, b.known_until
FROM raw_inspections i
JOIN stg_etl__batches b ON b.batch_id = i.batch_id
