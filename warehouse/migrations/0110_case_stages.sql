-- The enforcement chain by stage, member units' own clues and the power company's work queue
-- (README "Enforcement chain", "Power cut-off"; queries/README.md). Every table written by the
-- portal or a command is append-only: nothing is ever updated or deleted, the latest row wins, and
-- every row is also in the audit chain.

-- The stages of the chain from the configuration ([[stage]] in campaign/default.toml), refilled by
-- ApplyConfig: the owning unit's short name, the stage whose date starts it, the working-day deadline.
CREATE TABLE dim_case_stages (
    stage        VARCHAR NOT NULL,           -- code (campaign.StageCodes)
    name         VARCHAR NOT NULL,           -- 立案, 价格认定完成, …
    unit         VARCHAR NOT NULL,           -- the owning unit's short name
    after_stage  VARCHAR,                    -- NULL: starts the day the case was found
    due_workdays INTEGER NOT NULL,           -- 0: no deadline
    replaces     VARCHAR,                    -- 不起诉 replaces 提起公诉
    sort_order   INTEGER NOT NULL
);

-- A unit's own stage file (kind case-stages): one row per line, with its batch.
CREATE TABLE raw_case_stages (
    batch_id    BIGINT  NOT NULL,
    source_row  INTEGER NOT NULL,
    case_id     VARCHAR NOT NULL,
    stage       VARCHAR NOT NULL,            -- code
    stage_on    DATE    NOT NULL,            -- 日期
    unit        VARCHAR NOT NULL,            -- the owning unit's short name
    note        VARCHAR,
    term_months INTEGER,                     -- 刑期（月）, 判决 only
    fine_yuan   DECIMAL(14,2),               -- 罚金, 判决 only
    extra       JSON
);

-- A stage entered on the console (portal/casestore): known from entered_at.
CREATE TABLE case_stage_entries (
    case_id     VARCHAR   NOT NULL,
    stage       VARCHAR   NOT NULL,
    unit        VARCHAR   NOT NULL,
    stage_on    DATE      NOT NULL,
    term_months INTEGER,
    fine_yuan   DECIMAL(14,2),
    note        VARCHAR,
    entered_by  VARCHAR   NOT NULL,
    entered_at  TIMESTAMP NOT NULL           -- county local time
);

-- A clue raised by a member unit on its console (channel 部门移送); photos in dept_clue_files,
-- sanitized as tips' are. Known from raised_at.
CREATE TABLE dept_clues (
    clue_id     VARCHAR   NOT NULL,          -- BM-<unit>-<n>
    unit        VARCHAR   NOT NULL,          -- short name of the raising unit
    township    VARCHAR   NOT NULL,
    village     VARCHAR,
    lon         DOUBLE,
    lat         DOUBLE,
    place       VARCHAR,
    category    VARCHAR,
    found_on    DATE      NOT NULL,
    description VARCHAR   NOT NULL,
    raised_by   VARCHAR   NOT NULL,
    raised_at   TIMESTAMP NOT NULL           -- county local time
);

CREATE TABLE dept_clue_files (
    clue_id VARCHAR NOT NULL,
    seq     INTEGER NOT NULL,
    name    VARCHAR NOT NULL,
    mime    VARCHAR NOT NULL,
    sha256  VARCHAR NOT NULL,
    data    BLOB    NOT NULL
);

-- Power field checks entered on the console by the power company or the township (the
-- power-checks file keeps loading into raw_power_checks). Known from entered_at.
CREATE TABLE power_check_entries (
    meter_id   VARCHAR   NOT NULL,
    alert_id   VARCHAR,
    checked_on DATE      NOT NULL,
    result     VARCHAR   NOT NULL,           -- 非法采矿 / 正常 / 其他
    note       VARCHAR,
    entered_by VARCHAR   NOT NULL,
    unit       VARCHAR   NOT NULL,           -- 供电公司 or the township
    entered_at TIMESTAMP NOT NULL
);

-- 终止供电: the office orders a cut-off for a meter (kind ordered), the power company confirms the day
-- it was done (kind done). recorded_at is the clock, or the end of a hand-given day (given_by set).
CREATE TABLE power_cutoffs (
    meter_id    VARCHAR   NOT NULL,
    kind        VARCHAR   NOT NULL,          -- ordered | done
    cutoff_on   DATE      NOT NULL,          -- the order's date, or the day supply ended
    violation   VARCHAR,                     -- the verified violation the order rests on
    note        VARCHAR,
    entered_by  VARCHAR   NOT NULL,
    recorded_at TIMESTAMP NOT NULL,          -- county local time
    given_by    VARCHAR                      -- who gave a hand stamp; NULL for the clock
);
