-- The accountability chain (queries/README.md "Who answers"): the leading group's units from the
-- configuration, the responsibility register (责任人名册), the 责任分解表 (duties per ledger item),
-- 回头看 re-inspections, and the append-only transfers to discipline inspection and their outcomes.

-- 领导小组成员单位, refilled from the configuration's [[unit]] entries.
CREATE TABLE dim_units (
    unit       VARCHAR NOT NULL,             -- 县公安局
    short_name VARCHAR NOT NULL,             -- 公安: a department account's scope
    duty       VARCHAR,                      -- 职责
    sort_order INTEGER NOT NULL
);

-- 责任人名册: who answers per township and village. Each file is the whole register from its
-- arrival until the next register file arrives.
CREATE TABLE raw_responsibilities (
    batch_id    BIGINT  NOT NULL,
    source_row  INTEGER NOT NULL,
    township    VARCHAR NOT NULL,            -- 乡镇
    village     VARCHAR,                     -- 村 (empty for township posts)
    post        VARCHAR,                     -- 职务
    person      VARCHAR NOT NULL,            -- 姓名
    duty_type   VARCHAR NOT NULL,            -- 责任类型: 第一责任人 分管领导 直接责任人 包村干部 监管网格员
    grid        VARCHAR,                     -- 网格
    extra       JSON
);

-- 责任分解表: per ledger item its class, responsible unit and person, requirement and deadline.
-- Each file is the whole table from its arrival until the next one arrives.
CREATE TABLE raw_duties (
    batch_id    BIGINT  NOT NULL,
    source_row  INTEGER NOT NULL,
    item_id     VARCHAR NOT NULL,            -- 问题编号 (a problem id or a source id)
    class       VARCHAR NOT NULL,            -- 类别: 重点 / 一般
    unit        VARCHAR NOT NULL,            -- 责任单位 (the configured unit's full name)
    person      VARCHAR,                     -- 责任人
    requirement VARCHAR,                     -- 整改要求
    deadline    DATE,                        -- 整改时限: replaces the item's default deadline
    extra       JSON
);

-- 回头看复查: re-inspections of ledger items.
CREATE TABLE raw_rechecks (
    batch_id      BIGINT  NOT NULL,
    source_row    INTEGER NOT NULL,
    item_id       VARCHAR NOT NULL,          -- 问题编号
    rechecked_on  DATE    NOT NULL,          -- 复查日期
    inspector     VARCHAR,                   -- 复查人
    result        VARCHAR NOT NULL,          -- 整改到位 / 整改不实 / 复发
    note          VARCHAR,                   -- 说明
    extra         JSON
);

-- 移交纪检监察: an item of the accountability list handed to discipline inspection. Nothing is
-- updated or deleted; a correction is a new row, and the latest row of an item counts.
CREATE SEQUENCE accountability_seq START 1;
CREATE TABLE accountability_transfers (
    seq            BIGINT    NOT NULL,
    item_id        VARCHAR   NOT NULL,
    as_of          DATE      NOT NULL,       -- the date of the list the item was on
    transferred_on DATE      NOT NULL,       -- 移交日期
    transferred_by VARCHAR   NOT NULL,
    note           VARCHAR,
    recorded_at    TIMESTAMP NOT NULL        -- county local time
);

-- 问责处理结果: the outcome of a transferred item. Append-only like the transfers.
CREATE TABLE accountability_outcomes (
    seq         BIGINT    NOT NULL,
    item_id     VARCHAR   NOT NULL,
    outcome     VARCHAR   NOT NULL,          -- 谈话提醒 批评教育 通报批评 诫勉 党纪处分 政务处分 移送司法机关 不予问责
    outcome_on  DATE      NOT NULL,          -- 处理日期
    document_no VARCHAR,                     -- 文号
    recorded_by VARCHAR   NOT NULL,
    note        VARCHAR,
    recorded_at TIMESTAMP NOT NULL           -- county local time
);

-- The scorecard gained rectification_false (整改不实); frozen snapshots keep every column.
ALTER TABLE frozen_scorecards ADD COLUMN rectification_false BIGINT;
-- The ledger gained reopened_on (the 整改不实 re-inspection that reopened an item).
ALTER TABLE frozen_ledger ADD COLUMN reopened_on DATE;
