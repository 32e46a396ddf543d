-- Independent acceptance (验收) of rectified ledger items and the restoration ledger's console
-- entries (README "Input formats" acceptances, "Independent acceptance"; queries/README.md
-- "Acceptance"). The console's tables are append-only: nothing is updated or deleted, the latest
-- row wins, and every row is also in the audit chain.

-- The acceptance records of a file (kind acceptances): one row per line, with its batch.
CREATE TABLE raw_acceptances (
    batch_id    BIGINT  NOT NULL,
    source_row  INTEGER NOT NULL,
    item_id     VARCHAR NOT NULL,            -- 问题编号: a listed problem or a violation's record
    accepted_on DATE    NOT NULL,            -- 验收日期
    unit        VARCHAR NOT NULL,            -- 验收单位 (a configured unit's full name)
    inspector   VARCHAR NOT NULL,            -- 验收人
    result      VARCHAR NOT NULL,            -- 验收结果: 合格 / 不合格
    note        VARCHAR,                     -- 说明
    extra       JSON
);

-- An acceptance entered on the accepting unit's console; photos in acceptance_files, sanitized as
-- tips' are. Known from entered_at (county local time).
CREATE TABLE acceptance_entries (
    entry_id    VARCHAR   NOT NULL,          -- YS-<unit>-<n>
    item_id     VARCHAR   NOT NULL,
    accepted_on DATE      NOT NULL,
    unit        VARCHAR   NOT NULL,          -- full name of the accepting unit
    inspector   VARCHAR   NOT NULL,
    result      VARCHAR   NOT NULL,
    note        VARCHAR,
    entered_by  VARCHAR   NOT NULL,
    entered_at  TIMESTAMP NOT NULL
);

CREATE TABLE acceptance_files (
    entry_id VARCHAR NOT NULL,
    seq      INTEGER NOT NULL,
    name     VARCHAR NOT NULL,
    mime     VARCHAR NOT NULL,
    sha256   VARCHAR NOT NULL,
    data     BLOB    NOT NULL
);

-- A restoration item updated on the accepting unit's console: the item's newer version from
-- entered_at, like a later file's row (stg_restoration__items).
CREATE TABLE restoration_entries (
    item_id     VARCHAR       NOT NULL,
    party       VARCHAR       NOT NULL,
    area_mu     DECIMAL(12,2) NOT NULL,
    restored_mu DECIMAL(12,2),
    due_on      DATE          NOT NULL,
    accepted_on DATE,
    cost_yuan   DECIMAL(14,2),
    paid_yuan   DECIMAL(14,2),
    payer       VARCHAR,
    note        VARCHAR,
    unit        VARCHAR       NOT NULL,      -- full name of the unit that entered it
    entered_by  VARCHAR       NOT NULL,
    entered_at  TIMESTAMP     NOT NULL
);

-- The ledger and the scorecard gained the acceptance (frozen snapshots keep every column).
ALTER TABLE frozen_scorecards ADD COLUMN awaiting_acceptance BIGINT;
ALTER TABLE frozen_ledger ADD COLUMN acceptance_due DATE;
ALTER TABLE frozen_ledger ADD COLUMN accepted_on DATE;
ALTER TABLE frozen_ledger ADD COLUMN overdue_reason VARCHAR;
