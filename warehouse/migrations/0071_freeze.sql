-- Frozen figures (queries/README.md "Freezing a date"). `landwatch models freeze --as-of D` stores
-- D's scorecards, violations and ledger here and records the snapshot's SHA-256 in the audit chain.
-- From then on the marts show these rows for D, and no file stamped on or before D can be loaded.
-- Nothing here is updated or deleted.
CREATE TABLE freezes (
    as_of      DATE      NOT NULL,           -- the frozen date
    frozen_at  TIMESTAMP NOT NULL,           -- county local time
    frozen_by  VARCHAR   NOT NULL,
    sha256     VARCHAR   NOT NULL,           -- of the snapshot rows (queries.SnapshotHash)
    scorecards INTEGER   NOT NULL,
    violations INTEGER   NOT NULL,
    ledger     INTEGER   NOT NULL
);

CREATE TABLE frozen_scorecards (
    as_of                   DATE    NOT NULL,
    township                VARCHAR NOT NULL,
    violations_due          BIGINT,
    detected                BIGINT,
    missed                  BIGINT,
    missed_detection_rate   DOUBLE,
    ledger_due              BIGINT,
    rectified_on_time       BIGINT,
    rectification_rate      DOUBLE,
    overdue_open            BIGINT,
    new_after_rectification BIGINT,
    patrol_weeks            BIGINT,
    patrol_weeks_done       BIGINT,
    patrol_compliance       DOUBLE,
    level                   VARCHAR,
    reasons                 VARCHAR
);

CREATE TABLE frozen_violations (
    as_of            DATE    NOT NULL,
    violation_id     VARCHAR NOT NULL,
    township         VARCHAR,
    village          VARCHAR,
    category         VARCHAR,
    first_seen       DATE,
    sources          VARCHAR,
    source_refs      VARCHAR,
    lon              DOUBLE,
    lat              DOUBLE,
    detected_by      VARCHAR,
    detection_status VARCHAR,
    match_reason     VARCHAR,
    late_problem     VARCHAR,
    recurrence_of    VARCHAR
);

CREATE TABLE frozen_ledger (
    as_of        DATE    NOT NULL,
    item_id      VARCHAR NOT NULL,
    kind         VARCHAR,
    township     VARCHAR,
    village      VARCHAR,
    category     VARCHAR,
    deadline     DATE,
    status_as_of VARCHAR,
    rectified_on DATE,
    on_time      BOOLEAN,
    overdue      BOOLEAN
);
