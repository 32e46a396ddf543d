-- The boundary of every licence version's area as straight edges from (x1, y1) to (x2, y2) (lon,
-- lat, WGS84): every ring of every polygon, holes included, written by the loader (etl/licences.go).
-- unique: batch_id, licence_id, part, ring, seq
-- not_null: batch_id, licence_id, x1, y1, x2, y2
-- relationships: licence_id -> stg_licences__licences.licence_id
SELECT batch_id, licence_id, part, ring, seq, x1, y1, x2, y2
FROM raw_licence_edges
