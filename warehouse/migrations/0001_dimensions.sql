-- Dimensions filled from the campaign configuration (warehouse.ApplyConfig). SQL models read dates
-- and thresholds from these tables, never from literals.

-- Every configuration applied, newest last; the row with the highest config_id is in force.
CREATE SEQUENCE config_seq START 1;
CREATE TABLE campaign_config (
    config_id  INTEGER   NOT NULL DEFAULT nextval('config_seq'),
    source     VARCHAR   NOT NULL,           -- "embedded default" or the file name
    sha256     VARCHAR   NOT NULL,
    toml       VARCHAR   NOT NULL,
    applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE dim_townships (
    township   VARCHAR NOT NULL,             -- 沁河镇
    kind       VARCHAR NOT NULL,             -- 镇 / 乡
    sort_order INTEGER NOT NULL,
    lon        DOUBLE,                       -- seat of the township
    lat        DOUBLE
);

CREATE TABLE dim_villages (
    township        VARCHAR NOT NULL,
    village         VARCHAR NOT NULL,
    confirmed       BOOLEAN NOT NULL,        -- false: first seen in a loaded file, not in the register
    added_by_batch  BIGINT                   -- load_batches.batch_id for unconfirmed villages
);

CREATE TABLE dim_phases (
    phase      VARCHAR NOT NULL,             -- publicity, selfcheck, review, verification, rectification, accountability, lookback
    name       VARCHAR NOT NULL,             -- 宣传发动 …
    start_on   DATE    NOT NULL,
    end_on     DATE    NOT NULL,
    sort_order INTEGER NOT NULL
);

CREATE TABLE dim_categories (
    code       VARCHAR NOT NULL,             -- M1 … L4
    grp        VARCHAR NOT NULL,             -- M (mining) / L (land)
    name       VARCHAR NOT NULL,
    plain      VARCHAR NOT NULL,             -- in plain words, for citizens
    sort_order INTEGER NOT NULL
);

-- Keyword rules that infer a category from free text; lower priority is tried first.
CREATE TABLE dim_category_keywords (
    code     VARCHAR NOT NULL,
    keyword  VARCHAR NOT NULL,
    priority INTEGER NOT NULL
);

-- Named parameters: dates (day), numbers (num) and text. See warehouse.Parameters for the keys.
CREATE TABLE dim_parameters (
    key  VARCHAR NOT NULL,
    num  DOUBLE,
    day  DATE,
    text VARCHAR
);

-- Every day of the campaign year and the years around it.
CREATE TABLE dim_calendar (
    day        DATE    NOT NULL,
    is_workday BOOLEAN NOT NULL,
    note       VARCHAR                       -- 节假日 / 调休上班 / NULL
);

CREATE TABLE dim_reward_bands (
    category VARCHAR       NOT NULL,
    severity VARCHAR       NOT NULL,         -- 一般 / 较大 / 重大 / 特别重大
    min_yuan DECIMAL(12,2) NOT NULL,
    max_yuan DECIMAL(12,2) NOT NULL
);
