-- The meter register as it stands now (the portal's meter list and a meter's page): each meter's
-- version no later registry export superseded (known_until IS NULL; of rows an export repeats, the
-- latest known_from, then batch, then row). A view: the register changes with every load.
-- materialized: view
-- unique: meter_id
-- not_null: meter_id, customer_type, township, known_from
SELECT *
FROM stg_power__meters
WHERE known_until IS NULL
QUALIFY row_number() OVER (PARTITION BY meter_id ORDER BY known_from DESC, batch_id DESC, source_row DESC) = 1
