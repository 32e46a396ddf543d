-- Transfers of accountability-list items to discipline inspection (移交纪检监察), append-only: every
-- row, the latest of an item (by seq) counting among those recorded by a date.
-- unique: seq
-- not_null: seq, item_id, as_of, transferred_on, transferred_by, recorded_at
SELECT seq, item_id, as_of, transferred_on, transferred_by, note, recorded_at
FROM accountability_transfers
