-- The SQL models (queries/) read the run's as-of date from run_parameters (one row, written by
-- queries.Run before the build) and record every successful build in model_runs.

CREATE TABLE run_parameters (
    run_id     BIGINT    NOT NULL,
    as_of      DATE      NOT NULL,
    started_at TIMESTAMP NOT NULL
);

CREATE SEQUENCE model_run_seq START 1;
CREATE TABLE model_runs (
    run_id      BIGINT    NOT NULL,
    as_of       DATE      NOT NULL,
    started_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP NOT NULL,
    models      INTEGER   NOT NULL,
    tests       INTEGER   NOT NULL
);
