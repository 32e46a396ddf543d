-- Power alerts computed outside the warehouse — the Spark job over a Parquet export
-- (spark/power_alerts.py) — loaded back (`landwatch load power-alerts DIR`) to be compared with
-- mart_power_alerts, which they never replace. One row per alert, with the as-of it was computed
-- for and the engine that computed it; the columns are mart_power_alerts'.
CREATE TABLE raw_external_power_alerts (
    batch_id      BIGINT  NOT NULL,
    source_row    BIGINT  NOT NULL,            -- row of the Parquet files, in file-name order
    as_of         DATE    NOT NULL,
    engine        VARCHAR NOT NULL,            -- e.g. spark 4.1.0
    alert_id      VARCHAR NOT NULL,
    meter_id      VARCHAR NOT NULL,
    township      VARCHAR,
    village       VARCHAR,
    customer_type VARCHAR,
    rule          VARCHAR NOT NULL,
    first_day     DATE    NOT NULL,
    last_day      DATE    NOT NULL,
    score         DOUBLE  NOT NULL,
    check_result  VARCHAR
);
