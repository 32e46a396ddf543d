-- The meter registry (用电户档案) of active batches; the latest row per meter.
-- unique: meter_id
-- not_null: meter_id, customer_type, township
SELECT m.meter_id, m.account, m.customer_type, m.township, m.village, m.lon, m.lat, m.address,
       m.batch_id, m.source_row
FROM raw_meters m
JOIN load_batches b ON b.batch_id = m.batch_id AND b.replaced_by IS NULL
QUALIFY row_number() OVER (PARTITION BY m.meter_id ORDER BY m.batch_id DESC, m.source_row DESC) = 1
