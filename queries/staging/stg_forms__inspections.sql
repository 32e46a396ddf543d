-- Problems (发现隐患 not empty nor a none-marker) on the village and township inspection forms, one
-- row per form line of every batch, with the batch's arrival (known_from) and the arrival of the
-- correction that replaced it (known_until). A 问题编号 listed on several forms stays one row per form
-- line here.
-- not_null: problem_id, township, reported_on, batch_id, source_row, known_from
-- in_run: table
SELECT
    i.problem_id,
    i.township,
    i.village,
    i.level,
    i.form_date,
    i.inspected_on,
    i.reported_on,
    i.hazard,
    i.remark,
    i.category,
    i.deadline,
    i.lon,
    i.lat,
    i.batch_id,
    i.source_row,
    b.known_from,
    b.known_until
FROM raw_inspections i
JOIN stg_etl__batches b ON b.batch_id = i.batch_id
WHERE i.is_problem
