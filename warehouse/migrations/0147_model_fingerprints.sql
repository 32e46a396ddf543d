-- What each model that may be kept was built from (queries/reuse.go): the fingerprint of its SQL,
-- the SQL of every model it reads and the contents of every table it reads, and the rows it had.
-- A models run whose fingerprint for such a model equals the stored one keeps the table as it is.
CREATE TABLE model_fingerprints (
    model       VARCHAR PRIMARY KEY,
    fingerprint VARCHAR NOT NULL,
    rows        BIGINT NOT NULL
);
