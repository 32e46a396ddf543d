-- Readings keyed by an integer meter key: power_meter_keys gives every 户号 that has readings a
-- key, and raw_power_readings stores the key instead of the 户号's text (an integer is cheaper to
-- write, compare and group by than a text column repeated on every reading). A key is assigned by
-- the readings load that first brings its 户号 (etl/power/powerkeys.go: the largest key + 1, …, in
-- the load's transaction, so a refused file leaves no key behind), never read from the 户号
-- itself (a 户号 need not be digits), and never changes or goes. stg_power__readings joins the
-- keys back, so the models see meter_id as before.
CREATE TABLE power_meter_keys (
    meter_key INTEGER NOT NULL PRIMARY KEY,
    meter_id  VARCHAR NOT NULL UNIQUE
);

INSERT INTO power_meter_keys
SELECT CAST(row_number() OVER (ORDER BY meter_id) AS INTEGER), meter_id
FROM (SELECT DISTINCT meter_id FROM raw_power_readings);

CREATE TABLE raw_power_readings_keyed (
    batch_id   BIGINT    NOT NULL,
    source_row BIGINT,                        -- line of the csv (header = 1), row of the Parquet file
    meter_key  INTEGER   NOT NULL,            -- power_meter_keys.meter_key of the 户号
    ts         TIMESTAMP NOT NULL,            -- local time (Asia/Shanghai) of the interval's start
    kwh        DOUBLE    NOT NULL
);

INSERT INTO raw_power_readings_keyed
SELECT r.batch_id, r.source_row, k.meter_key, r.ts, r.kwh
FROM raw_power_readings r JOIN power_meter_keys k USING (meter_id)
ORDER BY r.batch_id, r.source_row;

DROP TABLE raw_power_readings;
ALTER TABLE raw_power_readings_keyed RENAME TO raw_power_readings;
