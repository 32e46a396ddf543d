-- Reports (reports/): the public statistics snapshots the media role publishes, and the index of
-- weekly briefings the server wrote.

-- A published snapshot holds the public figures exactly as shown: small counts already replaced
-- by "<N", so the public page can never show more than what was published.
CREATE SEQUENCE stats_snapshot_seq START 1;
CREATE TABLE stats_snapshots (
    snapshot_id  INTEGER   NOT NULL DEFAULT nextval('stats_snapshot_seq'),
    as_of        DATE      NOT NULL,          -- the models' as-of date the figures come from
    small_count  INTEGER   NOT NULL,          -- counts below it were suppressed
    data         JSON      NOT NULL,          -- reports.Stats
    published_by VARCHAR   NOT NULL,          -- the media account
    published_at TIMESTAMP NOT NULL
);

-- Weekly briefings written by the scheduler (or on demand from the console).
CREATE TABLE briefings (
    as_of      DATE      NOT NULL,
    iso_week   VARCHAR   NOT NULL,            -- 2023-W15
    file_name  VARCHAR   NOT NULL,            -- inside the briefings folder
    bytes      BIGINT    NOT NULL,
    sha256     VARCHAR   NOT NULL,
    written_at TIMESTAMP NOT NULL,
    written_by VARCHAR   NOT NULL             -- "scheduler" or the account
);
