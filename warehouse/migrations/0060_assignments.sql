-- Assignment of cases and clues to member units (department accounts) and the progress they record
-- (README "Commands", portal/README.md "Cases and clues for the member units"). Written by the portal; every row is also in the audit chain.
-- Nothing here is ever updated or deleted: the latest row wins.

-- The office hands a case or a clue to a member unit; the latest row per (ref_kind, ref_id) is the
-- current assignment.
CREATE TABLE assignments (
    ref_kind    VARCHAR   NOT NULL,          -- case | clue
    ref_id      VARCHAR   NOT NULL,          -- raw_cases.case_id or raw_clues.clue_id
    department  VARCHAR   NOT NULL,          -- a member unit (portal.Departments)
    assigned_by VARCHAR   NOT NULL,          -- staff user name
    assigned_at TIMESTAMP NOT NULL,          -- county local time
    note        VARCHAR
);

-- Progress of a case recorded by its department: append-only. A non-NULL field overrides the value
-- loaded from the cases file (stg_enforcement__cases applies the latest update per field; see
-- queries/README.md for the as-of rule).
CREATE TABLE case_updates (
    case_id             VARCHAR   NOT NULL,
    filed_on            DATE,                -- 立案
    price_requested_on  DATE,                -- 价格认定申请
    price_done_on       DATE,                -- 价格认定完成
    to_police_on        DATE,                -- 移送公安
    to_procuratorate_on DATE,                -- 移送检察院
    judged_on           DATE,                -- 判决
    fine_yuan           DECIMAL(14,2),
    confiscated_yuan    DECIMAL(14,2),
    status              VARCHAR,
    note                VARCHAR,
    updated_by          VARCHAR   NOT NULL,
    updated_at          TIMESTAMP NOT NULL   -- county local time
);

-- A clue's verdict recorded by its department: append-only; the latest one counts
-- (stg_clues__clues).
CREATE TABLE clue_updates (
    clue_id    VARCHAR   NOT NULL,
    verdict    VARCHAR   NOT NULL,           -- 属实 / 不属实 / 核查中
    note       VARCHAR,
    updated_by VARCHAR   NOT NULL,
    updated_at TIMESTAMP NOT NULL            -- county local time
);
