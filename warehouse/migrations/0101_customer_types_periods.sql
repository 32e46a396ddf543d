-- The meters' customer types (用电类别): the built-in ones (thresholds NULL: the [power] ones) and
-- those the configuration adds ([[power.customer_type]], e.g. 非煤矿山, 危化企业) with their own
-- thresholds of the night-over-day and surge rules (queries/README.md "Power rules").
CREATE TABLE dim_customer_types (
    customer_type          VARCHAR NOT NULL,
    builtin                BOOLEAN NOT NULL,
    night_ratio            DOUBLE,
    night_min_kwh          DOUBLE,
    surge_ratio            DOUBLE,
    surge_min_increase_kwh DOUBLE,
    sort_order             INTEGER NOT NULL
);

-- The 常态化 periods after the look-back ([[period]] of the configuration).
CREATE TABLE dim_periods (
    name                   VARCHAR NOT NULL,
    start_on               DATE    NOT NULL,
    end_on                 DATE    NOT NULL,
    detection_deadline     DATE    NOT NULL,
    rectification_deadline DATE    NOT NULL,
    sort_order             INTEGER NOT NULL
);
