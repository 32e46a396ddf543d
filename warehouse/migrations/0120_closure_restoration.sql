-- The administrative closure of a case and the restoration ledger (README "Enforcement chain",
-- "Restoration"; queries/README.md).

-- A configured stage that is a transfer to its unit (公安受案): nobody owes it until it is entered.
ALTER TABLE dim_case_stages ADD COLUMN only_entered BOOLEAN DEFAULT false;

-- 处罚决定's 文号 in a unit's stage file (决定文号) and on the console.
ALTER TABLE raw_case_stages ADD COLUMN doc_no VARCHAR;
ALTER TABLE case_stage_entries ADD COLUMN doc_no VARCHAR;

-- The restoration ledger (kind restoration, 恢复治理台账): one row per line, with its batch. A later
-- file's row for a problem is that problem's version from its arrival on.
CREATE TABLE raw_restoration (
    batch_id       BIGINT  NOT NULL,
    source_row     INTEGER NOT NULL,
    item_id        VARCHAR NOT NULL,         -- 问题编号: a listed problem or a violation's record
    party          VARCHAR NOT NULL,         -- 责任方: 违法者 / 责任单位 / 县财政兜底
    area_mu        DECIMAL(12,2) NOT NULL,   -- 应恢复面积（亩）
    restored_mu    DECIMAL(12,2),            -- 已恢复面积（亩）
    due_on         DATE    NOT NULL,         -- 恢复时限
    accepted_on    DATE,                     -- 验收日期
    cost_yuan      DECIMAL(14,2),            -- 估算费用（元）
    paid_yuan      DECIMAL(14,2),            -- 已付费用（元）
    payer          VARCHAR,                  -- 付款方
    note           VARCHAR,                  -- 说明 (the plan)
    extra          JSON
);
