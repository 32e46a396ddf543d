-- The meter registry (用电户档案): every version of every meter. A registry export lists each meter
-- as the power company knew it; a later export's row is the meter's version from its arrival on
-- (known_until: when the next version arrived).
-- unique: meter_id, batch_id
-- not_null: meter_id, customer_type, township, known_from
-- in_run: table
SELECT m.meter_id, m.account, m.customer_type, m.township, m.village, m.lon, m.lat, m.address,
       m.batch_id, m.source_row, b.known_from,
       least(b.known_until, lead(b.known_from) OVER (PARTITION BY m.meter_id ORDER BY b.known_from, m.batch_id, m.source_row)) AS known_until
FROM raw_meters m
JOIN stg_etl__batches b ON b.batch_id = m.batch_id
