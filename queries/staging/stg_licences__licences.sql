-- The licence register (矿业权登记): every version of every licence. A later register export's row
-- is the licence's version from its arrival on (known_until: when the next version arrived), like
-- the other registers. valid_from … valid_to is the licence's validity (both days included); the box
-- min_lon … max_lat bounds its licensed area, whose edges are stg_licences__edges.
-- unique: licence_id, batch_id
-- not_null: licence_id, holder, valid_from, valid_to, min_lon, min_lat, max_lon, max_lat, geometry, known_from
-- in_run: table
SELECT l.licence_id, l.holder, l.mineral, l.valid_from, l.valid_to, l.min_lon, l.min_lat, l.max_lon, l.max_lat, l.geometry,
       l.batch_id, l.source_row, b.known_from,
       least(b.known_until, lead(b.known_from) OVER (PARTITION BY l.licence_id ORDER BY b.known_from, l.batch_id, l.source_row)) AS known_until
FROM raw_licences l
JOIN stg_etl__batches b ON b.batch_id = l.batch_id
