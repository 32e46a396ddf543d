-- Every load batch with its arrival: known_from is when its file reached the county (received_at,
-- campaign local time); known_until is when a corrected file that replaced it arrived (NULL: never
-- replaced). Staging models carry both onto their rows; known_at(known_from, known_until, d) says
-- whether a row counts as of day d (README "As known then").
-- unique: batch_id
-- not_null: batch_id, kind, file_name, known_from, loaded_at
SELECT b.batch_id, b.kind, b.file_name, b.rows, b.warnings, b.loaded_by, b.loaded_at, b.township, b.form_date,
    b.form_level, b.form_village, b.replaces, b.replaced_by,
    coalesce(b.received_at, b.loaded_at) AS known_from,
    coalesce(r.received_at, r.loaded_at) AS known_until,
    b.received_given_by
FROM load_batches b
LEFT JOIN load_batches r ON r.batch_id = b.replaced_by
