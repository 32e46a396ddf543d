-- The readings of each readings batch aggregated to meter and calendar day, computed once by the
-- first models run after the batch loaded (queries/meterdays.go); int_power_meter_days reads these
-- instead of the readings. A batch's rows are replaced when the night hours they were split by
-- changed, and go when the batch's readings do.
CREATE TABLE agg_power_meter_days (
    batch_id        BIGINT  NOT NULL,
    meter_id        VARCHAR NOT NULL,
    day             DATE    NOT NULL,
    kwh             DOUBLE  NOT NULL,
    day_part_kwh    DOUBLE  NOT NULL,   -- night_end_hour ≤ hour < night_start_hour
    night_early_kwh DOUBLE  NOT NULL,   -- hour ≥ night_start_hour
    night_late_kwh  DOUBLE,             -- hour < night_end_hour; NULL without such readings
    readings        BIGINT  NOT NULL
);

-- Which batches agg_power_meter_days holds: their readings' count and the night hours used.
CREATE TABLE agg_power_meter_day_batches (
    batch_id         BIGINT  NOT NULL,
    readings         BIGINT  NOT NULL,
    night_end_hour   INTEGER NOT NULL,
    night_start_hour INTEGER NOT NULL
);
