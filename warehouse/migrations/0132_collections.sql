-- 罚没款收缴 (queries/README.md "Fines and confiscations"): what the finance bureau collected against a
-- case's decided fines, confiscations and court fines, with its receipt (罚没票据).

-- The finance bureau's collections file (kind collections): one row per line, with its batch.
CREATE TABLE raw_collections (
    batch_id       BIGINT  NOT NULL,
    source_row     INTEGER NOT NULL,
    case_id        VARCHAR NOT NULL,         -- 案件编号
    doc_no         VARCHAR,                  -- 决定文号
    paid_on        DATE    NOT NULL,         -- 缴款日期
    amount_yuan    DECIMAL(14,2) NOT NULL,   -- 金额（元）
    receipt_no     VARCHAR NOT NULL,         -- 票据号
    fine_kind      VARCHAR NOT NULL,         -- 类型: 罚款 / 没收违法所得 / 罚金
    note           VARCHAR,                  -- 说明
    extra          JSON
);

-- Collections entered on the finance console (/staff/finance): appended, never changed.
CREATE TABLE collection_entries (
    receipt_no     VARCHAR PRIMARY KEY,
    case_id        VARCHAR NOT NULL,
    doc_no         VARCHAR,
    paid_on        DATE    NOT NULL,
    amount_yuan    DECIMAL(14,2) NOT NULL,
    fine_kind      VARCHAR NOT NULL,
    note           VARCHAR,
    entered_by     VARCHAR NOT NULL,
    entered_at     TIMESTAMP NOT NULL
);
