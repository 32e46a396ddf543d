-- The public tip channel and rewards (portal/). Receipt and claim codes are never stored: only an
-- HMAC lookup key (its secret lives outside the warehouse) and an Argon2id hash.

CREATE TABLE tips (
    tip_id         VARCHAR   NOT NULL,        -- T + yyyymmdd + sequence, shown to staff only
    received_at    TIMESTAMP NOT NULL,
    received_on    DATE      NOT NULL,        -- first_seen of a tip verified 属实
    category       VARCHAR,
    township       VARCHAR   NOT NULL,
    village        VARCHAR,
    place          VARCHAR,
    description    VARCHAR,
    seen_on        DATE,
    lon            DOUBLE,
    lat            DOUBLE,
    contact        VARCHAR,                   -- only when the citizen chose to give it
    status         VARCHAR   NOT NULL,        -- 收到/核查中/属实/不属实/已立案/奖励已批准/已领取
    verdict        VARCHAR,                   -- 属实 / 不属实 once verified
    verified_on    DATE,
    assigned_to    VARCHAR,                   -- a township or a department
    duplicate_of   VARCHAR,
    linked_ref     VARCHAR,                   -- a case, problem or violation id
    receipt_lookup VARCHAR   NOT NULL,
    receipt_hash   VARCHAR   NOT NULL
);

CREATE TABLE rewards (
    reward_id    VARCHAR       NOT NULL,
    tip_id       VARCHAR       NOT NULL,
    severity     VARCHAR       NOT NULL,
    amount_yuan  DECIMAL(12,2) NOT NULL,
    approved_on  DATE          NOT NULL,
    approved_by  VARCHAR       NOT NULL,
    claim_lookup VARCHAR       NOT NULL,
    claim_hash   VARCHAR       NOT NULL
);

CREATE TABLE payouts (
    payout_id   VARCHAR       NOT NULL,
    reward_id   VARCHAR       NOT NULL,
    amount_yuan DECIMAL(12,2) NOT NULL,
    voucher_no  VARCHAR       NOT NULL,
    paid_on     DATE          NOT NULL,
    recorded_by VARCHAR       NOT NULL,
    recorded_at TIMESTAMP     NOT NULL
);

CREATE TABLE users (
    username      VARCHAR   NOT NULL,
    role          VARCHAR   NOT NULL,         -- office, township, department, finance, leader, media, discipline
    scope         VARCHAR,                    -- the township or department the account belongs to
    password_hash VARCHAR   NOT NULL,         -- Argon2id
    totp_secret   VARCHAR,
    created_at    TIMESTAMP NOT NULL,
    disabled      BOOLEAN   NOT NULL DEFAULT false
);
