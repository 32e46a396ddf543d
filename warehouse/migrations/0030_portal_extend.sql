-- Portal: what the first cut in 0003_portal.sql lacks. Receipt and claim codes are still
-- never stored in the clear; the HMAC secret lives in a file next to the warehouse, not in it.

ALTER TABLE tips ADD COLUMN updated_at TIMESTAMP;
ALTER TABLE tips ADD COLUMN tip_seq INTEGER;           -- the 4-digit sequence of tip_id within its day
-- No index on tips (an index would block later ALTERs by other migrations); the server assigns ids
-- under one lock, as the only writer of tips.

ALTER TABLE rewards ADD COLUMN note VARCHAR;
CREATE UNIQUE INDEX rewards_reward_id ON rewards (reward_id);
CREATE UNIQUE INDEX rewards_tip_id ON rewards (tip_id);          -- one reward per tip
CREATE UNIQUE INDEX rewards_claim_lookup ON rewards (claim_lookup);
CREATE UNIQUE INDEX payouts_reward_id ON payouts (reward_id);    -- a reward is paid once

CREATE UNIQUE INDEX users_username ON users (username);
ALTER TABLE users ADD COLUMN last_login_at TIMESTAMP;

-- Messages between the office and the citizen, both ways. sender: citizen / office.
CREATE TABLE tip_messages (
    tip_id     VARCHAR   NOT NULL,
    msg_no     INTEGER   NOT NULL,
    sender     VARCHAR   NOT NULL,
    author     VARCHAR,                       -- staff username; NULL for the citizen
    body       VARCHAR   NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- Evidence files. The file itself lives in <warehouse>.files/<file_id>, metadata stripped.
CREATE TABLE tip_files (
    file_id    VARCHAR   NOT NULL,            -- random, also the stored file name
    tip_id     VARCHAR   NOT NULL,
    kind       VARCHAR   NOT NULL,            -- image / video / pdf
    mime       VARCHAR   NOT NULL,
    size_bytes BIGINT    NOT NULL,
    sha256     VARCHAR   NOT NULL,            -- of the stored (stripped) bytes
    added_at   TIMESTAMP NOT NULL,
    added_by   VARCHAR   NOT NULL             -- citizen / staff username
);

-- Staff-visible history of a tip: status changes, assignment, links, duplicates, with notes.
CREATE TABLE tip_history (
    tip_id  VARCHAR   NOT NULL,
    changed_at TIMESTAMP NOT NULL,
    actor   VARCHAR   NOT NULL,
    action  VARCHAR   NOT NULL,               -- status / assign / link / duplicate / reward / payout
    value   VARCHAR,
    note    VARCHAR
);

-- Append-only, hash-chained audit log. mac = HMAC-SHA256(key, prev_mac | seq | at | actor | action
-- | object | detail), the key derived from the secret file; `landwatch audit verify` checks it.
CREATE TABLE audit_log (
    seq      BIGINT    NOT NULL,
    logged_at TIMESTAMP NOT NULL,
    actor    VARCHAR   NOT NULL,
    action   VARCHAR   NOT NULL,
    object   VARCHAR   NOT NULL,
    detail   VARCHAR   NOT NULL,
    prev_mac VARCHAR   NOT NULL,
    mac      VARCHAR   NOT NULL
);
